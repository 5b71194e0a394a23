"""National login (ID-porten, HelseID) through a real OpenID Connect provider.

tests/oidc starts npm's `oidc-provider` as its own process on 127.0.0.1; ALIS talks to it over
HTTP exactly as to ID-porten and HelseID (discovery, authorization with PKCE, the token request
with a private_key_jwt client assertion, the signed ID token checked against JWKS, userinfo).
The person's side (the provider's login page) is driven with plain HTTP requests here and with
a browser in tests/browser/test_national_login_browser.py.
"""

import json
import subprocess
import sys
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.conf import settings as django_settings
from django.contrib.messages import get_messages
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import Invitation, Membership, User
from alis.settings.national_login import providers_setting
from nationallogin.claims import pid_hmac
from nationallogin.models import NationalIdentity
from offices.permissions import Role
from tests.agreement_helpers import make_trainee
from tests.conftest import member, production_env
from tests.factories import PASSWORD
from tests.oidc import PID_ANNA, PID_KARI, OIDCProvider, real_clock


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    running = OIDCProvider(tmp_path_factory.mktemp("oidc"), ["http://testserver"])
    yield running
    running.stop()


# What the person is told (written out here, not imported from the code under test).
NO_ACCOUNT = (
    "Vi fant ingen konto i ALIS som hører til deg. Bruk lenken i invitasjonen du har fått på "
    "e-post, eller logg inn med e-post og passord og koble til nasjonal innlogging fra kontoen."
)
INVITED_ACCOUNT_EXISTS = (
    "Det finnes allerede en konto i ALIS med e-postadressen invitasjonen ble sendt til. Logg "
    "inn med e-post og passord for den kontoen og godta invitasjonen. Deretter kan du koble til "
    "nasjonal innlogging fra «Nasjonal innlogging» øverst på siden."
)
HPR_MISMATCH = (
    "HPR-nummeret fra HelseID stemmer ikke med HPR-nummeret i ALIS-registeret ditt. Du er "
    "ikke logget inn. Kontakt ALIS-kontoret for å få rettet HPR-nummeret."
)


@pytest.fixture(autouse=True)
def _real_time():
    with real_clock():
        yield


@pytest.fixture
def national(provider, settings):
    settings.SOCIALACCOUNT_PROVIDERS = provider.providers_setting()
    return provider


def national_login(client, provider, provider_id, login, *, acr=None, next_url=None):
    """Press «Logg inn med …», log in at the provider, come back: ALIS's final response."""
    url = reverse("openid_connect_login", kwargs={"provider_id": provider_id})
    if next_url:
        url += f"?next={next_url}"
    start = client.post(url)
    assert start.status_code == 302, start.content[:300]
    authorize = start["Location"]
    assert authorize.startswith(provider.issuer + "/auth?")
    back = provider.log_in(authorize, login, acr=acr)
    parts = urlsplit(back)
    assert parts.netloc == "testserver", back
    response = client.get(f"{parts.path}?{parts.query}")
    # A failed exchange shows allauth's error page (401); say why when a test did not expect it.
    if response.status_code == 401:
        print(provider.errors())
    return response


def error_messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"]


def logged_in_user(client):
    return client.get(reverse("home")).wsgi_request.user


def assert_refused(client, response, message: str) -> None:
    """Back on the login page with the reason, and not logged in."""
    assert response.status_code == 302 and response.url == reverse("account_login")
    assert error_messages(response) == [message]
    assert not logged_in_user(client).is_authenticated


@pytest.fixture
def kari(vest):
    return member(vest, Role.COORDINATOR, email="kari@vest.example.no")


def test_the_authorization_request_asks_for_pkce_acr_and_the_scopes(db, client, national):
    start = client.post(reverse("openid_connect_login", kwargs={"provider_id": "idporten"}))
    query = dict(p.split("=", 1) for p in urlsplit(start["Location"]).query.split("&"))
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43
    assert query["acr_values"] == "idporten-loa-substantial"
    assert query["client_id"] == "alis-idporten"
    assert set(query["scope"].split("+")) == {"openid", "profile", "email"}


def test_the_login_page_offers_the_national_logins_first(db, client, national, settings):
    html = client.get(reverse("account_login")).content.decode()
    assert html.index("Logg inn med ID-porten") < html.index('name="password"')
    assert html.index("Logg inn med HelseID") < html.index('name="password"')
    # A deployment without them shows only e-mail and password.
    settings.SOCIALACCOUNT_PROVIDERS = providers_setting([])
    html = client.get(reverse("account_login")).content.decode()
    assert "Nasjonal innlogging" not in html and 'name="password"' in html


def test_idporten_links_by_verified_email_and_keeps_only_the_hmac_of_the_pid(
    client, national, kari
):
    response = national_login(client, national, "idporten", "kari")

    assert response.status_code == 302 and response.url == reverse("home")
    assert logged_in_user(client) == kari
    identity = NationalIdentity.objects.get(user=kari)
    assert identity.pid_hmac == pid_hmac(PID_KARI) and len(identity.pid_hmac) == 64
    assert identity.linked_by == "idporten"
    account = SocialAccount.objects.get(user=kari)
    assert account.provider == "idporten" and account.uid == "kari"
    assert account.extra_data["id_token"]["acr"] == "idporten-loa-substantial"
    # The number itself is nowhere in the database.
    assert PID_KARI not in json.dumps(account.extra_data)
    with connection.cursor() as cursor:
        for table in ("socialaccount_socialaccount", "nationallogin_nationalidentity"):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608
            assert PID_KARI not in repr(cursor.fetchall())


def test_the_person_is_recognised_by_the_hmac_at_the_next_login_from_the_other_provider(
    client, national, kari
):
    national_login(client, national, "idporten", "kari")
    client.logout()
    # HelseID knows her under another subject; the HMAC of the same number finds her account.
    response = national_login(client, national, "helseid", "kari")
    assert response.status_code == 302
    assert logged_in_user(client) == kari
    assert NationalIdentity.objects.count() == 1
    assert set(SocialAccount.objects.filter(user=kari).values_list("provider", flat=True)) == {
        "idporten",
        "helseid",
    }


def test_an_unverified_email_does_not_take_over_the_account(client, national, kari):
    response = national_login(client, national, "idporten", "mallory")

    assert_refused(client, response, NO_ACCOUNT)
    assert not SocialAccount.objects.exists() and not NationalIdentity.objects.exists()
    kari.refresh_from_db()
    assert kari.check_password(PASSWORD)  # her password still works, untouched


def test_a_verified_email_that_is_unverified_in_alis_does_not_link(client, national, kari):
    kari.emailaddress_set.update(verified=False)
    response = national_login(client, national, "idporten", "kari")
    assert response.url == reverse("account_login")
    assert not logged_in_user(client).is_authenticated
    assert not NationalIdentity.objects.exists()


def test_someone_without_account_or_invitation_is_refused(client, national, vest):
    users = User.objects.count()
    response = national_login(client, national, "idporten", "ola")
    assert response.url == reverse("account_login")
    assert error_messages(response) == [NO_ACCOUNT]
    assert User.objects.count() == users


def test_an_invitation_accepted_with_national_login_creates_and_links_the_account(
    client, national, vest, masfjorden, coordinator_vest
):
    token, token_hash = Invitation.new_token()
    with scopes_disabled():
        Invitation.objects.create(
            office=vest,
            email="ola.nordmann@example.no",
            role=Role.VEILEDER,
            municipality=masfjorden,
            token_hash=token_hash,
            invited_by=coordinator_vest,
            expires_at=timezone.now() + timedelta(days=14),
        )
    invitation_page = reverse("invitation_accept", args=[token])
    page = client.get(invitation_page)
    assert b"Logg inn med ID-porten" in page.content

    response = national_login(client, national, "idporten", "ola", next_url=invitation_page)

    assert response.status_code == 302 and response.url == reverse("home")
    ola = User.objects.get(email="ola.nordmann@example.no")
    assert (ola.first_name, ola.last_name) == ("Ola", "Nordmann")
    assert not ola.has_usable_password()
    assert logged_in_user(client) == ola
    assert Membership.objects.filter(user=ola, office=vest, role=Role.VEILEDER).exists()
    assert NationalIdentity.objects.get(user=ola).pid_hmac == pid_hmac("04049022222")
    with scopes_disabled():
        assert Invitation.objects.get().accepted_by == ola


def test_an_invitation_to_an_existing_account_does_not_link_a_national_login_to_it(
    client, national, vest, masfjorden, coordinator_vest
):
    # Issue 20: someone holding an invitation link to an address that already has an account
    # (forwarded, intercepted) must not take that account over with their own national login.
    existing = member(vest, Role.COORDINATOR, email="ola.nordmann@example.no", first_name="Per")
    token, token_hash = Invitation.new_token()
    with scopes_disabled():
        Invitation.objects.create(
            office=vest,
            email="ola.nordmann@example.no",
            role=Role.VEILEDER,
            municipality=masfjorden,
            token_hash=token_hash,
            invited_by=coordinator_vest,
            expires_at=timezone.now() + timedelta(days=14),
        )
    invitation_page = reverse("invitation_accept", args=[token])
    users = User.objects.count()

    response = national_login(client, national, "idporten", "ola", next_url=invitation_page)

    assert_refused(client, response, INVITED_ACCOUNT_EXISTS)
    assert not SocialAccount.objects.exists() and not NationalIdentity.objects.exists()
    assert User.objects.count() == users
    existing.refresh_from_db()
    assert existing.first_name == "Per" and existing.check_password(PASSWORD)
    assert not Membership.objects.filter(user=existing, role=Role.VEILEDER).exists()
    with scopes_disabled():
        assert Invitation.objects.get().accepted_by is None
    # The owner logs in with the password and links national login from the header link.
    client.post(reverse("account_login"), {"login": existing.email, "password": PASSWORD})
    assert logged_in_user(client) == existing


@pytest.fixture
def anna(vest, masfjorden, alis_masfjorden):
    """A doctor with HPR number 1234567 in her record, known from an earlier ID-porten login."""
    make_trainee(vest, masfjorden, hpr="1234567", user=alis_masfjorden)
    NationalIdentity.objects.create(
        user=alis_masfjorden, pid_hmac=pid_hmac(PID_ANNA), linked_by="idporten"
    )
    return alis_masfjorden


def test_helseid_lets_the_doctor_in_when_the_hpr_number_matches(client, national, anna):

    response = national_login(client, national, "helseid", "anna")

    assert response.status_code == 302
    assert logged_in_user(client) == anna
    home = client.get(response.url, follow=True).redirect_chain[-1][0]
    assert home == reverse("my_requirements", args=["vest"])


def test_helseid_refuses_a_doctor_whose_hpr_number_differs_from_the_record(client, national, anna):
    response = national_login(client, national, "helseid", "anna-feil-hpr")

    assert_refused(client, response, HPR_MISMATCH)
    assert not SocialAccount.objects.exists()


@pytest.mark.parametrize(
    ("acr", "counts"),
    [
        ("idporten-loa-substantial", True),
        ("idporten-loa-high", True),
        ("idporten-loa-low", False),
    ],
)
def test_a_national_login_at_substantial_or_high_counts_as_two_factor(
    client, national, kari, settings, acr, counts
):
    settings.ALIS_REQUIRE_MFA_FOR_COORDINATORS = True
    national_login(client, national, "idporten", "kari", acr=acr)
    assert logged_in_user(client) == kari
    inbox = client.get("/vest/")
    if counts:
        assert inbox.status_code == 200
    else:
        assert inbox.status_code == 302 and inbox.url == "/konto/2fa/totp/activate/"


def test_helseid_security_level_4_counts_as_two_factor(client, national, kari, settings):
    settings.ALIS_REQUIRE_MFA_FOR_COORDINATORS = True
    national_login(client, national, "helseid", "kari", acr="idporten-loa-high")
    assert (
        SocialAccount.objects.get(provider="helseid").extra_data["id_token"][
            "helseid://claims/identity/security_level"
        ]
        == "4"
    )
    assert client.get("/vest/").status_code == 200


def test_a_password_session_does_not_count_as_two_factor(client, national, kari, settings):
    settings.ALIS_REQUIRE_MFA_FOR_COORDINATORS = True
    # First a national login in this browser, then a password login: the mark is gone.
    national_login(client, national, "idporten", "kari")
    client.post(reverse("account_logout"))
    client.post(reverse("account_login"), {"login": kari.email, "password": PASSWORD})
    assert logged_in_user(client) == kari
    inbox = client.get("/vest/")
    assert inbox.status_code == 302 and inbox.url == "/konto/2fa/totp/activate/"


def test_a_client_assertion_signed_with_another_key_is_rejected_by_the_provider(
    client, provider, settings, kari
):
    settings.SOCIALACCOUNT_PROVIDERS = provider.providers_setting(
        IDPORTEN={"private_key_file": str(provider.wrong_key_file)}
    )
    response = national_login(client, provider, "idporten", "kari")
    # allauth's page for a failed third-party login: the provider refused the token request.
    assert response.status_code == 401
    assert "grant.error invalid_client client authentication failed" in provider.errors()
    assert not logged_in_user(client).is_authenticated
    assert not SocialAccount.objects.exists()


def test_a_logged_in_user_connects_national_login_from_the_account_page(client_for, national, kari):
    client = client_for(kari)
    page = client.get(reverse("socialaccount_connections"))
    assert page.status_code == 200 and "ID-porten" in page.content.decode()

    url = reverse("openid_connect_login", kwargs={"provider_id": "idporten"}) + "?process=connect"
    start = client.post(url)
    back = urlsplit(national.log_in(start["Location"], "ola"))
    response = client.get(f"{back.path}?{back.query}")

    # Ola's national identity (no e-mail at the provider) now belongs to Kari's account.
    assert response.status_code == 302
    assert SocialAccount.objects.get(user=kari).uid == "ola"
    assert NationalIdentity.objects.get(user=kari).pid_hmac == pid_hmac("04049022222")
    client.logout()
    national_login(client, national, "idporten", "ola")
    assert logged_in_user(client) == kari


def test_production_needs_an_hmac_key_when_a_national_login_is_on(tmp_path):
    env = {
        **production_env(tmp_path),
        "IDPORTEN_ENABLED": "true",
        "IDPORTEN_CLIENT_ID": "alis-prod",
        "IDPORTEN_PRIVATE_KEY_FILE": "/etc/alis/idporten.pem",
    }
    show = "from django.conf import settings as s; print(s.CONTENT_SECURITY_POLICY)"

    def run(extra):
        return subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", show],
            cwd=django_settings.BASE_DIR,
            env={**env, **extra},
            capture_output=True,
            text=True,
        )

    refused = run({})
    assert refused.returncode != 0
    assert "ALIS_NATIONAL_ID_HMAC_KEY må settes" in refused.stderr
    started = run({"ALIS_NATIONAL_ID_HMAC_KEY": "k" * 40})
    assert started.returncode == 0, started.stderr
    # The login button may lead to ID-porten's login pages, and nowhere else.
    assert "'form-action': [\"'self'\", 'https://login.idporten.no']" in started.stdout


@pytest.mark.parametrize(
    ("acr", "asks_for_totp"),
    [("idporten-loa-substantial", False), ("idporten-loa-low", True)],
)
def test_totp_is_not_asked_again_after_a_two_factor_national_login(
    client, national, kari, acr, asks_for_totp
):
    Authenticator.objects.create(user=kari, type=Authenticator.Type.TOTP, data={})
    response = national_login(client, national, "idporten", "kari", acr=acr)
    if asks_for_totp:
        assert response.url == reverse("mfa_authenticate")
        assert not logged_in_user(client).is_authenticated
    else:
        assert response.url == reverse("home")
        assert logged_in_user(client) == kari
