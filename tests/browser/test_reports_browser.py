import re

import pytest

from offices.permissions import Role
from tests.conftest import member
from tests.factories import PASSWORD
from tests.trainee_factories import make_trainee

from .conftest import accessible, log_in

pytestmark = pytest.mark.browser


def test_coordinator_makes_a_report_and_the_national_coordinator_a_national_one(
    page, vest, nord, masfjorden
):
    from django_scopes import scope

    member(vest, Role.COORDINATOR, email="kari@vest.example.no")
    member(nord, Role.NATIONAL_COORDINATOR, email="nina@nord.example.no")
    with scope(office=vest):
        make_trainee(vest, masfjorden)

    log_in(page, "kari@vest.example.no", PASSWORD)
    accessible(page)
    page.get_by_role("link", name="Rapporter", exact=True).click()
    page.wait_for_url(re.compile(r"/vest/rapporter/$"))
    accessible(page)
    assert page.get_by_text("Ingen rapporter ennå.").is_visible()
    page.get_by_role("button", name="Lag rapport").click()
    page.wait_for_url(re.compile(r"/vest/rapporter/\d+/$"))
    page.get_by_role("link", name="Last ned som PDF").wait_for()
    accessible(page)
    assert (
        page.get_by_role("heading", level=1)
        .inner_text()
        .startswith("Statusrapport for ALIS Vest per")
    )
    assert page.get_by_role("img", name="Stillinger").is_visible()
    row = page.get_by_role("row", name=re.compile("Leger uten individuell veileder"))
    assert row.get_by_role("cell").inner_text() == "1"
    page.get_by_role("link", name="Alle rapporter").click()
    page.wait_for_url(re.compile(r"/vest/rapporter/$"))
    accessible(page)
    assert page.get_by_role("cell", name="Ferdig").is_visible()

    page.context.clear_cookies()
    log_in(page, "nina@nord.example.no", PASSWORD)
    accessible(page)
    page.get_by_role("link", name="Nasjonale rapporter").click()
    page.wait_for_url(re.compile(r"/nord/rapporter/nasjonal/$"))
    accessible(page)
    page.get_by_role("button", name="Lag nasjonal rapport").click()
    page.wait_for_url(re.compile(r"/nord/rapporter/\d+/$"))
    page.get_by_role("link", name="Last ned som Excel (.xlsx)").wait_for()
    accessible(page)
    assert page.get_by_role("columnheader", name="Hele landet").first.is_visible()
    # One doctor in Vest: shown as "<5", and no name anywhere.
    row = page.get_by_role("row", name=re.compile("ALIS-leger i løp")).first
    assert "<5" in row.inner_text()
    assert "Aase" not in page.content()
