from django.apps import AppConfig


class RecordsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "records"
    verbose_name = "Utdanningsmappe"

    def ready(self):
        # Registers the package lookup with /verify/ (confirmations), whichever page comes first.
        from . import selectors  # noqa: F401
