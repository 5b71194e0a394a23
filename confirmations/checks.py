"""System checks: the signing keys never live where a web or rendering path can reach them, and
the signature stamp has its font."""

from pathlib import Path

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


@register()
def stamp_font_exists(app_configs=None, **kwargs):
    """Signing fails without the stamp's font: say so at start, not at the first signature."""
    if not Path(settings.ALIS_STAMP_FONT).is_file():
        return [
            Error(
                f"ALIS_STAMP_FONT ({settings.ALIS_STAMP_FONT}) finnes ikke: signaturstempelet "
                "trenger en TrueType-skrift som kan bygges inn.",
                hint="Installer fonts-dejavu-core (scripts/install) eller pek på en annen .ttf.",
                id="alis.E002",
            )
        ]
    return []
