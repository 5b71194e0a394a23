"""Linking a national login (ID-porten, HelseID) to an ALIS account.

A person is recognised, in this order, by: the provider's account already linked (allauth's
SocialAccount), the keyed hash of their national identity number from an earlier login, an
e-mail address that both the provider and ALIS have verified, or the invitation whose page the
login started from (which only creates a new account: an existing account with the invited
address is never linked through an invitation). Anyone else is refused: a national login never
creates an account on its own, and neither an unverified e-mail nor an invitation link takes
over one.
"""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.socialaccount.providers.base import AuthProcess
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy

from accounts.services import invitation_accept
from trainees.models import normalize_hpr

from .claims import NationalClaims
from .models import NationalIdentity
from .selectors import (
    pid_hmac_of,
    trainee_of,
    usable_invitation,
    user_by_email,
    user_by_pid_hmac,
    user_by_verified_email,
)

NO_PID = gettext_lazy(
    "Innloggingen ga ikke fødselsnummer, så vi kan ikke vite hvem du er. Prøv igjen, eller "
    "logg inn med e-post og passord."
)
NO_ACCOUNT = gettext_lazy(
    "Vi fant ingen konto i ALIS som hører til deg. Bruk lenken i invitasjonen du har fått på "
    "e-post, eller logg inn med e-post og passord og koble til nasjonal innlogging fra kontoen."
)
OTHER_ACCOUNT = gettext_lazy(
    "Denne personen er allerede koblet til en annen konto i ALIS. Logg inn med den, eller "
    "kontakt ALIS-kontoret."
)
OTHER_PERSON = gettext_lazy("Kontoen er koblet til en annen person. Kontakt ALIS-kontoret.")
INVITED_ACCOUNT_EXISTS = gettext_lazy(
    "Det finnes allerede en konto i ALIS med e-postadressen invitasjonen ble sendt til. Logg "
    "inn med e-post og passord for den kontoen og godta invitasjonen. Deretter kan du koble til "
    "nasjonal innlogging fra «Nasjonal innlogging» øverst på siden."
)
HPR_MISMATCH = gettext_lazy(
    "HPR-nummeret fra HelseID stemmer ikke med HPR-nummeret i ALIS-registeret ditt. Du er "
    "ikke logget inn. Kontakt ALIS-kontoret for å få rettet HPR-nummeret."
)
HPR_MISSING = gettext_lazy(
    "HelseID oppga ikke HPR-nummer, så vi kan ikke bekrefte at du er legen i ALIS-registeret. "
    "Du er ikke logget inn."
)


@dataclass
class LoginRefused(Exception):
    """The national login cannot be used; `message` tells the person why, `reason` the log."""

    message: str
    reason: str


def _check_hpr(user, claims: NationalClaims) -> None:
    """From HelseID: the HPR number must be the one in the doctor's record."""
    if not claims.checks_hpr:
        return
    trainee = trainee_of(user)
    if trainee is None:
        return
    if not claims.hpr_number:
        raise LoginRefused(str(HPR_MISSING), "hpr_missing")
    if normalize_hpr(claims.hpr_number) != normalize_hpr(trainee.hpr_number):
        raise LoginRefused(str(HPR_MISMATCH), "hpr_mismatch")


def _user_from_invitation(invitation, sociallogin):
    """A new account for the invited address (the invitation link came to that address, so it
    is verified), with the names the provider sent.

    Only a new one: holding an invitation link does not prove you own an account that already
    has the address (a forwarded or intercepted link would otherwise take it over). The owner
    logs in with the password, as the password flow asks, and links national login from there.
    """
    if user_by_email(invitation.email) is not None:
        raise LoginRefused(str(INVITED_ACCOUNT_EXISTS), "invitation_account_exists")
    proposed = sociallogin.user
    user = get_user_model().objects.create_user(
        email=invitation.email,
        first_name=(getattr(proposed, "first_name", "") or "")[:150],
        last_name=(getattr(proposed, "last_name", "") or "")[:150],
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@transaction.atomic
def national_login_link(*, request, sociallogin, claims: NationalClaims):
    """Find (or, for an invitation, create) the account this national login belongs to, check
    it, remember the person by the hash of their number, and link the provider's account.

    Raises LoginRefused (and changes nothing) when the login cannot be used.
    """
    if not claims.pid_hmac:
        raise LoginRefused(str(NO_PID), "no_pid")
    by_pid = user_by_pid_hmac(claims.pid_hmac)
    connecting = sociallogin.state.get("process") == AuthProcess.CONNECT
    invitation = None
    if connecting and request.user.is_authenticated:
        user = request.user
    elif sociallogin.is_existing:
        user = sociallogin.user
    elif by_pid is not None:
        user = by_pid
    else:
        user = user_by_verified_email(sociallogin.email_addresses)
        if user is None:
            invitation = usable_invitation(sociallogin.state.get("next"))
            if invitation is None:
                raise LoginRefused(str(NO_ACCOUNT), "no_account")
            user = _user_from_invitation(invitation, sociallogin)
    if by_pid is not None and by_pid.pk != user.pk:
        raise LoginRefused(str(OTHER_ACCOUNT), "pid_linked_elsewhere")
    known = pid_hmac_of(user)
    if known is not None and known != claims.pid_hmac:
        raise LoginRefused(str(OTHER_PERSON), "account_has_other_pid")
    if invitation is not None:
        invitation_accept(invitation=invitation, acting_user=user)
        sociallogin.state["next"] = reverse("home")
    _check_hpr(user, claims)
    if known is None:
        NationalIdentity.objects.create(
            user=user, pid_hmac=claims.pid_hmac, linked_by=claims.provider_id
        )
    if not connecting and not sociallogin.is_existing:
        sociallogin.connect(request, user)
    return user
