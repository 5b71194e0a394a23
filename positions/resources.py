"""Export of the regional overview (django-import-export), with spreadsheet formulas defused.

The export has the coordinators' own column headers, so an exported file can be edited and
imported again (see `imports.py`; «Kommunenr.» makes the municipality unambiguous).
"""

from django.utils.translation import gettext_lazy as _
from import_export import fields, resources
from import_export.formats.base_formats import CSV, XLSX

from offices.spreadsheets import escape_formula

from .imports import DRIFTSFORM, KOMMUNE, KOMMUNENR, LEGEKONTOR, LISTETAK, ORDNING, SOKERE, STATUS
from .models import Position

NOT_YET = "–"  # supervision and plan columns, filled once later issues land


class OverviewResource(resources.ModelResource):
    county = fields.Field(attribute="county", column_name=_("Fylke"))
    place = fields.Field(attribute="place", column_name=KOMMUNE)
    number = fields.Field(column_name=KOMMUNENR)
    applicants = fields.Field(attribute="applicants", column_name=SOKERE)
    medical_office = fields.Field(column_name=LEGEKONTOR)
    list_ceiling = fields.Field(attribute="list_ceiling", column_name=LISTETAK)
    employment_form = fields.Field(column_name=DRIFTSFORM)
    scheme = fields.Field(column_name=ORDNING)
    status = fields.Field(column_name=STATUS)
    group_supervision = fields.Field(column_name=_("Gruppeveiledning"))
    supervisor = fields.Field(column_name=_("Individuell veileder"))
    plan = fields.Field(column_name=_("Individuell plan"))

    class Meta:
        model = Position
        fields = (
            "county",
            "place",
            "number",
            "applicants",
            "medical_office",
            "list_ceiling",
            "employment_form",
            "scheme",
            "status",
            "group_supervision",
            "supervisor",
            "plan",
        )
        export_order = fields

    def dehydrate_number(self, position):
        return position.municipality.number if position.municipality_id else ""

    def dehydrate_medical_office(self, position):
        return position.medical_office.name if position.medical_office_id else ""

    def dehydrate_employment_form(self, position):
        return str(position.get_employment_form_display())

    def dehydrate_scheme(self, position):
        return "Ny" if position.scheme == "ny" else "Gammel"

    def dehydrate_status(self, position):
        return str(position.get_status_display())

    def dehydrate_group_supervision(self, position):
        return NOT_YET

    def dehydrate_supervisor(self, position):
        return NOT_YET

    def dehydrate_plan(self, position):
        return NOT_YET

    def export_field(self, field, instance, **kwargs):
        return escape_formula(super().export_field(field, instance, **kwargs))


def overview_export(positions, file_format: str) -> bytes:
    """The overview rows as .xlsx or .csv (semicolon-separated UTF-8 with BOM, as Excel in
    Norway expects)."""
    dataset = OverviewResource().export(queryset=positions)
    if file_format == "xlsx":
        return XLSX().export_data(dataset)
    text = CSV().export_data(dataset, delimiter=";")
    return ("\ufeff" + text).encode("utf-8")
