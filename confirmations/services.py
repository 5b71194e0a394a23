"""Issuing, superseding and revoking confirmations."""

import hashlib
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from goals.selectors import AchievedGoal
from offices import clock

from .models import Confirmation, Event, Status

log = logging.getLogger(__name__)


def _next_serial(office, year: int) -> str:
    prefix = f"ALIS-{office.slug.upper()}-{year}-"
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
    if trainee.office_id != office.pk:
        raise ValidationError(_("Legen hører ikke til dette kontoret."))
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


def confirmation_build(*, confirmation: Confirmation) -> Confirmation:
    """Render and sign (the slow part, outside a transaction), then store it all at once."""
    from .pki import office_signing_key
    from .rendering import render_pdf
    from .signing import sign_pdf

    if confirmation.status != Status.PENDING:
        return confirmation  # a retried task must not make a second document
    try:
        p12, password = office_signing_key(confirmation.office)  # the office's own key
        pdf = sign_pdf(
            render_pdf(confirmation),
            p12=p12,
            password=password,
            signer_name=confirmation.signer_name,
            location=confirmation.facts.get("municipality", ""),
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
        raise ValidationError(_("Bare en gyldig bekreftelse kan tilbakekalles."))
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
