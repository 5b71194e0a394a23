"""Issue 14, found when users tried it cold: the phone menu's toggle looks and behaves like a
button, and the public job cards break no word in the middle at 1280 px."""

from datetime import date

import pytest

from national import services
from offices.permissions import Role
from positions.models import Status
from positions.services import medical_office_create, position_create
from tests.conftest import member
from tests.factories import PASSWORD

from .conftest import accessible, log_in

pytestmark = pytest.mark.browser

TOGGLE_STYLE = """() => {
  const s = getComputedStyle(document.querySelector('.office-nav__toggle'));
  return {display: s.display, borderStyle: s.borderTopStyle, borderWidth: s.borderTopWidth,
          borderColor: s.borderTopColor, outline: s.outlineStyle, shadow: s.boxShadow,
          height: document.querySelector('.office-nav__toggle').getBoundingClientRect().height};
}"""


def test_the_menu_toggle_is_a_button_with_a_border_and_a_focus_ring_at_320_px(
    page, vest, masfjorden
):
    member(vest, Role.MUNICIPAL_LEADER, masfjorden, email="liv@masfjorden.example.no")
    page.set_viewport_size({"width": 320, "height": 640})
    log_in(page, "liv@masfjorden.example.no", PASSWORD)
    style = page.evaluate(TOGGLE_STYLE)
    assert style["display"] == "flex"
    assert style["borderStyle"] == "solid" and style["borderWidth"] != "0px"
    assert style["borderColor"] not in ("rgba(0, 0, 0, 0)", "transparent")
    assert style["height"] >= 44  # a target a thumb can hit (Designsystemet's button size)
    assert style["outline"] == "none"  # no ring before it has focus
    # Reached from the keyboard, it shows Designsystemet's focus ring.
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.matches('.office-nav__toggle')"):
            break
    else:
        raise AssertionError("the Meny button is not reachable with Tab")
    focused = page.evaluate(TOGGLE_STYLE)
    assert focused["outline"] == "solid" and focused["shadow"] != "none"
    page.keyboard.press("Enter")
    nav = page.get_by_role("navigation", name="Kontorets sider")
    assert nav.get_by_role("link", name="ALIS-leger").is_visible()
    accessible(page)


# Words of the cards' headings and facts split over two lines (a break inside a word): each word
# (split at spaces and hyphens) as a Range; a word on one line has one client rect per line box.
SPLIT_WORDS = """() => {
  const split = [];
  for (const el of document.querySelectorAll('.public-positions h3 a, .public-positions dd')) {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const re = /[^\\s\\-–+]+/g;
      let m;
      while ((m = re.exec(node.data))) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        if (tops.size > 1) split.push(m[0]);
      }
    }
  }
  return split;
}"""


def test_public_job_cards_break_no_word_in_the_middle(page, vest):
    coordinator = member(vest, Role.COORDINATOR, email="koordinator@vest.example.no")
    # At most two positions per municipality (Vest's rule): one in each of five.
    municipalities = list(vest.municipalities.order_by("name")[:5])
    names = [
        "Masfjorden legekontor og legevakt",
        "Nordhordland interkommunale legevaktsentral",
        "Kvinnherad legesenter",
        "Sveio legekontor",
        "Legekontoret i Masfjordnes",
    ]
    for i, (name, municipality) in enumerate(zip(names, municipalities, strict=True)):
        office = medical_office_create(
            office=vest,
            acting_user=coordinator,
            municipality=municipality,
            name=name,
            ownership="kommunal",
        )
        position = position_create(
            office=vest,
            acting_user=coordinator,
            municipality=municipality,
            medical_office=office,
            list_ceiling=900 + i,
            employment_form="naering" if i % 2 else "fastlonn",
            scheme="ny",
            status=Status.ADVERTISED,
        )
        services.advertisement_save(
            office=vest,
            acting_user=coordinator,
            position=position,
            url=f"https://www.masfjorden.kommune.no/ledige-stillingar/alis-{i}",
            deadline=date(2027, 1, 10),
        )
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/stillinger/")
    accessible(page)  # and the 320-px reflow check
    assert page.locator(".public-positions > li").count() == 5
    assert page.evaluate(SPLIT_WORDS) == []
    page.set_viewport_size({"width": 320, "height": 640})
    # At 320 px the cards are one column as wide as the screen: still no word is cut.
    assert page.evaluate(SPLIT_WORDS) == []
    assert page.evaluate("() => document.scrollingElement.scrollWidth") <= 324
