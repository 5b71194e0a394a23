from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.exceptions import ValidationError

from .network import client_ip


@dataclass(frozen=True)
class ProductSite:
    """What allauth's e-mails call the site ("Hei fra …", "… på …"): the product's name and
    the address the service is reached at (SITE_URL), never the Sites framework's domain
    (which says 127.0.0.1 wherever nobody edited it)."""

    name: str
    domain: str


def product_site() -> ProductSite:
    return ProductSite(
        name=settings.ALIS_SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc or "alis"
    )


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        super().send_mail(template_prefix, email, {"current_site": product_site(), **context})

    def is_open_for_signup(self, request):
        # Self-service sign-up is open (health chiefs register their municipality); access to
        # office data still comes only through an invitation or an approved registration.
        return getattr(settings, "ALIS_OPEN_SIGNUP", True)

    def get_client_ip(self, request) -> str:
        # allauth's login/sign-up rate limits key on the same address as everything else.
        return client_ip(request)

    def get_login_stages(self):
        # The two-factor step may be replaced (settings: the national login's, which is skipped
        # after a login that is two-factor itself).
        stage = getattr(settings, "ALIS_MFA_AUTHENTICATE_STAGE", None)
        default = "allauth.mfa.stages.AuthenticateStage"
        return [stage if path == default and stage else path for path in super().get_login_stages()]

    def pre_authenticate(self, request, **credentials):
        # allauth refuses here when the failed-login limit is reached: a lockout to log.
        try:
            return super().pre_authenticate(request, **credentials)
        except ValidationError:
            from .signals import login_locked_out

            typed = credentials.get("email") or credentials.get("username") or ""
            login_locked_out.send(sender=type(self), request=request, login=str(typed))
            raise
