"""The grant claim as an Excel workbook for the auditor.

Amounts are written as numbers (Decimal) with a kroner format, so the auditor can add them up.
Text cells that a spreadsheet could take for a formula (starting with = + - @, tab or CR)
are prefixed with an apostrophe (OWASP's advice against CSV/formula injection).
"""

from __future__ import annotations

from io import BytesIO

from django.utils.translation import gettext as _

from offices.spreadsheets import escape_formula

from .formatting import format_date, format_month
from .grants import Claim

KR_FORMAT = '#,##0.00 "kr"'


safe_text = escape_formula  # the project's one formula escape


def claim_workbook(office, municipality, scheme, claim: Claim) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    summary = wb.active
    summary.title = _("Krav")
    bold = Font(bold=True)

    def row(ws, values, font=None):
        ws.append([safe_text(v) for v in values])
        if font:
            for cell in ws[ws.max_row]:
                cell.font = font

    row(summary, [_("Tilskuddskrav – %(scheme)s") % {"scheme": scheme.name}], bold)
    row(summary, [_("Kommune"), f"{municipality.name} ({municipality.number})"])
    row(summary, [_("ALIS-kontor"), office.name])
    row(summary, [_("Periode"), f"{format_date(scheme.start)}–{format_date(scheme.end)}"])
    row(summary, [_("Frist for revisorrapport"), format_date(scheme.auditor_report_deadline)])
    row(summary, [])
    row(
        summary,
        [_("ALIS-lege"), _("HPR-nummer"), _("Måneder"), _("Stillingsprosent"), _("Beløp")],
        bold,
    )
    for line in claim.lines:
        row(
            summary,
            [
                line.alis.name,
                line.alis.hpr_number,
                line.counted_months,
                line.percentage if line.percentage is not None else 0,
                line.amount,
            ],
        )
        summary.cell(summary.max_row, 5).number_format = KR_FORMAT
    row(summary, [_("Sum"), "", "", "", claim.total], bold)
    summary.cell(summary.max_row, 5).number_format = KR_FORMAT

    months = wb.create_sheet(_("Måneder"))
    row(
        months,
        [
            _("ALIS-lege"),
            _("Måned"),
            _("Dager i måneden"),
            _("Dager som teller"),
            _("Beløp"),
            _("Unntatt"),
        ],
        bold,
    )
    for line in claim.lines:
        for m in line.months:
            excluded = "; ".join(
                _("%(days)s dager: %(reason)s") % {"days": days, "reason": reason.label}
                for reason, days in m.excluded.items()
            )
            row(
                months,
                [
                    line.alis.name,
                    format_month(m.month),
                    m.days_in_month,
                    m.counted_days,
                    m.amount,
                    excluded,
                ],
            )
            months.cell(months.max_row, 5).number_format = KR_FORMAT
    for ws in (summary, months):
        ws.column_dimensions["A"].width = 32
        for col in "BCDEF":
            ws.column_dimensions[col].width = 18
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
