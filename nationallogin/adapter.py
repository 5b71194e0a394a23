"""allauth's social-account adapter for the national logins: who the person is decided by
nationallogin.services, refusals shown on the login page, no sign-up of its own."""

import logging

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.contrib import messages
from django.shortcuts import redirect

from .claims import national_claims
from .services import LoginRefused, national_login_link

log = logging.getLogger("alis.nationallogin")


class NationalLoginAdapter(DefaultSocialAccountAdapter):
    def pre_social_login(self, request, sociallogin):
        claims = national_claims(sociallogin)
        try:
            national_login_link(request=request, sociallogin=sociallogin, claims=claims)
        except LoginRefused as refused:
            # No personal data in the log line: the provider and why, nothing about the person.
            log.warning(
                "national login refused",
                extra={"provider": claims.provider_id, "reason": refused.reason},
            )
            messages.error(request, refused.message)
            raise ImmediateHttpResponse(redirect("account_login")) from refused

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ):
        # The provider or the token exchange failed (allauth shows its error page). Logged
        # for support with the request id; the exception is the provider's error, not the person.
        log.warning(
            "national login failed",
            extra={
                "provider": getattr(provider, "sub_id", None),
                "error": error,
                "exception": f"{type(exception).__name__}: {exception}"[:300]
                if exception
                else None,
            },
        )

    def is_open_for_signup(self, request, sociallogin):
        # Accounts come from invitations (national_login_link creates the invited one).
        return False
