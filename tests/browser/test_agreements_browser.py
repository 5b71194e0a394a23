import re

import pytest
from django.apps import apps

from agreements.reference import NATIONAL_TEMPLATE_NAME, seed_agreement_reference_data
from offices.permissions import Role
from tests.agreement_helpers import add_service, make_trainee
from tests.conftest import member
from tests.factories import PASSWORD

from .conftest import accessible, log_in

pytestmark = pytest.mark.browser


def test_leader_creates_and_signs_an_agreement_and_records_experience(page, vest, masfjorden):
    seed_agreement_reference_data(apps)  # the live server's flush removed the migrated data
    member(vest, Role.MUNICIPAL_LEADER, masfjorden, email="liv@masfjorden.example.no")
    add_service(make_trainee(vest, masfjorden, first="Anna", last="Aase"))

    log_in(page, "liv@masfjorden.example.no", PASSWORD)
    accessible(page)
    page.get_by_role("link", name="ALIS-avtaler").click()
    page.wait_for_url(re.compile(r"/vest/avtaler/$"))
    accessible(page)
    page.get_by_role("link", name="Ny ALIS-avtale").click()
    page.wait_for_url(re.compile(r"/vest/avtaler/ny/$"))
    accessible(page)
    page.get_by_label("ALIS-lege").select_option(label="Anna Aase (Masfjorden)")
    page.get_by_label("Avtalemal").select_option(
        label=f"{NATIONAL_TEMPLATE_NAME} – nasjonal, versjon 1"
    )
    page.get_by_label("Stillingstype").select_option("fastlege")
    page.get_by_label("Driftsform").select_option("fastlonn")
    page.get_by_label("Stillingsprosent").fill("100")
    page.get_by_label("Gjelder fra").fill("2024-09-01")
    page.get_by_label("Gjelder til").fill("2029-08-31")
    page.get_by_label("Ekstra veiledning (timer per måned)").fill("2")
    page.get_by_label("Kursbudsjett (kr)").fill("40000")
    page.get_by_role("button", name="Lagre utkast").click()
    page.wait_for_url(re.compile(r"/vest/avtaler/\d+/$"))
    accessible(page)
    assert page.get_by_text("Kursbudsjett: 40 000 kr").is_visible()

    page.get_by_role("link", name="Registrer signering").click()
    page.wait_for_url(re.compile(r"/signer/$"))
    accessible(page)
    page.get_by_label("Signert dato").fill("2024-08-20")
    page.get_by_label("Signert for kommunen av (navn)").fill("Liv Lunde")
    page.get_by_label("Tittel").fill("Kommuneoverlege")
    page.get_by_role("button", name="Registrer som signert").click()
    page.wait_for_url(re.compile(r"/vest/avtaler/\d+/$"))
    accessible(page)
    assert page.get_by_text("Avtalen er registrert som signert.").is_visible()
    assert page.get_by_text("20.08.2024").is_visible()

    page.get_by_role("row", name=re.compile("Kursbudsjett")).get_by_role("link").click()
    page.wait_for_url(re.compile(r"/erfaring/\?tiltak=kursbudsjett$"))
    accessible(page)
    page.get_by_label("Hvordan fungerte tiltaket?").select_option("4")
    page.get_by_label("Erfaringer").fill("Kursene ble tatt tidlig.")
    page.get_by_role("button", name="Lagre erfaring").click()
    page.wait_for_url(re.compile(r"/vest/avtaler/\d+/$"))
    accessible(page)
    assert page.get_by_text("Kursene ble tatt tidlig.").is_visible()


def test_coordinator_revises_a_template_and_reads_the_experience(page, vest, masfjorden):
    from datetime import date

    from agreements.services import measure_experience_record
    from tests.agreement_helpers import make_agreement

    seed_agreement_reference_data(apps)
    member(vest, Role.COORDINATOR, email="kari@vest.example.no")
    leader = member(vest, Role.MUNICIPAL_LEADER, masfjorden, email="liv@masfjorden.example.no")
    agreement = make_agreement(make_trainee(vest, masfjorden), signed_on=date(2024, 8, 15))
    measure_experience_record(
        office=vest,
        acting_user=leader,
        agreement=agreement,
        measure="redusert_liste",
        rating=4,
        notes="Ga tid til kurs.",
    )

    log_in(page, "kari@vest.example.no", PASSWORD)
    accessible(page)
    page.get_by_role("link", name="Avtalemaler").click()
    page.wait_for_url(re.compile(r"/vest/avtalemaler/$"))
    accessible(page)
    page.get_by_role("link", name="Ny mal").click()
    page.wait_for_url(re.compile(r"/avtalemaler/ny/$"))
    accessible(page)
    page.get_by_label("Navn på malen").fill("Vest-malen")
    page.get_by_label("Maltekst").fill("Avtale for {{ lege }} i {{ kommune }}.")
    page.get_by_role("button", name="Lagre mal").click()
    page.wait_for_url(re.compile(r"/avtalemaler/\d+/$"))
    accessible(page)
    page.get_by_label("Maltekst").fill("{% debug %}")
    page.get_by_label("Hva er endret?").fill("Prøver noe farlig")
    page.get_by_role("button", name="Lagre ny versjon").click()
    accessible(page)
    assert page.get_by_text("kan ikke brukes i avtalemaler").is_visible()
    page.get_by_label("Maltekst").fill("Avtale for {{ lege }}, {{ kommune }} kommune.")
    page.get_by_role("button", name="Lagre ny versjon").click()
    page.wait_for_load_state("load")
    accessible(page)
    assert page.get_by_text("Ny versjon 2 av malen er lagret.").is_visible()

    page.get_by_role("link", name="Erfaringer").click()
    page.wait_for_url(re.compile(r"/vest/erfaringer/$"))
    accessible(page)
    row = page.get_by_role("row", name=re.compile("Redusert liste"))
    assert row.inner_text().split()[-3:] == ["1", "1", "4,0"]
    assert page.get_by_text("Ga tid til kurs.").is_visible()
    page.get_by_role("link", name="ALIS-avtaler").click()
    page.wait_for_url(re.compile(r"/vest/avtaler/$"))
    accessible(page)
    page.get_by_role("link", name="Anna Aase").click()
    page.wait_for_url(re.compile(r"/vest/avtaler/\d+/$"))
    accessible(page)


def test_a_template_page_wraps_the_template_text_at_1280_and_320_px(page, vest):
    """Cold-user finding (issue 14): the agreement template page was 2,086 px wide at 1280 px;
    its text sat in a <pre> that did not wrap. A leader reads the national template."""
    from agreements.models import AgreementTemplate, AgreementTemplateVersion

    seed_agreement_reference_data(apps)
    template = AgreementTemplate.objects.get(name=NATIONAL_TEMPLATE_NAME)
    # One long line and one long word, as pasted from a word processor (the versions are
    # immutable through the services; the test writes the row directly).
    AgreementTemplateVersion.objects.filter(template=template).update(
        body="Avtalen gjelder " * 120 + "\n" + "x" * 400
    )
    member(vest, Role.COORDINATOR, email="kari@vest.example.no")
    log_in(page, "kari@vest.example.no", PASSWORD)
    page.goto(f"/vest/avtalemaler/{template.pk}/")
    accessible(page)  # with the 320-px reflow check
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 800})
        scroll = page.evaluate("() => document.scrollingElement.scrollWidth")
        assert scroll <= width + 4, f"{scroll} px bred ved {width} px"
    assert page.locator("pre.ds-paragraph").evaluate("e => getComputedStyle(e).whiteSpace") == (
        "pre-wrap"
    )
