"""Issuing, superseding and revoking confirmations and service certificates."""

import hashlib
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from accounts.language import speaking
from goals.selectors import AchievedGoal
from offices import clock
from offices.owned import ensure_same_office

from .models import Confirmation, Event, Kind, Status

log = logging.getLogger(__name__)


SERIAL_PREFIX = {Kind.GOALS: "ALIS", Kind.SERVICE: "TJA"}


def _next_serial(office, year: int, kind: str = Kind.GOALS) -> str:
    prefix = f"{SERIAL_PREFIX[kind]}-{office.slug.upper()}-{year}-"
    last = (
        Confirmation.objects.filter(office=office, serial__startswith=prefix)
        .order_by("-serial")
        .values_list("serial", flat=True)
        .first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:05d}"


@transaction.atomic
def confirmation_request(
    *,
    office,
    acting_user,
    trainee,
    goals: list[AchievedGoal],
    signer_name: str,
    organisation_number: str = "",
    supersedes: Confirmation | None = None,
) -> Confirmation:
    """Record a confirmation to be made and queue rendering + signing (after commit)."""
    from .tasks import build_confirmation

    if not goals:
        raise ValidationError(_("Legen har ingen godkjente læringsmål å bekrefte ennå."))
    ensure_same_office(office, trainee, message=_("Legen hører ikke til dette kontoret."))
    if supersedes is not None and supersedes.status != Status.ISSUED:
        raise ValidationError(_("Bare en gyldig bekreftelse kan erstattes."))
    with scope(office=office):
        # Lock the office row so two requests cannot take the same serial number.
        type(office).objects.select_for_update().get(pk=office.pk)
        dates = sorted(g.approved_on for g in goals)
        confirmation = Confirmation.objects.create(
            office=office,
            municipality=trainee.municipality,
            trainee=trainee,
            serial=_next_serial(office, clock.today().year),
            goals=[g.as_json() for g in goals],
            signer_name=signer_name,
            facts={
                "doctor": trainee.full_name,
                "hpr": trainee.hpr_number,
                "municipality": trainee.municipality.name,
                "municipality_number": trainee.municipality.number,
                "organisation_number": organisation_number,
                "period_from": dates[0].isoformat(),
                "period_to": dates[-1].isoformat(),
                "goal_count": len(goals),
            },
            supersedes=supersedes,
            requested_by=acting_user,
        )
        Event.objects.create(
            office=office, confirmation=confirmation, kind=Event.Kind.REQUESTED, by=acting_user
        )
    build_confirmation.delay_on_commit(office.pk, confirmation.pk)
    return confirmation


def _overlaps(period, start, end) -> bool:
    return period.start <= end and (period.end is None or period.end >= start)


def certificate_municipality(period):
    """The municipality that issues the certificate: where the service was, when that
    municipality is served by the doctor's office; otherwise the doctor's own municipality
    (a hospital period, or service in another region before a transfer)."""
    municipality = period.municipality
    if municipality is not None and municipality.office_id == period.office_id:
        return municipality
    return period.trainee.municipality


def service_certificate_facts(period, *, leaves, organisation_number: str = "") -> dict:
    """What a service certificate states about one employment (a copy: the certificate stays
    as issued whatever later happens to the period). An ongoing period is certified up to
    today; leaves inside it are named, since they are not service."""
    trainee = period.trainee
    municipality = certificate_municipality(period)
    until = period.end or clock.today()
    return {
        "doctor": trainee.full_name,
        "hpr": trainee.hpr_number,
        "municipality": municipality.name,
        "municipality_number": municipality.number,
        "organisation_number": organisation_number,
        "place": period.place,
        "arena": period.arena,
        "arena_label": str(period.get_arena_display()),
        "percentage": period.percentage,
        "period_from": period.start.isoformat(),
        "period_to": period.end.isoformat() if period.end else None,
        "certified_to": until.isoformat(),
        "ongoing": period.end is None,
        "credited": period.credited,
        "employment_form": str(trainee.get_employment_form_display() or ""),
        "leaves": [
            {
                "from": leave.start.isoformat(),
                "to": leave.end.isoformat() if leave.end else None,
                "note": leave.place or leave.note,
            }
            for leave in leaves
            if leave.is_leave and _overlaps(leave, period.start, until)
        ],
    }


@transaction.atomic
def service_certificate_request(
    *,
    office,
    acting_user,
    period,
    leaves,
    signer_name: str,
    organisation_number: str = "",
    supersedes: Confirmation | None = None,
) -> Confirmation:
    """Record a service certificate (tjenesteattest) for one employment and queue making it.
    `leaves` are the doctor's leave periods (those inside the employment are printed)."""
    from .tasks import build_confirmation

    trainee = period.trainee
    ensure_same_office(office, trainee, period, message=_("Legen hører ikke til dette kontoret."))
    if period.is_leave:
        raise ValidationError(_("En permisjon er ikke tjeneste og får ingen tjenesteattest."))
    if supersedes is not None and (
        supersedes.status != Status.ISSUED or supersedes.service_period_id != period.pk
    ):
        raise ValidationError(_("Bare en gyldig tjenesteattest for samme periode kan erstattes."))
    with scope(office=office):
        type(office).objects.select_for_update().get(pk=office.pk)
        current = Confirmation.objects.filter(
            office=office,
            kind=Kind.SERVICE,
            service_period=period,
            status__in=[Status.PENDING, Status.ISSUED],
        )
        if supersedes is not None:
            current = current.exclude(pk=supersedes.pk)
        if current.exists():
            raise ValidationError(
                _("Perioden har allerede en gyldig tjenesteattest. Utsted en ny som erstatter den.")
            )
        municipality = certificate_municipality(period)
        certificate = Confirmation.objects.create(
            office=office,
            kind=Kind.SERVICE,
            service_period=period,
            municipality=municipality,
            trainee=trainee,
            serial=_next_serial(office, clock.today().year, Kind.SERVICE),
            goals=[],
            signer_name=signer_name,
            facts=service_certificate_facts(
                period, leaves=leaves, organisation_number=organisation_number
            ),
            supersedes=supersedes,
            requested_by=acting_user,
        )
        Event.objects.create(
            office=office, confirmation=certificate, kind=Event.Kind.REQUESTED, by=acting_user
        )
    build_confirmation.delay_on_commit(office.pk, certificate.pk)
    return certificate


def confirmation_build(*, confirmation: Confirmation) -> Confirmation:
    """Render and sign (the slow part, outside a transaction), then store it all at once."""
    from .pki import office_signing_key
    from .rendering import render_pdf
    from .signing import sign_pdf

    if confirmation.status != Status.PENDING:
        return confirmation  # a retried task must not make a second document
    try:
        p12, password = office_signing_key(confirmation.office)  # the office's own key
        # The document is the doctor's: written in the language the doctor chose.
        with speaking(confirmation.trainee.user):
            document = render_pdf(confirmation)
        pdf = sign_pdf(
            document,
            p12=p12,
            password=password,
            signer_name=confirmation.signer_name,
            location=confirmation.facts.get("municipality", ""),
            reason=confirmation.get_kind_display(),
        )
    except Exception as error:
        log.exception("Bekreftelse %s kunne ikke lages", confirmation.serial)
        with transaction.atomic():
            confirmation.status, confirmation.error = Status.FAILED, str(error)[:2000]
            confirmation.save(update_fields=["status", "error"])
            Event.objects.create(
                office=confirmation.office,
                confirmation=confirmation,
                kind=Event.Kind.FAILED,
                note=str(error)[:500],
            )
        raise
    with transaction.atomic():
        confirmation.pdf.save(f"{confirmation.serial}.pdf", ContentFile(pdf), save=False)
        confirmation.sha256 = hashlib.sha256(pdf).hexdigest()
        confirmation.issued_at = timezone.now()
        confirmation.status = Status.ISSUED
        confirmation.save()
        Event.objects.create(
            office=confirmation.office, confirmation=confirmation, kind=Event.Kind.ISSUED
        )
        old = confirmation.supersedes
        if old is not None:
            old.status = Status.SUPERSEDED
            old.save(update_fields=["status"])
            Event.objects.create(
                office=old.office,
                confirmation=old,
                kind=Event.Kind.SUPERSEDED,
                by=confirmation.requested_by,
                note=_("Erstattet av %(serial)s") % {"serial": confirmation.serial},
            )
    return confirmation


@transaction.atomic
def confirmation_revoke(
    *, office, acting_user, confirmation: Confirmation, reason: str
) -> Confirmation:
    if not reason.strip():
        raise ValidationError({"reason": _("Skriv hvorfor bekreftelsen tilbakekalles.")})
    if confirmation.status != Status.ISSUED:
        raise ValidationError(_("Bare et gyldig dokument kan tilbakekalles."))
    with scope(office=office):
        confirmation.status = Status.REVOKED
        confirmation.revoked_reason = reason.strip()
        confirmation.save(update_fields=["status", "revoked_reason"])
        Event.objects.create(
            office=office,
            confirmation=confirmation,
            kind=Event.Kind.REVOKED,
            by=acting_user,
            note=reason.strip(),
        )
    return confirmation


def signing_configured() -> bool:
    return bool(getattr(settings, "ALIS_PKI_DIR", ""))


def confirmation_downloaded(*, office, confirmation: Confirmation, acting_user) -> Event:
    """Record that someone downloaded the confirmation (the document's own log, like the
    read-access log: the one write a download makes)."""
    return Event.objects.create(
        office=office, confirmation=confirmation, kind=Event.Kind.DOWNLOADED, by=acting_user
    )
