"""A finished report's data as tables and charts, and as Excel and PDF files.

The page, the Excel file and the PDF are made from the same tables (`report_tables`), which read
the stored snapshot; a national snapshot was suppressed before it was stored.
"""

from io import BytesIO

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from offices.dates import short_date
from offices.pdf import render_pdf
from offices.spreadsheets import escape_row

from .figures import FIGURES, charts_for, display
from .models import Kind, Report


def _sections(report: Report) -> list[tuple[str, dict]]:
    """(heading, figures) per column: the office, or every office and the country."""
    data = report.data
    if report.kind == Kind.NATIONAL:
        return [(row["office"], row["figures"]) for row in data.get("offices", [])] + [
            (_("Hele landet"), data.get("country", {}))
        ]
    return [(data.get("office", report.office.name), data.get("figures", {}))]


def report_tables(report: Report) -> list[dict]:
    """The figures as tables: one row per figure, one column per office (and the country)."""
    sections = _sections(report)
    columns = [heading for heading, _figures in sections]
    figures = [[str(label), *(display(f.get(key)) for _h, f in sections)] for key, label in FIGURES]
    years = sorted({year for _h, f in sections for year in f.get("completions", {})})
    completions = [
        [year, *(display(f.get("completions", {}).get(year, 0)) for _h, f in sections)]
        for year in years
    ]
    return [
        {
            "id": "tall",
            "caption": _("Nøkkeltall"),
            "columns": [_("Tall"), *columns],
            "rows": figures,
        },
        {
            "id": "fullforing-tabell",
            "caption": _("Forventet fullføring per år"),
            "columns": [_("År"), *columns],
            "rows": completions,
        },
    ]


def report_charts(report: Report) -> list[dict]:
    sections = _sections(report)
    return charts_for(sections[-1][1]) if sections else []


def report_title(report: Report) -> str:
    if report.kind == Kind.NATIONAL:
        return _("Nasjonal rapport per %(day)s") % {"day": short_date(report.period)}
    return _("Statusrapport for %(office)s per %(day)s") % {
        "office": report.office.name,
        "day": short_date(report.period),
    }


def report_context(report: Report) -> dict:
    return {
        "report": report,
        "title": report_title(report),
        "tables": report_tables(report),
        "charts": report_charts(report),
        "notes": report.data.get("notes", []),
        "national": report.kind == Kind.NATIONAL,
    }


def report_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Rapport")
    sheet.append(escape_row([report_title(report)]))
    sheet["A1"].font = Font(bold=True, size=14)
    for table in report_tables(report):
        sheet.append([])
        sheet.append(escape_row([table["caption"]]))
        sheet.cell(sheet.max_row, 1).font = Font(bold=True)
        sheet.append(escape_row(table["columns"]))
        for row in table["rows"]:
            # Numbers as numbers so the sheet can be summed; "<5" and "–" stay text.
            sheet.append(escape_row(_number(cell) for cell in row))
    for note in report.data.get("notes", []):
        sheet.append([])
        sheet.append(escape_row([note]))
    sheet.column_dimensions["A"].width = 55
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def _number(cell: str):
    plain = cell.replace("\u00a0", "")
    return int(plain) if plain.isdigit() else cell


def report_pdf(report: Report) -> bytes:
    return render_pdf(render_to_string("reports/report_pdf.html", report_context(report)))
