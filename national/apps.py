from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NationalConfig(AppConfig):
    name = "national"
    verbose_name = _("Nasjonalt samarbeid")

    def ready(self) -> None:
        from . import signals  # noqa: F401 (connects the cache invalidation)
