import re
from datetime import timedelta

import pytest
from django.utils import timezone

from offices.permissions import Role
from tests.conftest import member
from tests.factories import PASSWORD

from .conftest import accessible, log_in

pytestmark = pytest.mark.browser


def test_coordinator_flags_a_municipality_and_logs_a_contact(page, vest):
    member(vest, Role.COORDINATOR, email="kari@vest.example.no")
    log_in(page, "kari@vest.example.no", PASSWORD)
    accessible(page)
    page.goto("/vest/kommuner/4634/")
    accessible(page)
    page.get_by_role("link", name="Endre profilen").click()
    page.wait_for_url(re.compile(r"/profil/$"))
    accessible(page)
    page.get_by_label("Kommunen har rekrutteringsproblemer").check()
    page.get_by_label("Hvorfor").fill("Ingen søkere på to utlysninger")
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_url(re.compile(r"/kommuner/4634/$"))
    accessible(page)
    assert page.get_by_text("Ingen søkere på to utlysninger").is_visible()

    page.get_by_role("link", name="Kontaktlogg").click()
    page.wait_for_url(re.compile(r"/kontakt/$"))
    accessible(page)
    page.get_by_label("Kanal").select_option("telefon")
    page.get_by_label("Hvem").fill("Liv Lunde, kommuneoverlege")
    page.get_by_label("Notater").fill("Avtalte møte om ny hjemmel.")
    follow_up = timezone.localdate() + timedelta(days=2)
    page.get_by_label("Følg opp innen").fill(follow_up.isoformat())
    page.get_by_role("button", name="Legg i loggen").click()
    page.wait_for_load_state("load")
    accessible(page)
    assert page.get_by_role("cell", name="Liv Lunde, kommuneoverlege").is_visible()

    page.goto("/vest/?problemer=1")
    accessible(page)
    assert page.get_by_role("link", name="Masfjorden").first.is_visible()
    assert page.get_by_text("1 kommune", exact=True).is_visible()
