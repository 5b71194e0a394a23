"""A position Nord already has, for the import tests: planned at Bodø legevakt, list ceiling
1100, salaried, new scheme, two applicants, status from 01.03.2026."""

from datetime import date

from municipalities.models import Municipality
from positions.services import medical_office_create, position_create


def planned_bodo_legevakt(nord, coordinator_nord):
    bodo = Municipality.objects.get(number="1804")
    mo = medical_office_create(
        office=nord,
        acting_user=coordinator_nord,
        municipality=bodo,
        name="Bodø legevakt",
        ownership="kommunal",
    )
    return position_create(
        office=nord,
        acting_user=coordinator_nord,
        municipality=bodo,
        medical_office=mo,
        list_ceiling=1100,
        employment_form="fastlonn",
        scheme="ny",
        applicants=2,
        status_date=date(2026, 3, 1),
    )
