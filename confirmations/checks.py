"""System check: the signing keys never live where a web or rendering path can reach them."""

from django.conf import settings
from django.core.checks import Error, register

from .pki import forbidden_roots, is_inside


@register()
def signing_keys_outside_project(app_configs=None, **kwargs):
    if is_inside(settings.ALIS_PKI_DIR, forbidden_roots()):
        return [
            Error(
                f"ALIS_PKI_DIR ({settings.ALIS_PKI_DIR}) ligger i prosjektmappen eller i en "
                "mappe for statiske filer eller opplastinger.",
                hint="Flytt nøklene ut av prosjektet, f.eks. til /var/lib/alis/pki.",
                id="alis.E001",
            )
        ]
    return []
