from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Logger for personvern og sikkerhet"

    def ready(self):
        from . import signals  # noqa: F401
