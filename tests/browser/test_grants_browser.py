import re

import pytest
from django.apps import apps

from agreements.reference import seed_agreement_reference_data
from grants.reference import VEST_PILOT, seed_grant_schemes
from offices.permissions import Role
from tests.conftest import member
from tests.factories import PASSWORD
from tests.grant_helpers import PNG, signed_doctor

from .conftest import accessible, log_in

pytestmark = pytest.mark.browser


def test_leader_files_a_claim_with_a_receipt_and_the_office_approves_it(page, vest, masfjorden):
    seed_agreement_reference_data(apps)  # the live server's flush removed the migrated data
    seed_grant_schemes(apps)
    member(vest, Role.MUNICIPAL_LEADER, masfjorden, email="liv@masfjorden.example.no")
    member(vest, Role.COORDINATOR, email="kari@vest.example.no")
    signed_doctor(vest, masfjorden)

    log_in(page, "liv@masfjorden.example.no", PASSWORD)
    accessible(page)
    page.get_by_role("link", name="Tilskudd").click()
    page.wait_for_url(re.compile(r"/vest/tilskudd/$"))
    accessible(page)
    page.get_by_role("link", name="Nytt krav").click()
    page.wait_for_url(re.compile(r"/vest/tilskudd/krav/ny/$"))
    accessible(page)
    page.get_by_label("ALIS-lege").select_option(label="Anna Aase (Masfjorden)")
    page.get_by_label("Tilskuddsordning").select_option(label=VEST_PILOT)
    page.get_by_label("Tilskuddsår").fill("2025")
    page.get_by_role("button", name="Lagre utkast").click()
    page.wait_for_url(re.compile(r"/vest/tilskudd/krav/\d+/$"))
    accessible(page)
    assert page.get_by_text("Kravet er lagret som utkast.").is_visible()

    page.get_by_label("Kategori").select_option("kurs")
    page.get_by_label("Dato").fill("2025-03-12")
    page.get_by_label("Beløp (kr)").fill("14500")
    page.get_by_label("Beskrivelse").fill("Grunnkurs B")
    page.get_by_label("Kvittering (PDF, PNG eller JPG)").set_input_files(
        {"name": "kvittering.png", "mimeType": "image/png", "buffer": PNG}
    )
    page.get_by_role("button", name="Legg til utgift").click()
    page.wait_for_url(re.compile(r"/vest/tilskudd/krav/\d+/$"))
    accessible(page)
    assert page.get_by_text("Utgiften er lagt til.").is_visible()
    row = page.get_by_role("row", name=re.compile("Grunnkurs B"))
    assert "14 500 kr" in row.inner_text().replace("\u00a0", " ")
    page.get_by_role("button", name="Send inn kravet").click()
    page.wait_for_url(re.compile(r"/vest/tilskudd/krav/\d+/$"))
    accessible(page)
    assert page.locator("#status").inner_text() == "Sendt inn"
    claim_url = page.url

    page.context.clear_cookies()
    log_in(page, "kari@vest.example.no", PASSWORD)
    accessible(page)
    page.goto("/vest/tilskudd/")
    accessible(page)
    page.get_by_role("link", name=re.compile("Anna Aase")).click()
    page.wait_for_url(claim_url)
    accessible(page)
    assert page.get_by_label("Godkjent beløp (kr)").input_value() == "14 500,00"
    page.get_by_role("button", name="Lagre vedtak").click()
    page.wait_for_url(claim_url)
    accessible(page)
    assert page.get_by_text("Vedtaket er lagret.").is_visible()
    assert page.locator("#status").inner_text() == "Godkjent"
