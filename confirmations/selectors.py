from django.shortcuts import get_object_or_404
from django_scopes import scopes_disabled

from municipalities.models import EducationUnitRegistration

from .models import Confirmation, Event, Kind, Status, normalize_code


def confirmation_for_verification(code: str) -> Confirmation | None:
    """Public lookup by verification code. Cross-office on purpose: anyone holding a document
    may check it; the unguessable code is the key, and the page shows only the printed facts."""
    code = normalize_code(code)
    if not code:
        return None
    with scopes_disabled():
        return (
            Confirmation.objects.select_related("superseded_by", "office")
            .filter(code=code)
            .exclude(status__in=["venter", "feilet"])
            .first()
        )


def confirmation_by_hash(sha256: str) -> Confirmation | None:
    """Public lookup of an uploaded file by its SHA-256 (cross-office for the same reason)."""
    with scopes_disabled():
        return (
            Confirmation.objects.select_related("superseded_by")
            .filter(sha256=sha256)
            .exclude(sha256="")
            .first()
        )


def confirmations_for_trainee(office, trainee):
    return Confirmation.objects.filter(office=office, trainee=trainee).select_related(
        "superseded_by", "requested_by"
    )


def certificates_for_trainee(office, trainee, *, valid_only: bool = False):
    """The doctor's service certificates, oldest period first."""
    certificates = Confirmation.objects.filter(
        office=office, trainee=trainee, kind=Kind.SERVICE
    ).select_related("service_period")
    if valid_only:
        certificates = certificates.filter(status=Status.ISSUED)
    return certificates.order_by("facts__period_from", "serial")


def goal_confirmations_for_trainee(office, trainee, *, valid_only: bool = False):
    confirmations = Confirmation.objects.filter(office=office, trainee=trainee, kind=Kind.GOALS)
    if valid_only:
        confirmations = confirmations.filter(status=Status.ISSUED)
    return confirmations.order_by("issued_at", "serial")


def certificates_by_period(office, trainee, periods) -> list[tuple]:
    """Each service period (not leaves) with its current certificate (valid or being made),
    or None: what the leader may still issue."""
    current = {
        c.service_period_id: c
        for c in Confirmation.objects.filter(
            office=office,
            trainee=trainee,
            kind=Kind.SERVICE,
            status__in=[Status.PENDING, Status.ISSUED],
        )
    }
    return [(p, current.get(p.pk)) for p in periods if not p.is_leave]


def events_for(office, confirmation):
    return Event.objects.filter(office=office, confirmation=confirmation).select_related("by")


def organisation_number_for(municipality) -> str:
    """The organisation number the municipality was approved with as an education unit (the
    confirmation names it); empty when it has no approved registration."""
    registration = EducationUnitRegistration.objects.filter(
        office=municipality.office_id, municipality=municipality, status="approved"
    ).first()
    return registration.org_number if registration else ""


def confirmation_get(office, pk: int) -> Confirmation:
    """One confirmation of the office with its doctor and municipality, or 404."""
    return get_object_or_404(
        Confirmation.objects.select_related("trainee", "municipality"), office=office, pk=pk
    )


def confirmation_by_serial(office, serial: str) -> Confirmation | None:
    return (
        Confirmation.objects.select_related("trainee", "municipality")
        .filter(office=office, serial=serial)
        .first()
    )
