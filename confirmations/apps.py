from django.apps import AppConfig


class ConfirmationsConfig(AppConfig):
    name = "confirmations"
    verbose_name = "Bekreftelser på oppnådde læringsmål"

    def ready(self):
        from django.conf import settings

        from . import checks  # noqa: F401  (registers the signing-key location check)
        from .pki import configured_pki, load_ca

        if getattr(settings, "ALIS_CHECK_SIGNING_KEYS_AT_START", False):
            load_ca(configured_pki())  # ImproperlyConfigured when the CA or its password fails
