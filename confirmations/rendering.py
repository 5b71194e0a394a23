"""The confirmation and service-certificate documents: HTML template → PDF/A-3b (WeasyPrint)."""

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from offices import pdf


def verification_url(code: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("verify", args=[code])


def render_pdf(confirmation) -> bytes:
    url = verification_url(confirmation.code)
    qr_svg = segno.make(url, error="m").svg_inline(scale=3, dark="#000", light=None, omitsize=False)
    template = (
        "confirmations/service_certificate.html"
        if confirmation.is_service_certificate
        else "confirmations/document.html"
    )
    html = render_to_string(
        template,
        {
            "c": confirmation,
            "facts": confirmation.facts,
            "goals": confirmation.goals,
            "url": url,
            "qr_svg": qr_svg,
        },
    )
    return pdf.render_pdf(html, pdf_variant="pdf/a-3b", uncompressed_pdf=False)
