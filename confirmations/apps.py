from django.apps import AppConfig


class ConfirmationsConfig(AppConfig):
    name = "confirmations"
    verbose_name = "Bekreftelser på oppnådde læringsmål"

    def ready(self):
        from . import checks  # noqa: F401  (registers the signing-key location check)
