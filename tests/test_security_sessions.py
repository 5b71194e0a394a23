"""Issue 10, authentication and sessions: one login for the admin too, two-factor per session,
sessions that end (idle, absolute, on credential change), the client address behind proxies,
and the password policy."""

from datetime import timedelta

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.utils import timezone

from accounts.models import User
from accounts.network import client_ip

from .factories import PASSWORD, UserFactory


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def _login(client, email, password=PASSWORD):
    return client.post("/konto/login/", {"login": email, "password": password})


# --- /admin/ -------------------------------------------------------------------------------------


def test_admin_has_no_login_page_of_its_own(client, db):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response.url.startswith("/konto/login/")
    assert "next=/admin/" in response.url.replace("%2F", "/")
    # Posting credentials to the admin's form does not log anyone in.
    staff = UserFactory(email="drift@alis.example.no", is_staff=True, is_superuser=True)
    client.post("/admin/login/", {"username": staff.email, "password": PASSWORD})
    assert client.get("/admin/").status_code == 302


def test_staff_reach_the_admin_after_the_normal_login(client, db):
    UserFactory(email="drift@alis.example.no", is_staff=True, is_superuser=True)
    _login(client, "drift@alis.example.no")
    assert client.get("/admin/").status_code == 200


def test_non_staff_logged_in_gets_403_from_the_admin(client_for, leader_masfjorden):
    assert client_for(leader_masfjorden).get("/admin/login/").status_code == 403


# --- Two-factor ----------------------------------------------------------------------------------


def test_user_with_totp_must_enter_a_code_at_login(client, coordinator_vest):
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    TOTP.activate(coordinator_vest, secret)
    response = _login(client, coordinator_vest.email)
    assert response.status_code == 302 and response.url == "/konto/2fa/authenticate/"
    # The password alone gives no session: office pages still send to login.
    assert client.get("/vest/").status_code == 302
    assert "_auth_user_id" not in client.session
    wrong = client.post("/konto/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    counter = int(timezone.now().timestamp()) // 30
    code = format_hotp_value(hotp_value(secret, counter))
    ok = client.post("/konto/2fa/authenticate/", {"code": code})
    assert ok.status_code == 302
    assert client.get("/vest/").status_code == 200


def test_enrolling_a_first_authenticator_asks_for_the_password_again(client_for, coordinator_vest):
    client = client_for(coordinator_vest)
    response = client.get("/konto/2fa/totp/activate/")
    assert response.status_code == 302 and response.url.startswith("/konto/reauthenticate/")
    wrong = client.post("/konto/reauthenticate/", {"password": "feil-passord-her"})
    assert wrong.status_code == 200
    assert client.get("/konto/2fa/totp/activate/").status_code == 302
    client.post("/konto/reauthenticate/", {"password": PASSWORD})
    assert client.get("/konto/2fa/totp/activate/").status_code == 200


def test_changing_the_password_ends_the_other_sessions(coordinator_vest):
    laptop, phone = Client(), Client()
    _login(laptop, coordinator_vest.email)
    _login(phone, coordinator_vest.email)
    assert phone.get("/vest/").status_code == 200
    new = "ny-og-lang-passordfrase"
    response = laptop.post(
        "/konto/password/change/",
        {"oldpassword": PASSWORD, "password1": new, "password2": new},
    )
    assert response.status_code == 302
    assert laptop.get("/vest/").status_code == 200
    assert phone.get("/vest/").status_code == 302  # logged out


def test_adding_or_removing_an_authenticator_ends_the_other_sessions(
    transactional_db, coordinator_vest
):
    # Transactional: allauth sends its signals on commit, inside the request, as in production.
    from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY

    laptop, phone = Client(), Client()
    _login(laptop, coordinator_vest.email)
    _login(phone, coordinator_vest.email)
    laptop.post("/konto/reauthenticate/", {"password": PASSWORD})
    assert laptop.get("/konto/2fa/totp/activate/").status_code == 200
    secret = laptop.session[SECRET_SESSION_KEY]
    code = format_hotp_value(hotp_value(secret, int(timezone.now().timestamp()) // 30))
    assert laptop.post("/konto/2fa/totp/activate/", {"code": code}).status_code == 302
    assert Authenticator.objects.filter(user=coordinator_vest, type="totp").exists()
    assert laptop.get("/vest/").status_code == 200
    assert phone.get("/vest/").status_code == 302  # logged out

    # Removing it ends the other sessions too.
    _login(phone, coordinator_vest.email)
    assert phone.session.get("_auth_user_id") is None  # needs the code now
    with time_machine.travel(timezone.now() + timedelta(seconds=31), tick=False):
        code = format_hotp_value(hotp_value(secret, int(timezone.now().timestamp()) // 30))
        phone.post("/konto/2fa/authenticate/", {"code": code})
        assert phone.get("/vest/").status_code == 200
        laptop.post("/konto/reauthenticate/", {"password": PASSWORD})
        assert laptop.post("/konto/2fa/totp/deactivate/").status_code == 302
        assert not Authenticator.objects.filter(user=coordinator_vest, type="totp").exists()
        assert laptop.get("/vest/").status_code == 200
        assert phone.get("/vest/").status_code == 302


# --- Session limits ------------------------------------------------------------------------------


def test_a_session_ends_after_30_minutes_idle_with_a_message(client, coordinator_vest):
    _login(client, coordinator_vest.email)
    start = timezone.now()
    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        assert client.get("/vest/").status_code == 200
    with time_machine.travel(start + timedelta(minutes=58), tick=False):
        assert client.get("/vest/").status_code == 200  # 29 minutes after the last request
    with time_machine.travel(start + timedelta(minutes=89), tick=False):
        response = client.get("/vest/leger/?side=2")
        assert response.status_code == 302
        assert response.url == "/konto/login/?next=%2Fvest%2Fleger%2F%3Fside%3D2"
        page = client.get(response.url).content.decode()
    assert "Du ble logget ut etter 30 minutter uten aktivitet" in page
    assert "_auth_user_id" not in client.session


def test_a_post_after_idle_expiry_goes_to_login_and_says_what_happened(client, leader_masfjorden):
    _login(client, leader_masfjorden.email)
    with time_machine.travel(timezone.now() + timedelta(minutes=31), tick=False):
        response = client.post("/vest/stillinger/ny/", {"office_name": "Sentrum"})
        assert response.status_code == 302
        assert response.url == "/konto/login/?next=%2Fvest%2Fstillinger%2Fny%2F"
        page = client.get(response.url).content.decode()
    assert "ble ikke lagret" in page


def test_keepalive_renews_the_idle_clock(client, coordinator_vest):
    _login(client, coordinator_vest.email)
    start = timezone.now()
    with time_machine.travel(start + timedelta(minutes=25), tick=False):
        page = client.get("/vest/").content.decode()
        assert 'data-session-idle="1800"' in page and 'id="session-timeout"' in page
        assert client.post("/okt/fortsett/").status_code == 200
    with time_machine.travel(start + timedelta(minutes=50), tick=False):
        assert client.get("/vest/").status_code == 200


def test_a_session_ends_after_12_hours_even_when_active(client, coordinator_vest, settings):
    _login(client, coordinator_vest.email)
    start = timezone.now()
    for minutes in range(20, 12 * 60, 20):
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            assert client.get("/vest/").status_code == 200, minutes
    with time_machine.travel(start + timedelta(hours=12, minutes=5), tick=False):
        response = client.get("/vest/")
        assert response.status_code == 302
        page = client.get(response.url).content.decode()
    assert "mer enn 12 timer" in page


def test_limits_come_from_settings(client, coordinator_vest, settings):
    settings.ALIS_SESSION_IDLE_MINUTES = 5
    _login(client, coordinator_vest.email)
    with time_machine.travel(timezone.now() + timedelta(minutes=6), tick=False):
        assert client.get("/vest/").status_code == 302


# --- Client address behind proxies ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.2"),  # no trusted proxy: the header is ignored
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # a forged entry on the left is skipped
        (2, "6.6.6.6, 203.0.113.9, 10.0.0.7", "203.0.113.9"),
        (2, "203.0.113.9", "10.0.0.2"),  # fewer entries than proxies: not through ours
        (1, "not-an-ip", "10.0.0.2"),
    ],
)
def test_client_address_is_read_from_the_right(settings, proxies, forwarded, expected):
    settings.ALIS_TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_verify_rate_limit_follows_the_real_client_not_the_proxy(client, db, settings):
    settings.ALIS_TRUSTED_PROXY_COUNT = 1
    for _ in range(20):
        client.get("/verify/ABCD", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1")
    limited = client.get(
        "/verify/ABCD", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1"
    )
    assert limited.status_code == 429
    # Another client behind the same proxy is not punished; a forged left entry does not help.
    other = client.get("/verify/ABCD", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert other.status_code == 404
    forged = client.get(
        "/verify/ABCD", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.1"
    )
    assert forged.status_code == 429


def test_login_rate_limit_keys_on_the_real_client(client, coordinator_vest, settings):
    settings.ALIS_TRUSTED_PROXY_COUNT = 1
    for _ in range(30):  # allauth: 30 login posts a minute per client address
        client.post(
            "/konto/login/",
            {"login": coordinator_vest.email, "password": "feil"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR="198.51.100.1",
        )
    blocked = client.post(
        "/konto/login/",
        {"login": "noen@annen.example.no", "password": "feil"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.1",
    )
    assert blocked.status_code == 429
    # The person is told in Norwegian, on a page with the site's language and layout.
    page = blocked.content.decode()
    assert "For mange forsøk" in page and '<html lang="nb"' in page
    other = Client().post(
        "/konto/login/",
        {"login": "noen@annen.example.no", "password": "feil"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.2",
    )
    assert other.status_code == 200


# --- Password policy -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("kort-pass1", "Passordet er for kort. Det må bestå av minst 12 tegn."),
        ("password1234", "Dette passordet er for vanlig."),
        # Long enough and on no list, but guessable: refused by the strength estimate.
        ("passwordpassword", "Passordet er for lett å gjette"),
        ("qwertyuiopasdf", "Passordet er for lett å gjette"),
        ("sommersommer12", "Passordet er for lett å gjette"),
        # A capitalised place name, a year and symbols: zxcvbn alone scores it 4 (it knows no
        # Norwegian places); with the municipality names as a dictionary it is far below.
        ("Trondheim2026!!", "Passordet er for lett å gjette"),
        ("Drammen2026!!!!", "Passordet er for lett å gjette"),
        ("Vestvågøy#2026#", "Passordet er for lett å gjette"),
    ],
)
def test_signup_refuses_short_and_common_passwords_in_norwegian(client, db, password, message):
    response = client.post(
        "/konto/signup/",
        {"email": "ny@kommune.example.no", "password1": password, "password2": password},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'value="ny@kommune.example.no"' in response.content.decode()
    assert not User.objects.filter(email="ny@kommune.example.no").exists()


def test_password_change_uses_the_same_policy(client_for, coordinator_vest):
    client = client_for(coordinator_vest)
    response = client.post(
        "/konto/password/change/",
        {"oldpassword": PASSWORD, "password1": "elleve-tegn", "password2": "elleve-tegn"},
    )
    assert "minst 12 tegn" in response.content.decode()


def test_password_change_refuses_a_long_but_guessable_password(client_for, coordinator_vest):
    client = client_for(coordinator_vest)
    response = client.post(
        "/konto/password/change/",
        {"oldpassword": PASSWORD, "password1": "passwordpassword", "password2": "passwordpassword"},
    )
    assert response.status_code == 200
    assert "Passordet er for lett å gjette" in response.content.decode()
    coordinator_vest.refresh_from_db()
    assert coordinator_vest.check_password(PASSWORD)


@pytest.mark.parametrize(
    "password",
    # The demo's, the factories', the smoke run's and the ones the tests sign up with.
    [
        "alis-demo-2026",
        PASSWORD,
        "fjord-og-fjell-2026",
        "lang-og-trygg-2026",
        "ny-og-lang-passordfrase",
    ],
)
def test_the_passwords_the_project_uses_meet_the_policy(db, password):
    user = User(email="leder@masfjorden.kommune.no", first_name="Liv", last_name="Lunde")
    validate_password(password, user)
