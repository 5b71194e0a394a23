"""A finished report's data as tables and charts, and as Excel and PDF files.

The page, the Excel file and the PDF are made from the same tables (`report_tables`), which read
the stored snapshot; a national snapshot was suppressed before it was stored.
"""

from io import BytesIO

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

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
    tables = [
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
    if report.kind == Kind.REGIONAL and report.data.get("by_trust") is not None:
        tables.append(_trust_table(report.data["by_trust"]))
    return tables


# (key, column heading) of the table per health trust.
TRUST_COLUMNS = [
    ("positions_total", _lazy("Stillinger")),
    ("positions_filled", _lazy("Besatt")),
    ("positions_salaried", _lazy("Fastlønn")),
    ("positions_self_employed", _lazy("Næring")),
    ("positions_old_scheme", _lazy("Gammel ordning")),
    ("applicants", _lazy("Søkere")),
    ("doctors_active", _lazy("Leger i løp")),
    ("doctors_with_veileder", _lazy("Med individuell veileder")),
    ("doctors_in_group", _lazy("I veiledningsgruppe")),
]


def _trust_table(rows: list[dict]) -> dict:
    """One row per health trust (OSO area), as the coordinators' tables, and the sum."""
    body = [
        [row["trust"] or _("Helseforetak ikke kjent")]
        + [display(row["figures"].get(key)) for key, _label in TRUST_COLUMNS]
        for row in rows
    ]
    if len(rows) > 1:
        body.append(
            [_("I alt")]
            + [
                display(sum(row["figures"].get(key) or 0 for row in rows))
                for key, _label in TRUST_COLUMNS
            ]
        )
    return {
        "id": "helseforetak",
        "caption": _("Per helseforetak"),
        "columns": [_("Helseforetak"), *(str(label) for _key, label in TRUST_COLUMNS)],
        "rows": body,
        "empty": _("Ingen stillinger eller leger i løp."),
    }


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
