from collections.abc import Callable
from dataclasses import dataclass

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


@dataclass(frozen=True)
class IssuedFile:
    """A signed file an app above this one issued (records: the application package), as the
    public verifier names it: what it is ("Søknadspakke for …, laget …") and which office made
    it (the signature must be that office's)."""

    title: str
    office_id: int


# Apps above confirmations that sign files of their own register, at start (AppConfig.ready),
# a lookup sha256 -> IssuedFile | None, so that /verify/ recognises those files by the hash
# stored when they were made, not only confirmations and service certificates.
_ISSUED_FILE_LOOKUPS: list[Callable[[str], IssuedFile | None]] = []


def register_issued_file_lookup(lookup: Callable[[str], IssuedFile | None]) -> None:
    if lookup not in _ISSUED_FILE_LOOKUPS:
        _ISSUED_FILE_LOOKUPS.append(lookup)


def issued_file_by_hash(sha256: str) -> IssuedFile | None:
    """Public lookup of an uploaded file among the other apps' signed files (cross-office)."""
    for lookup in _ISSUED_FILE_LOOKUPS:
        found = lookup(sha256)
        if found is not None:
            return found
    return None


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
