from django.apps import AppConfig


class ConfirmationsConfig(AppConfig):
    name = "confirmations"
    verbose_name = "Bekreftelser på oppnådde læringsmål"
