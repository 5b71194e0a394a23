from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Kontoer og roller"

    def ready(self):
        from . import signals  # noqa: F401
