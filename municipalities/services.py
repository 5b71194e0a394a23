"""Writes to the municipality register: importing an updated list, moving between offices."""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django_scopes import scopes_disabled

from accounts.models import Membership
from offices.models import Office
from offices.reference import office_slug_for_county

from .models import Municipality, OfficeAssignment

NUMBER_RE = re.compile(r"^\d{4}$")

# Office-owned models whose rows belong to one municipality and follow it when it moves to
# another office (model label, name of the municipality field). Add new ones here.
FOLLOW_MUNICIPALITY: list[tuple[str, str]] = [
    ("accounts.Invitation", "municipality"),
    ("trainees.Trainee", "municipality"),
    ("trainees.ServicePeriod", "trainee__municipality"),
    ("trainees.SupervisorAssignment", "trainee__municipality"),
    ("positions.MedicalOffice", "municipality"),
    ("positions.Position", "municipality"),
    ("positions.PositionStatusChange", "position__municipality"),
]


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)
    unchanged: int = 0


def _validate_rows(
    rows: list[dict[str, str]], offices_by_slug: dict[str, Office], default_office: Office | None
) -> list[str]:
    errors, seen = [], set()
    existing = set(Municipality.objects.values_list("number", flat=True))
    for line, row in enumerate(rows, start=2):  # line 1 is the header
        number, name, county = row.get("number", ""), row.get("name", ""), row.get("county", "")
        if not NUMBER_RE.match(number):
            errors.append(f"Linje {line}: kommunenummer «{number}» må være fire sifre.")
            continue
        if number in seen:
            errors.append(f"Linje {line}: kommunenummer {number} står flere ganger i filen.")
        seen.add(number)
        if not name:
            errors.append(f"Linje {line}: kommunenavn mangler for {number}.")
        if not county:
            errors.append(f"Linje {line}: fylke mangler for {number}.")
        slug = office_slug_for_county(number)
        if number not in existing and default_office is None and slug not in offices_by_slug:
            errors.append(
                f"Linje {line}: finner ikke ALIS-kontor for fylkesnummer {number[:2]}; "
                "oppgi kontor med --kontor."
            )
    return errors


@transaction.atomic
def municipalities_import(
    *,
    rows: list[dict[str, str]],
    default_office: Office | None = None,
    deactivate_missing: bool = True,
    dry_run: bool = False,
) -> ImportReport:
    """Bring the register in line with an updated list. All rows are checked first; any error
    raises ValidationError and nothing is changed. Municipalities missing from the list are
    kept (with their history) but marked inactive."""
    offices_by_slug = {o.slug: o for o in Office.objects.all()}
    errors = _validate_rows(rows, offices_by_slug, default_office)
    if errors:
        raise ValidationError(errors)
    report = ImportReport()
    current = {m.number: m for m in Municipality.objects.all()}
    today = date.today()
    for row in rows:
        number = row["number"]
        m = current.get(number)
        if m is None:
            office = default_office or offices_by_slug[office_slug_for_county(number)]
            m = Municipality.objects.create(
                number=number, name=row["name"], county=row["county"], office=office
            )
            OfficeAssignment.objects.create(
                municipality=m, office=office, start=today, note="Ny i kommunelisten"
            )
            report.created.append(number)
        elif (m.name, m.county, m.is_active) != (row["name"], row["county"], True):
            m.name, m.county, m.is_active = row["name"], row["county"], True
            m.save()
            report.changed.append(number)
        else:
            report.unchanged += 1
    if deactivate_missing:
        listed = {r["number"] for r in rows}
        for number, m in current.items():
            if number not in listed and m.is_active:
                m.is_active = False
                m.save()
                report.deactivated.append(number)
    if dry_run:
        transaction.set_rollback(True)
    return report


@transaction.atomic
def municipalities_move(
    *, numbers: list[str], to_office: Office, on: date | None = None, note: str = ""
) -> list[Municipality]:
    """Move municipalities to another office from `on` (default today), keeping the history:
    the old assignment is closed the day before, a new one opened, and the memberships and
    open invitations bound to those municipalities follow them to the new office."""
    on = on or date.today()
    found = {
        m.number: m for m in Municipality.objects.select_for_update().filter(number__in=numbers)
    }
    missing = sorted(set(numbers) - set(found))
    if missing:
        raise ValidationError(f"Ukjente kommunenummer: {', '.join(missing)}. Ingenting er flyttet.")
    moved = []
    for number in numbers:
        m = found[number]
        if m.office_id == to_office.pk:
            continue
        open_assignment = m.office_assignments.filter(end__isnull=True).first()
        if open_assignment:
            if open_assignment.start >= on:
                raise ValidationError(f"{m}: flyttedato må være etter {open_assignment.start}.")
            open_assignment.end = on - timedelta(days=1)
            open_assignment.save(update_fields=["end"])
        OfficeAssignment.objects.create(municipality=m, office=to_office, start=on, note=note)
        m.office = to_office
        m.save(update_fields=["office"])
        for membership in Membership.objects.filter(municipality=m):
            membership.office = to_office
            membership.save(update_fields=["office"])
        # A move is cross-office by nature: it re-homes rows from the old office's scope.
        with scopes_disabled():
            for label, field_name in FOLLOW_MUNICIPALITY:
                apps.get_model(label).objects.filter(**{field_name: m}).update(office=to_office)
        moved.append(m)
    return moved
