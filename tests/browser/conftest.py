"""Playwright driving Debian's Chromium against the live test server; axe-core on every page.

Every page a browser test loads must be scanned with `accessible(page)` before the test ends:
the fixture fails the test for any loaded page that was not scanned, and `accessible` fails on
any WCAG 2.1 A/AA violation.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache

CHROMIUM = os.environ.get("ALIS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
AXE_RULES = "{runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), f"Chromium mangler: {CHROMIUM} (installeres av ./scripts/test)"
    assert AXE.exists(), f"axe-core mangler: {AXE} (installeres av npm ci)"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class PageLog:
    def __init__(self):
        self.loaded: list[str] = []
        self.scanned: set[str] = set()


@pytest.fixture
def page(browser, live_server):
    # Every browser test logs in from 127.0.0.1 through the same in-process cache, so allauth's
    # login rate limit (30 a minute per address) would count the whole suite's logins: each
    # test starts with its own count, as a real person's first minute would.
    cache.clear()
    # Injected as an init script so the site's Content-Security-Policy does not block it.
    context = browser.new_context(base_url=live_server.url, locale="nb-NO")
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    page.set_default_timeout(10_000)
    log = PageLog()
    page.on("load", lambda p: log.loaded.append(p.url))
    page.alis_log = log
    yield page
    unscanned = [u for u in log.loaded if u not in log.scanned]
    context.close()
    assert not unscanned, f"Sider lastet uten axe-sjekk: {unscanned}"


def accessible(page) -> None:
    """Fail on any WCAG 2.1 A/AA violation on the current page."""
    page.wait_for_load_state("load")
    result = page.evaluate(f"() => axe.run(document, {AXE_RULES})")
    problems = [
        f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]
    page.alis_log.scanned.add(page.url)
    assert not problems, f"WCAG-brudd på {page.url}:\n" + "\n".join(problems)
    reflows(page)


# Sub-pixel rounding and scrollbars: a few pixels are not sideways scrolling.
REFLOW_TOLERANCE = 4


def reflows(page) -> None:
    """WCAG 1.4.10: at 320 CSS px the page does not scroll sideways (checked alongside axe)."""
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 640})
    try:
        width = page.evaluate("() => document.scrollingElement.scrollWidth")
        wide = page.evaluate(WIDEST) if width > 320 + REFLOW_TOLERANCE else []
    finally:
        page.set_viewport_size(size)
    assert width <= 320 + REFLOW_TOLERANCE, f"{page.url} er {width} px bred ved 320 px: {wide}"


# The innermost elements that reach past the right edge (named in a failing reflow check).
WIDEST = """() => {
  const scrolls = e => { for (let a = e.parentElement; a && a !== document.body;
    a = a.parentElement) { if (getComputedStyle(a).overflowX !== 'visible') return true; }
    return false; };
  return [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > 324 && !scrolls(e) && ![...e.children].some(
    c => c.getBoundingClientRect().right > 324 && !scrolls(c)))
  .slice(0, 5)
  .map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')
    + ' ' + Math.round(e.getBoundingClientRect().right) + 'px'); }"""


def log_in(page, email: str, password: str) -> None:
    page.goto("/konto/login/")
    accessible(page)
    page.get_by_label("E-post").fill(email)
    page.get_by_label("Passord").fill(password)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_load_state("load")
    # Where the user lands (their inbox) is checked too, whatever the test does next.
    accessible(page)
