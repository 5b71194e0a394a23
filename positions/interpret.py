"""Reading the cells coordinators write, as a person would (pure functions, no database).

Each reader takes the cell's text and returns a `Cell`: the value to store, what we understood
(shown in the preview beside the original, empty when the cell says exactly what is stored),
and an error with a suggestion only when nobody could tell what was meant.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from offices.dates import short_date

from .models import LIST_CEILING_MAX, LIST_CEILING_MIN, EmploymentForm, Fact, Scheme, Status

UNKNOWN_MARKS = {"", "?", "??", "-", "–", "—", "ukjent", "vet ikke", "ikke kjent"}

EMPLOYMENT_WORDS = {
    "fastlønn": EmploymentForm.SALARIED,
    "fastlonn": EmploymentForm.SALARIED,
    "fast lønn": EmploymentForm.SALARIED,
    "næring": EmploymentForm.SELF_EMPLOYED,
    "naering": EmploymentForm.SELF_EMPLOYED,
    "selvstendig næringsdrivende": EmploymentForm.SELF_EMPLOYED,
    "næringsdrivende": EmploymentForm.SELF_EMPLOYED,
    "søker velger": EmploymentForm.APPLICANT_CHOOSES,
    "valgfritt": EmploymentForm.APPLICANT_CHOOSES,
    "valgfri": EmploymentForm.APPLICANT_CHOOSES,
}
SCHEME_WORDS = {
    "ny": Scheme.NEW,
    "ny ordning": Scheme.NEW,
    "gammel": Scheme.OLD,
    "gammel ordning": Scheme.OLD,
}
FACT_WORDS = {
    "ja": Fact.YES,
    "yes": Fact.YES,
    "nei": Fact.NO,
    "ferdig": Fact.DONE,
    "fullført": Fact.DONE,
    "pågår": Fact.ONGOING,
    "pågående": Fact.ONGOING,
    "pagar": Fact.ONGOING,
    "under arbeid": Fact.ONGOING,
}
STATUS_WORDS = {label.lower(): value for value, label in Status.choices} | {
    v: v for v in Status.values
}
SHARED_WORDS = {"felles", "delt", "deles"}
SHARED_LIST_WORDS = {"deleliste", "delt liste", "delte lister"}

# «Fastlønn», «Næring?», «Fastlønn (1/1-20)», «Ja (i Tana)»: a word, an optional question mark
# (uncertain), an optional note in brackets.
WORD_NOTE = re.compile(r"^(?P<word>[^()?]*?)\s*(?P<uncertain>\?+)?\s*(?:\((?P<note>[^)]*)\))?$")
SUM = re.compile(r"^\d+(\s*\+\s*\d+)+$")
# 1/1-20, 1.1.2020, 01.01.20, 1/1/2020, 2020-01-01
DATE_DMY = re.compile(r"(?<!\d)(\d{1,2})\s*[./]\s*(\d{1,2})\s*[-./]\s*(\d{2}|\d{4})(?!\d)")
DATE_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


@dataclass
class Cell:
    value: object = None
    understood: str = ""
    error: str = ""
    extra: dict = field(default_factory=dict)


def _split(text: str):
    match = WORD_NOTE.match(text.strip())
    if not match:
        return None
    return match["word"].strip(), bool(match["uncertain"]), (match["note"] or "").strip()


def date_in(text: str) -> date | None:
    """The first date written in a note, if any («1/1-20» → 2020-01-01)."""
    match = DATE_ISO.search(text)
    try:
        if match:
            return date(int(match[1]), int(match[2]), int(match[3]))
        match = DATE_DMY.search(text)
        if match:
            year = int(match[3])
            year = year + 2000 if year < 100 else year
            return date(year, int(match[2]), int(match[1]))
    except ValueError:
        return None
    return None


def applicants(text: str) -> Cell:
    """A whole number; a sum per advertisement round; «12 (felles)»; unknown («?», a sentence)."""
    raw = text.strip()
    compact = raw.replace("\u00a0", " ")
    if compact.isdigit():
        return Cell(int(compact), extra={"shared": False, "text": ""})
    if SUM.match(compact):
        total = sum(int(part) for part in compact.split("+"))
        return Cell(
            total,
            _("%(sum)s = %(total)s søkere (summen av utlysningene)")
            % {"sum": compact, "total": total},
            extra={"shared": False, "text": raw},
        )
    parts = _split(compact)
    if parts and parts[0].isdigit() and parts[2].casefold() in SHARED_WORDS:
        number = int(parts[0])
        return Cell(
            number,
            _("%(n)s søkere felles med en annen stilling (telles én gang i summen)")
            % {"n": number},
            extra={"shared": True, "text": ""},
        )
    if compact.casefold() in UNKNOWN_MARKS:
        understood = _("Ukjent antall") if compact else ""
        return Cell(None, understood, extra={"shared": False, "text": ""})
    if not any(ch.isdigit() for ch in compact):
        return Cell(
            None,
            _("Ukjent antall; «%(text)s» lagres som merknad") % {"text": raw},
            extra={"shared": False, "text": raw},
        )
    return Cell(
        error=_(
            "Forstår ikke «%(text)s». Skriv et tall («3»), en sum («1 + 3»), «12 (felles)» "
            "eller «?» når det er ukjent."
        )
        % {"text": raw}
    )


def list_ceiling(text: str) -> Cell:
    """A list size in range; «Deleliste» and other words as a note; unknown left empty."""
    raw = text.strip()
    compact = raw.replace(" ", "").replace("\u00a0", "")
    if compact.isdigit():
        number = int(compact)
        if LIST_CEILING_MIN <= number <= LIST_CEILING_MAX:
            return Cell(number, extra={"note": ""})
        return Cell(error=_range_error())
    if raw.casefold() in UNKNOWN_MARKS:
        return Cell(None, _("Ukjent listetak") if raw else "", extra={"note": ""})
    numbers = [int(n) for n in re.findall(r"\d+", raw)]
    in_range = [n for n in numbers if LIST_CEILING_MIN <= n <= LIST_CEILING_MAX]
    words = re.sub(r"[\d()]+", " ", raw).strip(" ,-")
    words = " ".join(words.split())
    if len(in_range) == 1 and len(numbers) == 1:
        return Cell(
            in_range[0],
            _("Listetak %(n)s, merknad «%(note)s»") % {"n": in_range[0], "note": words},
            extra={"note": words},
        )
    if not numbers:
        label = _("Delt liste") if raw.casefold() in SHARED_LIST_WORDS else raw
        return Cell(
            None,
            _("Uten listetak; «%(text)s» lagres som merknad") % {"text": label},
            extra={"note": raw},
        )
    return Cell(error=_range_error())


def _range_error() -> str:
    return _(
        "Listetaket må være et helt tall mellom %(min)s og %(max)s (vanligvis 600–1100), "
        "eller et ord som «Deleliste»."
    ) % {"min": LIST_CEILING_MIN, "max": LIST_CEILING_MAX}


@lru_cache(maxsize=32)
def _labels(kind: str, language: str | None) -> dict[str, str]:
    """Choice labels as text, translated once per language (an import reads thousands)."""
    if kind == "employment":
        return {value: str(label) for value, label in EmploymentForm.choices}
    if kind == "scheme":
        return {Scheme.NEW: _("Ny"), Scheme.OLD: _("Gammel")}
    return {value: str(label) for value, label in Fact.choices}


def _word_with_note(text: str, words: dict, kind: str, error) -> Cell:
    parts = _split(text)
    if parts is None or parts[0].casefold() not in words:
        return Cell(error=error())
    word, uncertain, note = parts
    value = words[word.casefold()]
    label = _labels(kind, get_language())[value]
    noted_date = date_in(note) if note else None
    if not uncertain and not note and word == label:
        return Cell(value, "", extra={"uncertain": False, "note": "", "date": None})
    bits = [label]
    if uncertain:
        bits.append(_("usikkert"))
    if note:
        bits.append(_("merknad «%(note)s»") % {"note": note})
    if noted_date:
        bits.append(_("dato %(date)s") % {"date": short_date(noted_date)})
    return Cell(
        value, ", ".join(bits), extra={"uncertain": uncertain, "note": note, "date": noted_date}
    )


def employment(text: str) -> Cell:
    return _word_with_note(
        text,
        EMPLOYMENT_WORDS,
        "employment",
        lambda: _(
            "Skriv «Fastlønn», «Næring» eller «Søker velger» (med «?» hvis usikkert, og en "
            "merknad i parentes)."
        ),
    )


def scheme(text: str) -> Cell:
    return _word_with_note(
        text,
        SCHEME_WORDS,
        "scheme",
        lambda: _("Skriv «Ny» eller «Gammel» (med «?» hvis usikkert)."),
    )


def fact(text: str) -> Cell:
    """Ja / Nei / Ferdig / Pågår, with a note («Ja (i Tana)»); empty or «–»: not known."""
    if text.strip().casefold() in UNKNOWN_MARKS:
        return Cell("", extra={"uncertain": False, "note": "", "date": None})
    cell = _word_with_note(
        text,
        FACT_WORDS,
        "fact",
        lambda: _("Skriv «Ja», «Nei», «Ferdig» eller «Pågår», eller la cellen stå tom."),
    )
    if cell.extra.get("uncertain"):
        note = cell.extra["note"]
        cell.extra["note"] = f"{note} (usikker)".strip() if note else _("usikker")
    return cell


def status(text: str) -> Cell:
    if not text.strip():
        return Cell(None)
    value = STATUS_WORDS.get(text.strip().casefold())
    if value is None:
        return Cell(error=_("Skriv en av disse: Planlagt, Utlyst, Besatt, Ledig eller Avsluttet."))
    return Cell(value)


def fact_text(value: str, note: str) -> str:
    """A fact as the export writes it («Ja (i Tana)»); read back by `fact`."""
    if not value:
        return ""
    label = str(Fact(value).label)
    return f"{label} ({note})" if note else label


def word_text(label: str, uncertain: bool, note: str) -> str:
    """«Næring?», «Fastlønn (1/1-20)»: what the export writes; read back the same."""
    return label + ("?" if uncertain else "") + (f" ({note})" if note else "")
