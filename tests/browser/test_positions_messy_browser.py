import re

import pytest

from accounts.models import Role
from tests.conftest import member
from tests.factories import PASSWORD
from tests.test_positions_messy_import import MESSY

from .conftest import accessible, log_in

pytestmark = pytest.mark.browser


def test_coordinator_previews_the_interpretations_and_confirms(page, nord):
    member(nord, Role.COORDINATOR, email="kari@nord.example.no")
    log_in(page, "kari@nord.example.no", PASSWORD)
    accessible(page)
    page.goto("/nord/oversikt/import/")
    accessible(page)
    page.get_by_label("Regneark (.xlsx eller .csv)").set_input_files(str(MESSY))
    page.get_by_role("button", name="Forhåndsvis").click()
    page.wait_for_load_state("load")
    accessible(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Forhåndsvisning av import"
    columns = page.locator("#kolonner").inner_text()
    assert "«Listestørrelse» leses som «Listetak»" in columns
    assert "«IP» leses som «Individuell plan»" in columns
    table = page.get_by_role("table")
    assert table.get_by_text("1 + 3 = 4 søkere (summen av utlysningene)").is_visible()
    assert table.get_by_text("Fastlønn, merknad «1/1-20», dato 01.01.2020").is_visible()
    assert table.get_by_text("Ukjent antall; «Skal bli utlyst» lagres som merknad").is_visible()
    assert table.get_by_text(re.compile(r"Senja \(5530\): «Nye Senja»")).is_visible()
    assert page.get_by_text("6 nye stillinger, 0 oppdateres, 0 er uendret").is_visible()
    assert page.get_by_text(
        "Disse interkommunale samarbeidene finnes ikke og opprettes"
    ).is_visible()

    page.get_by_role("button", name="Bekreft og lagre alle radene").click()
    page.wait_for_url(re.compile(r"/nord/oversikt/$"))
    accessible(page)
    assert page.get_by_text("Importen er lagret: 6 nye, 0 oppdatert, 0 uendret.").is_visible()
    line = page.locator("#oppsummering")
    assert "1 av 6 stillinger besatt" in line.inner_text()
    line.get_by_role("link", name="3 med individuell veileder").click()
    page.wait_for_url(re.compile(r"veileder=ja"))
    accessible(page)
    assert "1 av 3 stillinger besatt" in page.locator("#oppsummering").inner_text()
    page.get_by_label("Grupper etter").select_option("helseforetak")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url(re.compile(r"gruppering=helseforetak"))
    accessible(page)
    assert page.get_by_role(
        "rowheader", name="Universitetssykehuset Nord-Norge HF (UNN) (2)"
    ).is_visible()
