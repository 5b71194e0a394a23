from django.apps import AppConfig


class TraineesConfig(AppConfig):
    name = "trainees"
    verbose_name = "ALIS-leger"

    def ready(self):
        from . import signals  # noqa: F401  (links a doctor's record when they accept)
