"""Reads for linking a national login to an account."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.urls import Resolver404, resolve
from django_scopes import scopes_disabled

from accounts.selectors import invitation_by_token
from accounts.services import invitation_problem
from trainees.models import Trainee

from .models import NationalIdentity


def user_by_pid_hmac(pid_hmac: str):
    identity = NationalIdentity.objects.select_related("user").filter(pid_hmac=pid_hmac).first()
    return identity.user if identity else None


def pid_hmac_of(user) -> str | None:
    return NationalIdentity.objects.filter(user=user).values_list("pid_hmac", flat=True).first()


def user_by_verified_email(addresses):
    """The account whose e-mail address is verified here AND by the provider, or None."""
    for address in addresses:
        if not address.verified or not address.email:
            continue
        found = (
            EmailAddress.objects.filter(email__iexact=address.email, verified=True)
            .select_related("user")
            .first()
        )
        if found:
            return found.user
    return None


def user_by_email(email: str):
    return get_user_model().objects.filter(email__iexact=email).first()


def usable_invitation(next_url: str | None):
    """The invitation whose page the national login started from, when it can still be used."""
    if not next_url:
        return None
    try:
        match = resolve(next_url.split("?")[0])
    except Resolver404:
        return None
    if match.url_name != "invitation_accept":
        return None
    with scopes_disabled():
        invitation = invitation_by_token(match.kwargs["token"])
    return invitation if invitation and not invitation_problem(invitation) else None


def trainee_of(user):
    """The ALIS doctor record linked to this account, in whichever office it is."""
    with scopes_disabled():
        return Trainee.objects.filter(user=user).only("id", "hpr_number", "office_id").first()
