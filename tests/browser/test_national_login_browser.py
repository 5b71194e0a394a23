"""A person logs in with ID-porten or HelseID in a real browser: ALIS's login page, the
provider's login page (npm's oidc-provider, run on 127.0.0.1 by tests/oidc), and back to the
home of their role. Every page, the provider's included, is checked with axe."""

import copy
import re

import pytest

from nationallogin.claims import pid_hmac
from nationallogin.models import NationalIdentity
from offices.permissions import Role
from tests.agreement_helpers import make_trainee
from tests.conftest import member
from tests.oidc import PID_ANNA, OIDCProvider, real_clock

from .conftest import accessible

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def provider(tmp_path_factory, live_server):
    running = OIDCProvider(tmp_path_factory.mktemp("oidc-browser"), [live_server.url])
    yield running
    running.stop()


@pytest.fixture
def national(provider, settings):
    with real_clock():
        settings.SOCIALACCOUNT_PROVIDERS = provider.providers_setting()
        policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
        policy["DIRECTIVES"]["form-action"].append(provider.issuer)
        settings.CONTENT_SECURITY_POLICY = policy
        settings.ALIS_REQUIRE_MFA_FOR_COORDINATORS = True
        yield provider


def log_in_at_provider(page, provider, button: str, login: str) -> None:
    page.goto("/konto/login/")
    accessible(page)
    page.get_by_role("button", name=button).click()
    page.wait_for_url(re.compile(rf"^{re.escape(provider.issuer)}/interaction/"))
    accessible(page)
    page.get_by_label("Bruker-ID").fill(login)
    assert page.get_by_label("Sikkerhetsnivå").input_value() == "idporten-loa-substantial"
    page.get_by_role("button", name="Logg inn").click()


def test_coordinator_logs_in_with_id_porten_and_lands_in_her_inbox(page, national, vest):
    kari = member(vest, Role.COORDINATOR, email="kari@vest.example.no")

    log_in_at_provider(page, national, "Logg inn med ID-porten", "kari")

    # Two-factor is required of coordinators; ID-porten at "substantial" is that: no TOTP page.
    page.wait_for_url(re.compile(r"/vest/innboks/$"))
    accessible(page)
    assert page.get_by_role("heading", level=1).first.is_visible()
    assert NationalIdentity.objects.get(user=kari).linked_by == "idporten"


@pytest.fixture
def anna(vest, masfjorden):
    """A doctor with HPR number 1234567 in her record, known from an earlier ID-porten login."""
    anna = member(vest, Role.ALIS, masfjorden, email="anna@example.no")
    make_trainee(vest, masfjorden, hpr="1234567", user=anna)
    NationalIdentity.objects.create(user=anna, pid_hmac=pid_hmac(PID_ANNA), linked_by="idporten")
    return anna


def test_doctor_logs_in_with_helseid_and_lands_on_her_requirements(page, national, anna):

    log_in_at_provider(page, national, "Logg inn med HelseID", "anna")

    page.wait_for_url(re.compile(r"/vest/min-plan/krav/$"))
    accessible(page)


def test_doctor_with_another_hpr_number_is_sent_back_to_login_with_the_reason(page, national, anna):

    log_in_at_provider(page, national, "Logg inn med HelseID", "anna-feil-hpr")

    page.wait_for_url(re.compile(r"/konto/login/$"))
    accessible(page)
    assert page.get_by_text("HPR-nummeret fra HelseID stemmer ikke").is_visible()
