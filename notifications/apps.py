from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Påminnelser og varsler"

    def ready(self):
        from . import event_hooks  # noqa: F401  (connects the events app's notice signal)
