"""Writes for positions, medical offices and the office's position rules.

Services take keyword-only arguments, the office and the acting user, validate with
`full_clean()` and run in one transaction inside the office's scope, so they are safe to call
from offices import clock
from views, commands and tasks alike. The spreadsheet import lives in `imports.py`.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_scopes import scope

from offices import clock
from offices.dates import short_date

from .models import (
    ACTIVE_STATUSES,
    STATUS_TRANSITIONS,
    MedicalOffice,
    OfficeRules,
    Position,
    PositionStatusChange,
    Status,
)

POSITION_FIELDS = (
    "municipality",
    "group",
    "medical_office",
    "list_ceiling",
    "employment_form",
    "scheme",
    "applicants",
    "group_supervision",
    "individual_supervisor",
    "individual_plan",
)


def office_rules(office) -> OfficeRules:
    """The office's rules, or the defaults (unsaved) while the office has not set any."""
    with scope(office=office):
        return OfficeRules.objects.filter(office=office).first() or OfficeRules(office=office)


def active_position_count(*, office, municipality, exclude_pk=None) -> int:
    with scope(office=office):
        qs = Position.objects.filter(
            office=office, municipality=municipality, status__in=ACTIVE_STATUSES
        )
        if exclude_pk:
            qs = qs.exclude(pk=exclude_pk)
        return qs.count()


def limit_message(*, office, municipality, limit: int) -> str:
    return _(
        "%(municipality)s har allerede %(limit)s aktive ALIS-stillinger, som er det høyeste "
        "antallet %(office)s tillater per kommune. Avslutt en stilling først, eller be "
        "kontoret endre regelen."
    ) % {"municipality": municipality.name, "limit": limit, "office": office.name}


def _check_limit(*, office, position: Position) -> None:
    """The most active positions per municipality (a group's positions are not counted)."""
    if not position.municipality_id or position.status not in ACTIVE_STATUSES:
        return
    limit = office_rules(office).max_positions_per_municipality
    count = active_position_count(
        office=office, municipality=position.municipality, exclude_pk=position.pk
    )
    if count >= limit:
        raise ValidationError(
            {
                "municipality": limit_message(
                    office=office, municipality=position.municipality, limit=limit
                )
            }
        )


@transaction.atomic
def office_rules_update(*, office, acting_user, max_positions_per_municipality: int) -> OfficeRules:
    with scope(office=office):
        rules = office_rules(office)
        rules.max_positions_per_municipality = max_positions_per_municipality
        rules.full_clean()
        rules.save()
    return rules


@transaction.atomic
def medical_office_create(
    *, office, acting_user, municipality, name: str, ownership: str, address: str = ""
) -> MedicalOffice:
    with scope(office=office):
        medical_office = MedicalOffice(
            office=office,
            municipality=municipality,
            name=name.strip(),
            ownership=ownership,
            address=address.strip(),
        )
        medical_office.full_clean()
        medical_office.save()
    return medical_office


@transaction.atomic
def medical_office_update(
    *,
    office,
    acting_user,
    medical_office: MedicalOffice,
    name: str,
    ownership: str,
    address: str = "",
) -> MedicalOffice:
    with scope(office=office):
        medical_office.name, medical_office.ownership = name.strip(), ownership
        medical_office.address = address.strip()
        medical_office.full_clean()
        medical_office.save()
    return medical_office


@transaction.atomic
def position_create(
    *,
    office,
    acting_user,
    municipality=None,
    group=None,
    medical_office=None,
    list_ceiling: int | None = None,
    employment_form: str,
    scheme: str,
    applicants: int = 0,
    status: str = Status.PLANNED,
    status_date: date | None = None,
) -> Position:
    """Create a position and the first step of its status history.

    Refused with a clear message when the municipality already has as many active positions
    as the office's rules allow.
    """
    status_date = status_date or clock.today()
    with scope(office=office):
        position = Position(
            office=office,
            municipality=municipality,
            group=group,
            medical_office=medical_office,
            list_ceiling=list_ceiling,
            employment_form=employment_form,
            scheme=scheme,
            applicants=applicants,
            status=status,
            status_date=status_date,
        )
        position.full_clean()
        _check_limit(office=office, position=position)
        position.save()
        PositionStatusChange.objects.create(
            office=office,
            position=position,
            status=status,
            date=status_date,
            changed_by=acting_user,
            note=_("Opprettet"),
        )
    return position


@transaction.atomic
def position_update(*, office, acting_user, position: Position, **fields) -> Position:
    """Change a position's details (not its status: see `position_change_status`)."""
    unknown = set(fields) - set(POSITION_FIELDS)
    if unknown:
        raise TypeError(f"Ukjente felt: {unknown}")
    with scope(office=office):
        moved = fields.get("municipality", position.municipality) != position.municipality
        for name, value in fields.items():
            setattr(position, name, value)
        position.full_clean()
        if moved:
            _check_limit(office=office, position=position)
        position.save()
    return position


@transaction.atomic
def position_change_status(
    *, office, acting_user, position: Position, status: str, on: date, note: str = ""
) -> Position:
    """Move a position along planned → advertised → filled → vacant/ended, dated."""
    with scope(office=office):
        position = Position.objects.select_for_update().get(pk=position.pk, office=office)
        if status not in STATUS_TRANSITIONS[position.status]:
            raise ValidationError(
                {
                    "status": _("En stilling som er «%(old)s», kan ikke bli «%(new)s».")
                    % {
                        "old": position.get_status_display().lower(),
                        "new": Status(status).label.lower(),
                    }
                }
            )
        if on < position.status_date:
            raise ValidationError(
                {
                    "on": _("Datoen kan ikke være før forrige statusendring (%(date)s).")
                    % {"date": short_date(position.status_date)}
                }
            )
        position.status, position.status_date = status, on
        position.full_clean()
        position.save(update_fields=["status", "status_date"])
        PositionStatusChange.objects.create(
            office=office,
            position=position,
            status=status,
            date=on,
            changed_by=acting_user,
            note=note.strip(),
        )
    return position
