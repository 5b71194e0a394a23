"""Reactions to allauth/Django events: session bookkeeping and ending other sessions."""

from allauth.mfa import signals as mfa_signals
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.contrib.auth.signals import user_logged_in
from django.db.models import F
from django.dispatch import Signal, receiver

from .sessions import mark_login

# For the security log (audit app, which sits above accounts and listens).
login_locked_out = Signal()  # request, login (what was typed)
invitation_accepted = Signal()  # invitation, user
membership_ended = Signal()  # membership, acting_user, request (may be None)


@receiver(user_logged_in)
def _session_starts(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        mark_login(request.session)


def _end_other_sessions(request, user, **kwargs):
    """Two-factor changed: every other session of the user ends, this one goes on.

    The session auth hash includes `auth_epoch` (User._get_session_auth_hash), so bumping it
    invalidates every session that stored the old hash; the current one gets the new hash.
    """
    user_model = get_user_model()
    user_model.objects.filter(pk=user.pk).update(auth_epoch=F("auth_epoch") + 1)
    fresh = user_model.objects.get(pk=user.pk)
    if request is not None and getattr(request, "user", None) == fresh:
        update_session_auth_hash(request, fresh)


mfa_signals.authenticator_added.connect(_end_other_sessions, dispatch_uid="alis_mfa_added")
mfa_signals.authenticator_removed.connect(_end_other_sessions, dispatch_uid="alis_mfa_removed")
mfa_signals.authenticator_reset.connect(_end_other_sessions, dispatch_uid="alis_mfa_reset")
