from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = "Utdanningsplaner og læringsmål"

    def ready(self):
        from . import stored

        stored.connect()  # every change to a standing's input marks the stored answer stale
