import re

import pytest

from offices.permissions import Role
from positions.services import medical_office_create, position_create
from tests.conftest import member
from tests.factories import PASSWORD
from tests.test_positions_overview import SAMPLE

from .conftest import accessible, log_in

pytestmark = pytest.mark.browser


def test_coordinator_sorts_filters_and_imports_positions(page, vest, masfjorden):
    coordinator = member(vest, Role.COORDINATOR, email="kari@vest.example.no")
    mo = medical_office_create(
        office=vest,
        acting_user=coordinator,
        municipality=masfjorden,
        name="Masfjorden legekontor",
        ownership="kommunal",
    )
    position_create(
        office=vest,
        acting_user=coordinator,
        municipality=masfjorden,
        medical_office=mo,
        list_ceiling=750,
        employment_form="fastlonn",
        scheme="ny",
        applicants=2,
    )
    log_in(page, "kari@vest.example.no", PASSWORD)
    accessible(page)
    page.get_by_role("link", name="Oversikt over stillinger").click()
    page.wait_for_url(re.compile(r"/vest/oversikt/$"))
    accessible(page)
    assert page.get_by_text("0 av 1 stillinger besatt").is_visible()

    page.get_by_role("link", name="Listetak").click()
    page.wait_for_url(re.compile(r"sorter=listetak"))
    accessible(page)
    assert page.locator("th[aria-sort=ascending]").inner_text().startswith("Listetak")

    page.get_by_label("Fylke").select_option("Rogaland")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url(re.compile(r"fylke=Rogaland"))
    accessible(page)
    assert page.get_by_text("Ingen stillinger passer filteret.").is_visible()

    page.get_by_role("link", name="Importer fra regneark").click()
    page.wait_for_url(re.compile(r"/vest/oversikt/import/$"))
    accessible(page)
    page.get_by_label("Regneark (.xlsx eller .csv)").set_input_files(str(SAMPLE))
    page.get_by_role("button", name="Forhåndsvis").click()
    page.wait_for_load_state("load")
    accessible(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Forhåndsvisning av import"
    assert page.get_by_text("5 nye stillinger").is_visible()
    page.get_by_role("button", name="Bekreft og lagre alle radene").click()
    page.wait_for_url(re.compile(r"/vest/oversikt/$"))
    accessible(page)
    assert page.get_by_text("Importen er lagret: 5 nye, 0 oppdatert, 0 uendret.").is_visible()
    assert page.get_by_text("0 av 6 stillinger besatt").is_visible()


def test_leader_creates_a_position_and_advertises_it(page, vest, masfjorden):
    member(vest, Role.MUNICIPAL_LEADER, masfjorden, email="liv@masfjorden.example.no")
    log_in(page, "liv@masfjorden.example.no", PASSWORD)
    accessible(page)
    page.get_by_role("navigation", name="Kontorets sider").get_by_role(
        "link", name="Stillinger"
    ).click()
    page.wait_for_url(re.compile(r"/vest/stillinger/$"))
    accessible(page)
    page.get_by_role("link", name="Ny stilling").click()
    page.wait_for_url(re.compile(r"/vest/stillinger/ny/$"))
    accessible(page)
    page.get_by_label("Kommune", exact=True).select_option(label="Masfjorden (4634)")
    page.get_by_label("Listetak").fill("40")
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_load_state("load")
    accessible(page)
    assert page.get_by_text("Listetaket må være minst 100.").is_visible()
    page.get_by_label("Listetak").fill("700")
    page.get_by_label("Næring").check()
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_url(re.compile(r"/vest/stillinger/\d+/$"))
    accessible(page)
    page.get_by_label("Ny status").select_option(label="Utlyst")
    page.get_by_role("button", name="Lagre status").click()
    page.wait_for_load_state("load")
    accessible(page)
    assert page.get_by_text("Statusen er endret.").is_visible()
    assert page.get_by_role("table").get_by_text("Utlyst").is_visible()
