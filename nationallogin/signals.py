"""Marks a session from a national login at level substantial/high as two-factor, and makes
sure no other login (password, or a national login at a lower level) carries the mark."""

from allauth.account.signals import user_logged_in
from django.dispatch import receiver

from offices.assurance import clear_two_factor, mark_two_factor

from .claims import national_claims


@receiver(user_logged_in, dispatch_uid="nationallogin_assurance")
def _record_assurance(sender, request, user, sociallogin=None, **kwargs):
    clear_two_factor(request)
    if sociallogin is None:
        return
    claims = national_claims(sociallogin)
    if claims.two_factor:
        mark_two_factor(request, by=claims.provider_id)
