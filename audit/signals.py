"""Security events from allauth's, Django's and the accounts app's signals."""

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from django.contrib.auth import signals as auth_signals
from django.db.models.signals import post_save
from django.dispatch import receiver

from accounts import signals as accounts_signals
from accounts.models import Membership

from .models import SecurityEvent
from .services import log_event

Kind = SecurityEvent.Kind


@receiver(auth_signals.user_logged_in, dispatch_uid="audit_login")
def _login(sender, request, user, **kwargs):
    log_event(kind=Kind.LOGIN, request=request, user=user)


@receiver(auth_signals.user_logged_out, dispatch_uid="audit_logout")
def _logout(sender, request, user, **kwargs):
    if user is not None:
        log_event(kind=Kind.LOGOUT, request=request, user=user)


@receiver(auth_signals.user_login_failed, dispatch_uid="audit_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    typed = credentials.get("email") or credentials.get("username") or ""
    log_event(kind=Kind.LOGIN_FAILED, request=request, email=str(typed))


@receiver(accounts_signals.login_locked_out, dispatch_uid="audit_lockout")
def _lockout(sender, request, login, **kwargs):
    log_event(kind=Kind.LOCKOUT, request=request, email=login)


@receiver(account_signals.password_changed, dispatch_uid="audit_password_changed")
@receiver(account_signals.password_set, dispatch_uid="audit_password_set")
@receiver(account_signals.password_reset, dispatch_uid="audit_password_reset")
def _password(sender, request, user, **kwargs):
    log_event(kind=Kind.PASSWORD_CHANGED, request=request, user=user)


@receiver(mfa_signals.authenticator_added, dispatch_uid="audit_mfa_added")
def _mfa_added(sender, request, user, authenticator, **kwargs):
    log_event(kind=Kind.MFA_ADDED, request=request, user=user, detail=authenticator.type)


@receiver(mfa_signals.authenticator_removed, dispatch_uid="audit_mfa_removed")
@receiver(mfa_signals.authenticator_reset, dispatch_uid="audit_mfa_reset")
def _mfa_removed(sender, request, user, authenticator, **kwargs):
    log_event(kind=Kind.MFA_REMOVED, request=request, user=user, detail=authenticator.type)


@receiver(accounts_signals.invitation_accepted, dispatch_uid="audit_invitation")
def _invitation(sender, invitation, user, **kwargs):
    log_event(
        kind=Kind.INVITATION_ACCEPTED,
        user=user,
        office=invitation.office,
        detail=f"{invitation.role} invitert av {invitation.invited_by.email}",
    )


def _role(membership) -> str:
    where = f" ({membership.municipality.name})" if membership.municipality_id else ""
    return f"{membership.role}{where}"


@receiver(accounts_signals.membership_ended, dispatch_uid="audit_membership_ended")
def _membership_ended(sender, membership, acting_user, request=None, **kwargs):
    """«Avslutt rolle» on the members page: the member's role, who ended it, from where (the
    request's address), from which day and why."""
    log_event(
        kind=Kind.ROLE_REVOKED,
        request=request,
        user=membership.user,
        office=membership.office,
        detail=(
            f"{_role(membership)} avsluttet av {acting_user.email} fra {membership.ended_on}: "
            f"{membership.end_reason}"
        ),
    )


@receiver(post_save, sender=Membership, dispatch_uid="audit_membership")
def _membership(sender, instance, created, update_fields=None, **kwargs):
    if update_fields is not None and "ended_by" in update_fields:
        return  # ended on the members page: logged by _membership_ended, with who and where
    detail = _role(instance)
    if created and instance.is_active:
        kind = Kind.ROLE_GRANTED
    elif not created and update_fields is not None and "is_active" not in update_fields:
        return
    elif not created:
        kind = Kind.ROLE_GRANTED if instance.is_active else Kind.ROLE_REVOKED
    else:
        return
    log_event(kind=kind, user=instance.user, office=instance.office, detail=detail)
