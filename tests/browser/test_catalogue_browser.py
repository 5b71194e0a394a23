import re

import pytest

from goals.sample_catalogue import V2_FILE, load_sample_catalogue
from offices.permissions import Role
from plans.models import Catalogue
from tests.conftest import member
from tests.factories import PASSWORD

from .conftest import accessible, log_in

pytestmark = pytest.mark.browser


def test_national_coordinator_imports_v2_previews_confirms_and_compares(page, nord):
    old_alm, _fkm = load_sample_catalogue()
    member(nord, Role.NATIONAL_COORDINATOR, email="nina@nord.example.no")
    log_in(page, "nina@nord.example.no", PASSWORD)
    accessible(page)

    page.goto("/nord/laeringsmaal/")
    accessible(page)
    page.get_by_role("link", name="Importer en ny versjon fra regneark").click()
    page.wait_for_url(re.compile(r"/nord/laeringsmaal/import/$"))
    accessible(page)
    page.get_by_label("Fil med læringsmål").set_input_files(str(V2_FILE))
    page.get_by_label("Type læringsmål").select_option("ALM")
    page.get_by_label("Versjon").fill("eksempel-2026")
    page.get_by_label("Gyldig fra").fill("2026-03-01")
    page.get_by_role("button", name="Kontroller filen").click()

    page.wait_for_url(re.compile(r"/nord/laeringsmaal/import/[\w-]+/$"))
    accessible(page)
    assert page.get_by_text("Filen er uten feil: 66 læringsmål er klare til import.").is_visible()
    page.get_by_role("button", name="Bekreft og importer").click()

    new = Catalogue.objects.get(version="eksempel-2026")
    page.wait_for_url(re.compile(rf"/nord/laeringsmaal/{new.pk}/$"))
    accessible(page)
    assert page.get_by_text("Versjon eksempel-2026 er importert med 66 læringsmål.").is_visible()

    page.get_by_role("link", name="Tilbake til alle versjoner").click()
    page.wait_for_url(re.compile(r"/nord/laeringsmaal/$"))
    accessible(page)
    page.get_by_label("Fra versjon").select_option(str(old_alm.pk))
    page.get_by_label("Til versjon").select_option(str(new.pk))
    page.get_by_role("button", name="Vis forskjellene").click()
    page.wait_for_url(re.compile(r"/nord/laeringsmaal/sammenlign/\?"))
    accessible(page)
    assert page.get_by_text("3 nye, 2 fjernet, 5 endret, 58 uendret.").is_visible()
    changed = page.get_by_role("table", name="Endrede læringsmål")
    assert changed.get_by_role("rowheader", name="ALM-042").is_visible()
    assert changed.get_by_text("Kommunal akutt døgnenhet").is_visible()
