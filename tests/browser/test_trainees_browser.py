import re

import pytest

from municipalities.models import Municipality
from offices.permissions import Role
from tests.conftest import member
from tests.factories import PASSWORD
from tests.trainee_factories import make_period, make_supervisor, make_trainee

from .conftest import accessible, log_in

pytestmark = pytest.mark.browser


def test_leader_registers_a_doctor_with_a_period_and_veileder_and_the_doctor_sees_it(page, vest):
    masfjorden = Municipality.objects.get(number="4634")
    member(vest, Role.MUNICIPAL_LEADER, masfjorden, email="liv@masfjorden.example.no")
    member(vest, Role.ALIS, masfjorden, email="kari@masfjorden.example.no")
    make_supervisor(vest, [masfjorden], name="Vidar Vik")

    log_in(page, "liv@masfjorden.example.no", PASSWORD)
    accessible(page)
    page.get_by_role("link", name="ALIS-leger").click()
    page.wait_for_url(re.compile(r"/vest/leger/$"))
    accessible(page)
    page.get_by_role("link", name="Registrer ALIS-lege").click()
    accessible(page)
    page.get_by_label("Fornavn").fill("Kari")
    page.get_by_label("Etternavn").fill("Nordmann")
    page.locator("#id_email").fill("kari@masfjorden.example.no")
    page.get_by_label("HPR-nummer").fill("12345")
    page.get_by_label("Start i spesialisering").fill("2024-08-01")
    page.get_by_role("button", name="Registrer legen").click()
    page.wait_for_load_state("load")
    accessible(page)  # the error page keeps what was typed
    assert page.get_by_text("HPR-nummeret skal ha 7–9 sifre; du skrev 5.").is_visible()
    assert page.get_by_label("Fornavn").input_value() == "Kari"
    page.get_by_label("HPR-nummer").fill("1234567")
    page.get_by_role("button", name="Registrer legen").click()
    page.wait_for_url(re.compile(r"/vest/leger/\d+/$"))
    accessible(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Kari Nordmann"
    assert page.get_by_text("001234567").is_visible()

    page.get_by_role("link", name="Legg til tjenesteperiode").click()
    accessible(page)
    page.get_by_label("Tjenestested").fill("Masfjorden legekontor")
    page.get_by_label("Læringsarena").select_option("allmennpraksis")
    page.get_by_label("Stillingsprosent").fill("80")
    page.locator("#id_start").fill("2024-08-01")
    page.get_by_role("button", name="Lagre perioden").click()
    page.wait_for_url(re.compile(r"/vest/leger/\d+/$"))
    accessible(page)
    assert page.get_by_role("cell", name="Masfjorden legekontor (Masfjorden)").is_visible()

    page.get_by_role("link", name="Oppnevn veileder eller supervisør").click()
    accessible(page)
    page.get_by_label("Veileder eller supervisør fra poolen").select_option(index=1)
    page.locator("#id_start").fill("2024-09-01")
    page.get_by_role("button", name="Oppnevn").click()
    page.wait_for_url(re.compile(r"/vest/leger/\d+/$"))
    accessible(page)
    assert page.get_by_text("Vidar Vik, 01.09.2024–løpende").is_visible()

    page.context.clear_cookies()
    log_in(page, "kari@masfjorden.example.no", PASSWORD)
    accessible(page)
    page.get_by_role("link", name="Mine opplysninger").click()
    page.wait_for_url(re.compile(r"/vest/lege/$"))
    accessible(page)
    assert "Kari Nordmann" in page.get_by_role("heading", level=1).inner_text()
    assert page.get_by_text("Vidar Vik, 01.09.2024–løpende").is_visible()
    assert page.get_by_role("cell", name="80 %").is_visible()
    assert page.get_by_role("link", name="Endre opplysninger").count() == 0
    page.get_by_role("link", name="Endre e-post eller telefon").click()
    accessible(page)
    page.get_by_label("Telefon").fill("99887766")
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_url(re.compile(r"/vest/lege/$"))
    accessible(page)
    assert page.get_by_text("Telefon: – → 99887766").is_visible()


def test_coordinator_pool_capacity_group_and_transfer_pages_are_accessible(page, vest):
    masfjorden = Municipality.objects.get(number="4634")
    member(vest, Role.COORDINATOR, email="kari@vest.example.no")
    trainee = make_trainee(vest, masfjorden)
    make_period(trainee)
    supervisor = make_supervisor(vest, [masfjorden], name="Vidar Vik")

    log_in(page, "kari@vest.example.no", PASSWORD)
    accessible(page)
    for path in (
        "/vest/veilederpool/",
        "/vest/veilederpool/?kommune=4634&alle=1",
        "/vest/veilederpool/ny/",
        f"/vest/veilederpool/{supervisor.pk}/",
        "/vest/veilederpool/kapasitet/",
        "/vest/veiledningsgrupper/ny/",
        f"/vest/leger/{trainee.pk}/overfor/",
        "/vest/leger/tidligere/",
        "/vest/overforinger/",
    ):
        assert page.goto(path).status == 200, path
        accessible(page)
    page.goto("/vest/veiledningsgrupper/ny/")
    page.get_by_label("Navn").fill("Nordhordland")
    page.get_by_label("Gruppeleder", exact=True).fill("Gro Gruppe")
    page.locator("#id_start").fill("2025-01-01")
    page.get_by_label("Anna Aase (Masfjorden)").check()
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_url(re.compile(r"/vest/veiledningsgrupper/$"))
    accessible(page)
    assert page.get_by_role("cell", name="Anna Aase (Masfjorden)").is_visible()
