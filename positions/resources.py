"""Export of the regional overview (django-import-export), with spreadsheet formulas defused.

The export has the coordinators' own column headers, so an exported file can be edited and
imported again (see `imports.py`; «Kommunenr.» makes the municipality unambiguous).
"""

import io

import openpyxl
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources
from import_export.formats.base_formats import CSV, XLSX

from offices.dates import short_date
from offices.spreadsheets import escape_formula

from .imports import (
    DRIFTSFORM,
    GRUPPE,
    HELSEFORETAK,
    KOMMUNE,
    KOMMUNENR,
    LEGEKONTOR,
    LISTETAK,
    ORDNING,
    PLAN,
    SOKERE,
    STATUS,
    STATUS_FRA,
    VEILEDER,
)
from .interpret import fact_text, word_text
from .models import Position

SHEET_TITLE = _("ALIS-stillinger")
EXCEL_DATE_FORMAT = "dd.mm.yyyy"  # a date cell, shown as the coordinators write dates


class OverviewResource(resources.ModelResource):
    """Every column the overview shows, with real values: numbers as numbers, dates as dates.
    What the coordinator wrote beside a number (shared applicants, a list note, an uncertain
    or noted employment form) is written the way `interpret.py` reads it back."""

    health_trust = fields.Field(column_name=HELSEFORETAK)
    county = fields.Field(attribute="county", column_name=_("Fylke"))
    place = fields.Field(attribute="place", column_name=KOMMUNE)
    number = fields.Field(column_name=KOMMUNENR)
    applicants = fields.Field(column_name=SOKERE)
    medical_office = fields.Field(column_name=LEGEKONTOR)
    list_ceiling = fields.Field(column_name=LISTETAK)
    employment_form = fields.Field(column_name=DRIFTSFORM)
    scheme = fields.Field(column_name=ORDNING)
    status = fields.Field(column_name=STATUS)
    status_date = fields.Field(column_name=STATUS_FRA)
    holder = fields.Field(column_name=_("ALIS-lege"))
    group_supervision = fields.Field(column_name=GRUPPE)
    supervisor = fields.Field(column_name=VEILEDER)
    plan = fields.Field(column_name=PLAN)

    class Meta:
        model = Position
        fields = (
            "health_trust",
            "county",
            "place",
            "number",
            "applicants",
            "medical_office",
            "list_ceiling",
            "employment_form",
            "scheme",
            "status",
            "status_date",
            "holder",
            "group_supervision",
            "supervisor",
            "plan",
        )
        export_order = fields

    def dehydrate_health_trust(self, position):
        return position.health_trust or ""

    def __init__(self, *, dates_as_text: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.dates_as_text = dates_as_text

    def dehydrate_status_date(self, position):
        if self.dates_as_text:  # CSV: 01.09.2026, as the coordinators write it (import reads it)
            with translation.override("nb"):
                return short_date(position.status_date)
        return position.status_date

    def dehydrate_number(self, position):
        return position.municipality.number if position.municipality_id else ""

    def dehydrate_applicants(self, position):
        if position.applicants is None:
            return position.applicants_text or "?"
        if position.applicants_shared:
            return f"{position.applicants} (felles)"
        return position.applicants

    def dehydrate_medical_office(self, position):
        return position.medical_office.name if position.medical_office_id else ""

    def dehydrate_list_ceiling(self, position):
        if position.list_ceiling is None:
            return position.list_note
        if position.list_note:
            return f"{position.list_ceiling} ({position.list_note})"
        return position.list_ceiling

    def dehydrate_employment_form(self, position):
        return word_text(
            str(position.get_employment_form_display()),
            position.employment_uncertain,
            position.employment_note,
        )

    def dehydrate_scheme(self, position):
        label = "Ny" if position.scheme == "ny" else "Gammel"
        return word_text(label, position.scheme_uncertain, "")

    def dehydrate_status(self, position):
        return str(position.get_status_display())

    def dehydrate_holder(self, position):
        return f"{position.holder_first} {position.holder_last}" if position.holder_last else ""

    # Once the doctor is registered, the three facts come from their own records.
    def dehydrate_group_supervision(self, position):
        if position.holder_last:
            return "Ja" if position.holder_in_group else "Nei"
        return fact_text(position.group_supervision, position.group_supervision_note)

    def dehydrate_supervisor(self, position):
        if position.holder_last:
            veileder = position.holder_veileder
            return f"Ja ({veileder})" if veileder else "Nei"
        return fact_text(position.individual_supervisor, position.individual_supervisor_note)

    def dehydrate_plan(self, position):
        if position.holder_last:
            return "Ja" if position.holder_has_plan else "Nei"
        return fact_text(position.individual_plan, position.individual_plan_note)

    def export_field(self, field, instance, **kwargs):
        return escape_formula(super().export_field(field, instance, **kwargs))


def overview_export(positions, file_format: str) -> bytes:
    """The overview rows as .xlsx or .csv (semicolon-separated UTF-8 with BOM, as Excel in
    Norway expects)."""
    dataset = OverviewResource(dates_as_text=file_format != "xlsx").export(queryset=positions)
    # The sheet's name in Excel (tablib would call it «Tablib Dataset»); at most 31 characters.
    dataset.title = str(SHEET_TITLE)[:31]
    if file_format == "xlsx":
        return _date_cells(XLSX().export_data(dataset), column=dataset.headers.index(STATUS_FRA))
    text = CSV().export_data(dataset, delimiter=";")
    return ("\ufeff" + text).encode("utf-8")


def _date_cells(content: bytes, *, column: int) -> bytes:
    """«Status fra» as Excel date cells shown dd.mm.yyyy (tablib leaves openpyxl's default,
    which Excel in Norway shows with a time of day)."""
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    for (cell,) in workbook.active.iter_rows(min_row=2, min_col=column + 1, max_col=column + 1):
        if cell.is_date:
            cell.number_format = EXCEL_DATE_FORMAT
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
