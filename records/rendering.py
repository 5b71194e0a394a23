"""The application package document: the summary as HTML → PDF/A-3b (tagged, like every PDF),
with every signed document and the JSON embedded as files (through offices.pdf.render_pdf, the
one entry)."""

import json

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from offices.pdf import PdfAttachment, render_pdf

from .selectors import document_subject

JSON_NAME = "soknadspakke.json"


def package_pdf(record, data: dict, documents: list[tuple[object, bytes]]) -> bytes:
    """`documents`: (confirmation, its signed PDF bytes) — attached byte for byte, so each
    one's own signature still verifies when taken out of the package."""
    subjects = {c.serial: document_subject(c, readable=True) for c, _pdf in documents}
    document_rows = [(d, subjects.get(d["serial"], d["subject"])) for d in data["documents"]]
    html = render_to_string(
        "records/package_document.html",
        {
            "r": record,
            "data": data,
            "documents": [c for c, _pdf in documents],
            "document_rows": document_rows,  # (the JSON's entry, its subject dd.mm.yyyy)
        },
    )
    attachments = [
        PdfAttachment(
            name=f"{c.serial}.pdf",
            data=pdf,
            description=f"{c.get_kind_display()} {c.serial}",
            relationship="Supplement",
        )
        for c, pdf in documents
    ]
    attachments.append(
        PdfAttachment(
            name=JSON_NAME,
            data=json_bytes(data),
            description=_("Søknadspakken i maskinlesbar form (JSON)"),
            relationship="Data",
        )
    )
    return render_pdf(html, attachments=attachments, pdf_variant="pdf/a-3b")


def json_bytes(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
