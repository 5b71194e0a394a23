import re

import pytest

from offices.permissions import Role
from tests.conftest import REGISTRATION_DATA, member
from tests.factories import PASSWORD, UserFactory

from .conftest import accessible, log_in

pytestmark = pytest.mark.browser


def label(text):
    # Labels end with "(må fylles ut)" on required fields; match the start of the label only.
    return re.compile(rf"^{re.escape(text)}(\s|$)")


def fill_registration(page, org_number):
    page.get_by_label(label("Kommune")).select_option(label="Masfjorden (4634)")
    page.get_by_label(label("Organisasjonsnummer")).fill(org_number)
    page.get_by_label(label("Navn på lederen som godkjenner læringsmål")).fill("Liv Lunde")
    page.get_by_label(label("Lederens stillingstittel")).fill("Kommuneoverlege")
    page.get_by_label(label("Lederens e-post")).fill(REGISTRATION_DATA["leader_email"])
    page.get_by_label(label("Kontaktperson")).fill("Kari Kontakt")
    page.get_by_label(label("Kontaktpersonens e-post")).fill(REGISTRATION_DATA["contact_email"])
    page.get_by_label(label("Kontaktpersonens telefon")).fill("56 16 62 00")


def test_health_chief_registers_coordinator_approves_chief_sees_municipality(page, vest):
    UserFactory(email="helsesjef@masfjorden.example.no")
    member(vest, Role.COORDINATOR, email="kari@vest.example.no")

    # The health chief, signed up but without roles, registers the municipality.
    log_in(page, "helsesjef@masfjorden.example.no", PASSWORD)
    assert page.url.endswith("/hjem/")
    accessible(page)
    page.get_by_role("link", name="Registrer kommunen som utdanningsvirksomhet").click()
    page.wait_for_url(re.compile(r"/registrering/$"))
    accessible(page)
    fill_registration(page, "964338532")
    page.get_by_role("button", name="Send registreringen").click()
    page.wait_for_load_state("load")
    accessible(page)
    assert page.get_by_text("kontrollsifferet stemmer ikke").is_visible()
    assert page.get_by_label(label("Navn på lederen som godkjenner læringsmål")).input_value() == (
        "Liv Lunde"
    )
    page.get_by_label(label("Organisasjonsnummer")).fill("964338531")
    page.get_by_role("button", name="Send registreringen").click()
    page.wait_for_url(re.compile(r"/registrering/$"))
    accessible(page)
    assert page.get_by_text("Registreringen av Masfjorden er sendt til ALIS Vest").is_visible()
    assert page.get_by_role("cell", name="Venter på behandling").is_visible()

    # The coordinator approves it, starting from the inbox card that counts it.
    page.context.clear_cookies()
    log_in(page, "kari@vest.example.no", PASSWORD)
    page.wait_for_url(re.compile(r"/vest/innboks/$"))
    accessible(page)
    assert page.get_by_text("1 registrering venter").is_visible()
    page.get_by_role("link", name="Behandle registreringer").click()
    page.wait_for_url(re.compile(r"/vest/registreringer/$"))
    accessible(page)
    page.get_by_role("link", name="Masfjorden (4634)").click()
    page.wait_for_url(re.compile(r"/vest/registreringer/\d+/$"))
    accessible(page)
    page.get_by_role("button", name="Godkjenn registreringen").click()
    page.wait_for_url(re.compile(r"/vest/registreringer/$"))
    accessible(page)
    assert page.get_by_text("Masfjorden er godkjent som utdanningsvirksomhet").is_visible()

    # The chief is now the municipal leader: their inbox starts them on the checklist and
    # links the municipality page.
    page.context.clear_cookies()
    log_in(page, "helsesjef@masfjorden.example.no", PASSWORD)
    page.wait_for_url(re.compile(r"/vest/innboks/$"))
    accessible(page)
    assert page.get_by_role("heading", name="Kom i gang").is_visible()
    page.get_by_role("link", name="Alt om Masfjorden").click()
    page.wait_for_url(re.compile(r"/vest/kommuner/4634/$"))
    accessible(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Masfjorden kommune"
    assert page.get_by_text(re.compile(r"^Godkjent \d")).is_visible()
    page.get_by_role("link", name="Lag planen").click()
    page.wait_for_url(re.compile(r"/utdanningsplan/endre/$"))
    accessible(page)
    first = page.get_by_role("group", name=re.compile(r"^Læringsarena 1"))
    first.get_by_label(label("Type arena")).select_option(label="Åpen uselektert allmennpraksis")
    first.get_by_label(label("Navn")).fill("Masfjorden legekontor")
    first.get_by_label(label("Læringsmål arenaen dekker")).fill("ALM-001, FKM-12")
    page.get_by_role("button", name="Lagre ny versjon").click()
    page.wait_for_url(re.compile(r"/vest/kommuner/4634/$"))
    accessible(page)
    assert page.get_by_role("cell", name="ALM-001, FKM-12").is_visible()
    page.get_by_role("link", name="Legg til samarbeidsavtale").click()
    page.wait_for_url(re.compile(r"/samarbeidsavtaler/ny/$"))
    accessible(page)
    page.get_by_role("link", name="Tilbake til Masfjorden").click()
    page.wait_for_url(re.compile(r"/vest/kommuner/4634/$"))
    accessible(page)
    page.get_by_role("link", name="Alle versjoner av planen").click()
    page.wait_for_url(re.compile(r"/utdanningsplan/$"))
    accessible(page)
    page.get_by_role("link", name="Versjon 1").click()
    page.wait_for_url(re.compile(r"/utdanningsplan/1/$"))
    accessible(page)
