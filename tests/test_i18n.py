"""Three languages: bokmål is the source, nynorsk and English are complete catalogues, and the
user's choice (or the browser's language) decides what a page is served in."""

import re
import shutil
from datetime import date
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import formats, translation

ROOT = Path(__file__).resolve().parent.parent
TRANSLATED = ["nn", "en"]
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{\{ ?[a-z_]+ ?\}\}|<[a-z]+\b|\{[a-z_]+\}")

FILL_HINT = (
    "Fill them in locale/{lang}/LC_MESSAGES/django.po (after `manage.py makemessages -l nn -l en "
    "--ignore=.venv --ignore=node_modules --ignore=staticfiles`), keeping placeholders and HTML as "
    "they are:\n"
)


def _catalogue(lang: str) -> polib.POFile:
    return polib.pofile(str(ROOT / "locale" / lang / "LC_MESSAGES" / "django.po"))


def _gaps(po: polib.POFile) -> list[str]:
    """Every msgid that would show bokmål (or a guess) to a nynorsk or English reader."""
    gaps = []
    for entry in po:
        if entry.obsolete:
            continue
        if entry.msgid_plural:
            missing = not entry.msgstr_plural or not all(entry.msgstr_plural.values())
        else:
            missing = not entry.msgstr
        if missing or "fuzzy" in entry.flags:
            where = entry.occurrences[0][0] if entry.occurrences else "?"
            state = "fuzzy" if "fuzzy" in entry.flags else "untranslated"
            gaps.append(f"  [{state}] {entry.msgid!r}  ({where})")
    return gaps


@pytest.mark.parametrize("lang", TRANSLATED)
def test_catalogue_has_no_untranslated_or_fuzzy_entry(lang):
    gaps = _gaps(_catalogue(lang))
    assert not gaps, (
        f"{len(gaps)} entries in the {lang} catalogue are not translated. "
        + FILL_HINT.format(lang=lang)
        + "\n".join(gaps)
    )


def test_catalogues_hold_every_string_marked_in_code_and_templates(tmp_path, monkeypatch):
    """A string marked for translation since the catalogues were last extracted is a gap too:
    extract again into a copy of locale/ and look for entries still without a translation."""
    # makemessages writes into any `locale` folder it walks past, so it runs in a mirror of the
    # repository (links to the sources) with a copy of locale/: the real catalogues stay as
    # they are.
    mirror = tmp_path / "src"
    mirror.mkdir()
    for entry in ROOT.iterdir():
        if entry.name not in {"locale", ".venv", "node_modules", "staticfiles", ".git"}:
            (mirror / entry.name).symlink_to(entry)
    shutil.copytree(ROOT / "locale", mirror / "locale")
    monkeypatch.chdir(mirror)
    with override_settings(LOCALE_PATHS=[mirror / "locale"]):
        call_command(
            "makemessages",
            locale=TRANSLATED,
            ignore_patterns=[".venv", "node_modules", "staticfiles", "tests"],
            symlinks=True,
            verbosity=0,
        )
    report = []
    for lang in TRANSLATED:
        po = polib.pofile(str(mirror / "locale" / lang / "LC_MESSAGES" / "django.po"))
        gaps = _gaps(po)
        if gaps:
            report.append(f"{lang}: " + FILL_HINT.format(lang=lang) + "\n".join(gaps))
    assert not report, "New strings are not in the catalogues yet.\n" + "\n\n".join(report)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translations_keep_the_placeholders_and_markup(lang):
    wrong = []
    for entry in _catalogue(lang):
        if entry.obsolete or not entry.translated():
            continue
        # nynorsk and English have two forms, as bokmål: the singular follows the msgid.
        pairs = (
            [(entry.msgid, entry.msgstr)]
            if not entry.msgid_plural
            else [
                (entry.msgid if form == 0 else entry.msgid_plural, text)
                for form, text in entry.msgstr_plural.items()
            ]
        )
        for source, target in pairs:
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(target)):
                wrong.append(f"  {source!r} -> {target!r}")
    assert not wrong, f"{lang}: placeholders or HTML differ from the source:\n" + "\n".join(wrong)


def test_yes_no_pairs_stay_pairs():
    """`yesno` takes "yes,no": a translation of that argument must keep the comma form."""
    for lang in TRANSLATED:
        with translation.override(lang):
            assert len(translation.gettext("Ja,Nei").split(",")) == 2


# --- Pages in the three languages --------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "lang", "heading"),
    [
        ("", "nb", "ALIS-kontorene"),
        ("nn-NO,nn;q=0.9", "nn", "ALIS-kontora"),
        ("en-GB,en;q=0.9", "en", "The ALIS offices"),
        ("de-DE,de;q=0.9", "nb", "ALIS-kontorene"),
    ],
)
def test_front_page_follows_the_browser_language(db, accept, lang, heading):
    headers = {"accept-language": accept} if accept else {}
    response = Client().get("/", headers=headers)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{lang}"' in html
    assert re.search(rf"<h1[^>]*>\s*{re.escape(heading)}\s*</h1>", html), html[:2000]


@pytest.mark.parametrize(
    ("lang", "heading", "logout"),
    [("nn", "Mine sider", "Logg ut"), ("en", "My pages", "Log out")],
)
def test_the_users_own_choice_wins_over_the_browser(db, alis_masfjorden, lang, heading, logout):
    alis_masfjorden.language = lang
    alis_masfjorden.save()
    client = Client()
    client.force_login(alis_masfjorden)
    response = client.get("/hjem/", headers={"accept-language": "nb"}, follow=True)
    html = response.content.decode()
    assert f'<html lang="{lang}"' in html
    assert logout in html
    assert heading in html or lang == "nn"  # nynorsk keeps "Mine sider"
    # The choice is written to the language cookie, so it also holds after logout.
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == lang


def test_a_nynorsk_user_sees_nynorsk_headings(db, alis_masfjorden, client_for):
    alis_masfjorden.language = "nn"
    alis_masfjorden.save()
    response = client_for(alis_masfjorden).get("/hjem/", follow=True)
    html = response.content.decode()
    assert "Hopp til hovudinnhaldet" in html
    assert "Hopp til hovedinnhold" not in html


def test_switcher_stores_the_choice_on_the_user_and_goes_back(db, alis_masfjorden):
    client = Client()
    client.force_login(alis_masfjorden)
    page = client.get("/hjem/", follow=True).content.decode()
    # The switcher is in the header, labelled, with the three languages in their own names.
    assert 'action="/sprak/"' in page
    assert '<label class="ds-label" for="language-switcher">' in page
    for name in ("Norsk bokmål", "Norsk nynorsk", "English"):
        assert name in page

    response = client.post("/sprak/", {"language": "en", "next": "/hjem/"})
    assert response.status_code == 302
    assert response["Location"] == "/hjem/"
    alis_masfjorden.refresh_from_db()
    assert alis_masfjorden.language == "en"
    assert "Skip to main content" in client.get("/hjem/", follow=True).content.decode()


def test_switcher_works_before_login_and_never_redirects_off_site(db):
    client = Client()
    response = client.post("/sprak/", {"language": "nn", "next": "https://evil.example/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "nn"
    assert "ALIS-kontora" in client.get("/").content.decode()


def test_switcher_ignores_an_unknown_language(db, alis_masfjorden):
    client = Client()
    client.force_login(alis_masfjorden)
    client.post("/sprak/", {"language": "de", "next": "/hjem/"})
    alis_masfjorden.refresh_from_db()
    assert alis_masfjorden.language == ""


@pytest.mark.parametrize(
    ("lang", "short", "number"),
    [
        ("nb", "01.03.2026", "1\xa0234,5"),
        ("nn", "01.03.2026", "1\xa0234,5"),
        ("en", "1 Mar 2026", "1,234.5"),
    ],
)
def test_dates_and_numbers_follow_the_language(lang, short, number):
    with translation.override(lang):
        assert formats.date_format(date(2026, 3, 1), "SHORT_DATE_FORMAT") == short
        assert formats.date_format(date(2026, 3, 1)) == short
        assert formats.number_format(1234.5, decimal_pos=1, force_grouping=True) == number


def test_the_english_menu_says_learning_goals(db, coordinator_vest, client_for):
    """Cold-user finding (issue 14): the menu link to the goal catalogue read «Learning goal».
    The plural use has its own context (msgctxt «flertall»); a column of one goal per row keeps
    the singular."""
    coordinator_vest.language = "en"
    coordinator_vest.save()
    html = client_for(coordinator_vest).get("/vest/innboks/").content.decode()
    nav = html.split('class="container office-nav"', 1)[1].split("</nav>", 1)[0]
    assert ">Learning goals</a>" in nav
    assert ">Learning goal</a>" not in nav
