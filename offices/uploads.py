"""Uploads: what a file is, by its first bytes (never by its name), and request size limits."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _

# Magic bytes of the kinds users may upload.
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpeg": (b"\xff\xd8\xff",),
}
LABELS = {"pdf": "PDF", "png": "PNG", "jpeg": "JPG"}


def sniff(file) -> str | None:
    """The kind of an uploaded file by its content ('pdf', 'png', 'jpeg') or None."""
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(16)
    file.seek(position)
    for kind, prefixes in SIGNATURES.items():
        if head.startswith(prefixes):
            return kind
    return None


def kinds_text(allowed: tuple[str, ...]) -> str:
    """('pdf', 'png', 'jpeg') → 'PDF-, PNG- eller JPG-fil'; ('pdf',) → 'PDF-fil'."""
    labels = [LABELS[k] for k in allowed]
    if len(labels) == 1:
        return _("%(kind)s-fil") % {"kind": labels[0]}
    return _("%(kinds)s- eller %(last)s-fil") % {
        "kinds": "-, ".join(labels[:-1]),
        "last": labels[-1],
    }


def validate_content(file, allowed: tuple[str, ...], *, what: str | None = None) -> str:
    """The file's kind, or ValidationError when its content is none of `allowed`.

    `what` names the file in the message ("Kvitteringen"); "Filen" when not given."""
    kind = sniff(file)
    if kind not in allowed:
        raise ValidationError(
            _("%(what)s må være en %(kinds)s. Innholdet i filen er sjekket, ikke bare navnet.")
            % {"what": what or _("Filen"), "kinds": kinds_text(allowed)},
            code="file_kind",
        )
    return kind


class RequestSizeLimitMiddleware:
    """Answer 413 to a request whose declared body is larger than ALIS_MAX_REQUEST_BYTES,
    before Django reads or parses any of it (uploads included). Django reads no more than
    Content-Length, so a request without one has no body to read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.ALIS_MAX_REQUEST_BYTES:
            limit = settings.ALIS_MAX_REQUEST_BYTES // (1024 * 1024)
            return HttpResponse(
                _("Forespørselen er for stor (høyst %(mb)s MB).") % {"mb": limit},
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
