import re

import pytest
from django_scopes import scope

from intake import services
from intake.models import Application
from offices.permissions import Role
from tests.conftest import member
from tests.factories import PASSWORD
from tests.intake_helpers import make_round, nord_municipality, population_figures

from .conftest import accessible, log_in

pytestmark = pytest.mark.browser


def test_leader_submits_an_application_and_the_office_records_the_decision(page, nord, vadso):
    population_figures()
    leader = member(nord, Role.MUNICIPAL_LEADER, vadso, email="lars@vadso.example.no")
    coordinator = member(nord, Role.COORDINATOR, email="kari@nord.example.no")
    round_ = make_round(nord, coordinator)
    services.round_invite(
        office=nord,
        acting_user=coordinator,
        round_=round_,
        municipalities=[vadso, nord_municipality("5628")],
    )
    assert leader

    log_in(page, "lars@vadso.example.no", PASSWORD)
    page.goto("/nord/opptak/")
    accessible(page)
    page.get_by_role("link", name="Opptak 2027").click()
    page.wait_for_url(re.compile(rf"/nord/opptak/{round_.pk}/$"))
    accessible(page)
    page.get_by_role("link", name="Skriv søknad").click()
    page.wait_for_url(re.compile(r"/sok/$"))
    accessible(page)
    page.get_by_label("Tana").check()
    page.get_by_label("Antall ALIS dere søker om").fill("2")
    page.get_by_label("Driftsform").select_option("valgfritt")
    page.get_by_role("group", name="Egen pasientliste").get_by_label("Ja").check()
    page.get_by_role("button", name="Lagre utkast").click()
    page.wait_for_url(re.compile(r"/rediger/$"))
    accessible(page)
    assert page.get_by_text("Utkastet er lagret.").is_visible()
    # Tana has no leader user: the office confirms for it (by letter) before it is sent in.
    with scope(office=nord):
        application = Application.objects.get(round=round_)
    services.partner_confirm(
        office=nord,
        acting_user=coordinator,
        application=application,
        municipality=nord_municipality("5628"),
        on_behalf=True,
        note="Brev fra Tana kommune",
    )
    page.get_by_label("Timer veiledning per måned").fill("4")
    page.get_by_role("button", name="Send inn søknaden").click()
    page.wait_for_url(re.compile(r"/nord/opptak/soknad/\d+/$"))
    accessible(page)
    assert page.locator("#status").inner_text().startswith("Sendt inn")
    assert page.locator("#population").inner_text().replace("\xa0", " ") == "8 600"

    page.context.clear_cookies()
    log_in(page, "kari@nord.example.no", PASSWORD)
    page.goto(f"/nord/opptak/{round_.pk}/")
    accessible(page)
    page.get_by_role("button", name="Lukk for søknader og start vurderingen").click()
    page.wait_for_url(re.compile(rf"/nord/opptak/{round_.pk}/lukk/"))
    accessible(page)
    assert "har ikke gått ut" in page.locator("#deadline-warning").inner_text()
    page.get_by_role("button", name="Ja, lukk runden").click()
    page.wait_for_url(re.compile(rf"/nord/opptak/{round_.pk}/$"))
    accessible(page)
    page.get_by_role("link", name="Vurdering og rangering").click()
    page.wait_for_url(re.compile(r"/vurdering/$"))
    accessible(page)
    page.get_by_role("link", name="Vadsø + Tana").click()
    page.wait_for_url(re.compile(r"/soknad/\d+/$"))
    accessible(page)
    page.get_by_label("Representativ", exact=True).select_option("4")
    page.get_by_label("Næring", exact=True).select_option("5")
    page.get_by_label("Ny ordning", exact=True).select_option("1")
    page.get_by_role("button", name="Lagre poengene").click()
    page.wait_for_url(re.compile(r"/soknad/\d+/$"))
    accessible(page)
    assert "22,00" in page.locator("#total").inner_text()  # 3 × 4 + 2 × 5
    page.goto(f"/nord/opptak/{round_.pk}/vedtak/")
    accessible(page)
    page.get_by_label("Møtereferanse").fill("Styringsgruppen sak 1/27")
    page.get_by_role("button", name="Lagre vedtaket og send svar").click()
    page.wait_for_url(re.compile(rf"/nord/opptak/{round_.pk}/$"))
    accessible(page)
    assert page.locator("#status").inner_text() == "Vedtatt"
    assert page.get_by_role("row", name=re.compile("Vadsø 1")).is_visible()
