import re

import pytest

from offices.permissions import Role
from tests.conftest import member
from tests.factories import PASSWORD

from .conftest import accessible, log_in

pytestmark = pytest.mark.browser


def test_coordinator_logs_in_sees_region_and_opens_a_municipality(page, vest):
    member(vest, Role.COORDINATOR, email="kari@vest.example.no")
    log_in(page, "kari@vest.example.no", PASSWORD)
    # Home is the work inbox (axe and the 320-px reflow check run in `accessible`).
    assert page.url.endswith("/vest/innboks/")
    accessible(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Dette venter på deg"
    page.get_by_role("link", name="Alle kommunene i regionen").click()
    page.wait_for_url(re.compile(r"/vest/$"))
    accessible(page)
    assert page.get_by_role("heading", level=1).inner_text().startswith("ALIS Vest")
    table = page.get_by_role("table")
    assert table.get_by_role("link", name="Masfjorden").is_visible()
    assert table.get_by_role("link", name="Vadsø").count() == 0

    page.get_by_label("Søk på navn eller kommunenummer").fill("masf")
    page.get_by_role("button", name="Søk").click()
    page.wait_for_url(re.compile(r"q=masf"))
    accessible(page)
    assert page.get_by_text("1 kommune").is_visible()
    page.get_by_role("link", name="Masfjorden").click()
    page.wait_for_url(re.compile(r"/vest/kommuner/4634/$"))
    accessible(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Masfjorden kommune"


def test_nord_user_gets_404_on_a_vest_page(page, nord, vadso):
    member(nord, Role.MUNICIPAL_LEADER, vadso, email="lars@vadso.example.no")
    log_in(page, "lars@vadso.example.no", PASSWORD)
    assert page.url.endswith("/nord/innboks/")
    accessible(page)
    response = page.goto("/vest/kommuner/4634/")
    assert response.status == 404
    accessible(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Fant ikke siden"


def test_the_menu_folds_on_a_phone_and_opens_on_request(page, vest, masfjorden):
    member(vest, Role.MUNICIPAL_LEADER, masfjorden, email="liv@masfjorden.example.no")
    page.set_viewport_size({"width": 320, "height": 640})
    log_in(page, "liv@masfjorden.example.no", PASSWORD)
    accessible(page)
    nav = page.get_by_role("navigation", name="Kontorets sider")
    assert not nav.get_by_role("link", name="ALIS-leger").is_visible()
    nav.get_by_text("Meny").click()
    assert nav.get_by_role("link", name="ALIS-leger").is_visible()
    assert page.evaluate("() => document.scrollingElement.scrollWidth") <= 324


def test_a_fresh_320_px_load_shows_the_menu_folded_and_it_follows_the_width(page, vest):
    """The ux screenshots resized a wide page to 320 px and showed the menu open: on a fresh
    load at 320 px it is folded to "Meny"; widening opens it (a closed menu would otherwise
    hide every link, with no "Meny" button on a wide screen) and narrowing folds it again."""
    from playwright.sync_api import expect

    member(vest, Role.COORDINATOR, email="kari@vest.example.no")
    log_in(page, "kari@vest.example.no", PASSWORD)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/vest/opptak/")
    accessible(page)
    nav = page.get_by_role("navigation", name="Kontorets sider")
    link = nav.get_by_role("link", name="Opptak av kommuner")
    expect(nav.get_by_text("Meny")).to_be_visible()
    expect(link).to_be_hidden()
    page.set_viewport_size({"width": 1280, "height": 800})
    expect(link).to_be_visible()
    expect(nav.get_by_text("Meny")).to_be_hidden()
    page.set_viewport_size({"width": 320, "height": 640})
    expect(link).to_be_hidden()
    nav.get_by_text("Meny").click()
    expect(link).to_be_visible()


def test_at_320_px_the_account_links_fold_so_the_page_starts_near_the_top(page, vest):
    """Cold-user finding (issue 14): at 320 px the name, «Mine sider», «Varslingsvalg»,
    «Tofaktor», «Logg ut» and the language picker took 343 px before «Meny». They fold into one
    button; the page's content starts within 200 px while both menus are closed."""
    from playwright.sync_api import expect

    member(vest, Role.COORDINATOR, email="kari@vest.example.no")
    page.set_viewport_size({"width": 320, "height": 640})
    log_in(page, "kari@vest.example.no", PASSWORD)
    account = page.get_by_role("navigation", name="Konto")
    logout = account.get_by_role("link", name="Logg ut")
    expect(logout).to_be_hidden()
    expect(page.get_by_label("Språk")).to_be_hidden()
    top = page.evaluate("() => document.querySelector('main').getBoundingClientRect().top")
    assert top <= 200, f"innholdet starter {top} px ned"
    # By keyboard: the button opens the account links and the language picker.
    toggle = page.get_by_text("Konto og språk")
    toggle.focus()
    page.keyboard.press("Enter")
    expect(logout).to_be_visible()
    expect(page.get_by_label("Språk")).to_be_visible()
    accessible(page)  # axe with the account menu open (and the 320-px reflow check)
    # On a wide screen everything is in the header, as before.
    page.set_viewport_size({"width": 1280, "height": 800})
    expect(logout).to_be_visible()
    expect(toggle).to_be_hidden()
