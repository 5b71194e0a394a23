from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NationalLoginConfig(AppConfig):
    name = "nationallogin"
    verbose_name = _("Nasjonal innlogging")

    def ready(self):
        from . import signals  # noqa: F401
