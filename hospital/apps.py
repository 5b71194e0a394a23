from django.apps import AppConfig


class HospitalConfig(AppConfig):
    name = "hospital"
    verbose_name = "Sykehusperioden"

    def ready(self):
        from . import selectors  # noqa: F401  (tells plans.standing of confirmed places)
