"""allauth's two-factor login step, skipped after a national login that is two-factor itself
(ID-porten at substantial/high, HelseID at level 3/4): the person is not asked for TOTP on top.
A password login, or a national login at a lower level, still gets the step."""

from allauth.mfa.stages import AuthenticateStage

from .claims import national_claims


class NationalLoginAwareAuthenticateStage(AuthenticateStage):
    def _should_handle(self, request) -> bool:
        sociallogin = (self.login.signal_kwargs or {}).get("sociallogin")
        if sociallogin is not None and national_claims(sociallogin).two_factor:
            return False
        return super()._should_handle(request)
