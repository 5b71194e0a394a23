from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings

from .network import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # Self-service sign-up is open (health chiefs register their municipality); access to
        # office data still comes only through an invitation or an approved registration.
        return getattr(settings, "ALIS_OPEN_SIGNUP", True)

    def get_client_ip(self, request) -> str:
        # allauth's login/sign-up rate limits key on the same address as everything else.
        return client_ip(request)
