from django.apps import AppConfig


class RecordsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "records"
    verbose_name = "Utdanningsmappe"

    def ready(self):
        from confirmations.selectors import register_issued_file_lookup

        from .selectors import package_by_hash

        # /verify/ (confirmations) recognises the signed application package too.
        register_issued_file_lookup(package_by_hash)
