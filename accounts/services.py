"""Writes for accounts: invitations and memberships."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from offices import clock
from offices.dates import short_date
from offices.owned import ensure_same_office
from offices.permissions import MUNICIPALITY_ROLES, OfficeAccess

from .models import Invitation, Membership, User
from .signals import invitation_accepted, membership_ended


@transaction.atomic
def invitation_create(
    *, office, acting_user: User, email: str, role: str, municipality=None
) -> tuple[Invitation, str]:
    """Create an invitation and queue its e-mail. Returns the invitation and the raw token."""
    from .tasks import send_invitation_email

    if role in MUNICIPALITY_ROLES and municipality is None:
        raise ValidationError({"municipality": _("Velg kommunen invitasjonen gjelder.")})
    ensure_same_office(
        office,
        municipality,
        message=_("Kommunen hører ikke til dette kontoret."),
        field="municipality",
    )
    token, token_hash = Invitation.new_token()
    invitation = Invitation(
        office=office,
        email=email.strip().lower(),
        role=role,
        municipality=municipality,
        token_hash=token_hash,
        invited_by=acting_user,
        expires_at=timezone.now() + timedelta(days=settings.ALIS_INVITATION_DAYS),
    )
    with scope(office=office):  # full_clean checks uniqueness through the scoped manager
        invitation.full_clean()
        invitation.save()
    send_invitation_email.delay_on_commit(office.pk, invitation.pk, token)
    return invitation, token


def invitation_problem(invitation: Invitation | None) -> str | None:
    """Why an invitation cannot be used, in the user's words; None when it can."""
    if invitation is None:
        return _("Lenken er ugyldig. Kontroller at du har kopiert hele lenken fra e-posten.")
    if invitation.is_used:
        return _(
            "Denne invitasjonen er allerede brukt. Logg inn for å komme videre, eller be "
            "om en ny invitasjon."
        )
    if invitation.is_expired:
        return _(
            "Invitasjonen er utløpt (den gjaldt i %(days)s dager). Be den som inviterte "
            "deg om en ny."
        ) % {"days": settings.ALIS_INVITATION_DAYS}
    return None


def invitation_wrong_account(invitation: Invitation, user: User) -> str | None:
    """An invitation belongs to the address it was sent to: another account cannot use it."""
    invited = invitation.email.strip().lower()
    if user.email.lower() == invited:
        return None
    if EmailAddress.objects.filter(user=user, email__iexact=invited, verified=True).exists():
        return None
    return _(
        "Invitasjonen ble sendt til %(invited)s, men du er logget inn som %(current)s. "
        "Logg ut og logg inn med kontoen for %(invited)s (eller opprett den) for å godta "
        "invitasjonen."
    ) % {"invited": invitation.email, "current": user.email}


@transaction.atomic
def invitation_accept(*, invitation: Invitation, acting_user: User) -> Membership:
    """Grant the invitation's membership to the user. Single use: locks the row."""
    with scope(office=invitation.office):
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    problem = invitation_problem(invitation) or invitation_wrong_account(invitation, acting_user)
    if problem:
        raise ValidationError(problem)
    membership, _created = Membership.objects.get_or_create(
        user=acting_user,
        office=invitation.office,
        role=invitation.role,
        municipality=invitation.municipality,
        defaults={"is_active": True},
    )
    if not membership.is_active:
        membership.is_active = True
        membership.save(update_fields=["is_active"])
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = acting_user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    invitation_accepted.send(sender=Invitation, invitation=invitation, user=acting_user)
    return membership


@transaction.atomic
def user_create_from_invitation(
    *, invitation: Invitation, first_name: str, last_name: str, password: str
) -> User:
    """Create the invited person's account. The link came to the address, so it is verified."""
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError(
            _("Det finnes allerede en konto for %(email)s. Logg inn i stedet.")
            % {"email": invitation.email}
        )
    user = User.objects.create_user(
        email=invitation.email, password=password, first_name=first_name, last_name=last_name
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def user_language_set(*, acting_user: User, language: str) -> User:
    """Store the interface language the user chose; it applies from the next request on."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Velg et av språkene i listen.")})
    acting_user.language = language
    acting_user.save(update_fields=["language"])
    return acting_user


@transaction.atomic
def membership_end(
    *,
    office,
    access: OfficeAccess,
    acting_user: User,
    membership: Membership,
    on=None,
    reason: str,
    request=None,
) -> Membership:
    """End a member's role in the office («Avslutt rolle»), at once.

    The membership is deactivated, so the office's pages answer 404 from the member's next
    request (OfficeScopeMiddleware reads the active memberships on every request). When it was
    the member's last active role anywhere, every session of theirs ends too (the auth epoch is
    part of the session hash). `on` (default today) records when the role ended: today or a day
    back to when it was given, never ahead (access ends now). The `rolle_fjernet` security
    event is written by the audit app, which listens to `membership_ended` (who, from where).
    """
    ensure_same_office(office, membership, message=_("Rollen hører ikke til dette kontoret."))
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if not membership.is_active:
        raise ValidationError(_("Rollen er allerede avsluttet."))
    if not access.may_end(membership):
        raise ValidationError(_("Du kan ikke avslutte denne rollen."))
    today = clock.today()
    on = on or today
    given = timezone.localdate(membership.created_at)
    if on > today:
        raise ValidationError(
            {
                "on": _(
                    "Rollen avsluttes med en gang, så datoen kan ikke være fram i tid. Vent "
                    "til dagen kommer, eller velg i dag."
                )
            }
        )
    if on < given:
        raise ValidationError(
            {
                "on": _("Rollen ble gitt %(day)s; den kan ikke avsluttes før det.")
                % {"day": short_date(given)}
            }
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Skriv hvorfor rollen avsluttes.")})
    membership.is_active = False
    membership.ended_on = on
    membership.end_reason = reason[:300]
    membership.ended_by = acting_user
    membership._history_user = acting_user
    membership.save(update_fields=["is_active", "ended_on", "end_reason", "ended_by"])
    if not Membership.objects.filter(user_id=membership.user_id, is_active=True).exists():
        User.objects.filter(pk=membership.user_id).update(auth_epoch=F("auth_epoch") + 1)
    membership_ended.send(
        sender=Membership, membership=membership, acting_user=acting_user, request=request
    )
    return membership
