"""The invoice for the municipal share (PDF) and the yearly settlement for the auditor (xlsx,
PDF). Amounts are Decimal throughout; every spreadsheet cell goes through escape_formula."""

from __future__ import annotations

from io import BytesIO

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from agreements.formatting import format_date
from offices.pdf import render_pdf
from offices.spreadsheets import escape_formula

from .models import InvoiceProfile, ShareInvoice
from .selectors import SettlementData

KR_FORMAT = '#,##0.00 "kr"'
DATE_FORMAT = "DD.MM.YYYY"


def invoice_pdf(invoice: ShareInvoice, profile: InvoiceProfile | None) -> bytes:
    html = render_to_string(
        "grants/invoice_pdf.html",
        {"invoice": invoice, "profile": profile, "office": invoice.claim.office},
    )
    return render_pdf(html)


def settlement_pdf(office, data: SettlementData) -> bytes:
    html = render_to_string("grants/settlement_pdf.html", {"office": office, "data": data})
    return render_pdf(html)


def settlement_workbook(office, data: SettlementData) -> bytes:
    wb = Workbook()
    bold = Font(bold=True)

    def row(ws, values, font=None, money_columns=(), date_columns=()):
        # Amounts stay Decimal and dates stay dates (numbers and dates in the sheet, with a
        # format); text goes through the formula escape.
        ws.append([escape_formula(v) for v in values])
        for column in money_columns:
            ws.cell(ws.max_row, column).number_format = KR_FORMAT
        for column in date_columns:
            ws.cell(ws.max_row, column).number_format = DATE_FORMAT
        if font:
            for cell in ws[ws.max_row]:
                cell.font = font

    summary = wb.active
    summary.title = _("Oppgjør")
    scheme = data.scheme
    row(summary, [_("Årsoppgjør – %(scheme)s") % {"scheme": scheme.name}], bold)
    row(summary, [_("ALIS-kontor"), office.name])
    row(
        summary,
        [_("Tilskuddsår"), f"{format_date(data.year_start)}–{format_date(data.year_end)}"],
    )
    row(summary, [_("Kilde"), scheme.source])
    if scheme.example_note:
        row(summary, [_("Eksempeltall"), scheme.example_note])
    if data.settlement:
        reported_on = timezone.localtime(data.settlement.reported_at).date()
        row(summary, [_("Rapportert"), reported_on], date_columns=(2,))
    row(summary, [])
    row(
        summary,
        [_("Kommune"), _("Kommunenummer"), _("Antall krav"), _("Godkjent"), _("Kommunal andel")],
        bold,
    )
    for r in data.by_municipality:
        row(
            summary,
            [
                r["municipality"].name,
                r["municipality"].number,
                r["count"],
                r["approved"],
                r["share"],
            ],
            money_columns=(4, 5),
        )
    row(
        summary,
        [_("Sum"), "", len(data.claims), data.totals["approved"], data.totals["share"]],
        bold,
        money_columns=(4, 5),
    )

    claims = wb.create_sheet(_("Krav"))
    row(
        claims,
        [
            _("Krav-ID"),
            _("Kommune"),
            _("ALIS-lege"),
            _("HPR-nummer"),
            _("Status"),
            _("Krevd"),
            _("Godkjent"),
            _("Begrunnelse"),
            _("Utbetalt dato"),
            _("Kommunal andel"),
            _("Faktura"),
            _("Innbetalt andel"),
        ],
        bold,
    )
    for c in data.claims:
        invoice = getattr(c, "invoice", None)
        row(
            claims,
            [
                c.pk,
                c.municipality.name,
                c.trainee.full_name,
                c.trainee.hpr_number,
                c.get_status_display(),
                c.claimed_amount,
                c.approved_amount,
                c.decision_reason,
                c.paid_on,
                c.share_amount,
                invoice.number if invoice else "",
                invoice.paid_amount if invoice and invoice.paid_amount is not None else "",
            ],
            money_columns=(6, 7, 10, 12),
            date_columns=(9,),
        )
    row(
        claims,
        [
            _("Sum"),
            "",
            "",
            "",
            "",
            data.totals["claimed"],
            data.totals["approved"],
            "",
            "",
            data.totals["share"],
            "",
            data.totals["share_paid"],
        ],
        bold,
        money_columns=(6, 7, 10, 12),
    )
    for ws in (summary, claims):
        ws.column_dimensions["A"].width = 28
        for col in "BCDEFGHIJKL":
            ws.column_dimensions[col].width = 18
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
