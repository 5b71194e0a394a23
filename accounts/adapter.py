from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # Self-service sign-up is open (health chiefs register their municipality); access to
        # office data still comes only through an invitation or an approved registration.
        return getattr(settings, "ALIS_OPEN_SIGNUP", True)
