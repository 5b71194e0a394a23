"""Reading a learning-goal spreadsheet (xlsx or csv) and keeping it between preview and confirm.

The file has one header row and one goal per row. Documented columns (header text, any case):

| Kolonne | Innhold | Påkrevd |
|---|---|---|
| `Kode` | `ALM-nnn` (ALM) or `FKM-nn` (FKM), unique in the file | ja |
| `Tittel` | the goal's title | ja |
| `Tema` | theme | nei |
| `Anbefalte læringsaktiviteter` | free text | nei |
| `Typisk arena` | an arena's value or name, e.g. `legevakt` / `Legevakt` | nei |
| `Gyldig fra`, `Gyldig til` | dates as `dd.mm.åååå`, `åååå-mm-dd` or spreadsheet dates | nei |

csv: UTF-8 (with or without BOM), separated by semicolon, comma or tab.

Parsing never writes: it returns the rows and every error with its row and column. The parsed
rows are kept in the user's server-side session under a random key until the coordinator
confirms; the confirm step reads them from there, never from the form.
"""

import csv
import io
import secrets
from dataclasses import asdict, dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from offices.spreadsheets import (
    CONTROL_CHARACTERS,
    check_spreadsheet,
    control_character,
    control_character_text,
)
from offices.vocabularies import ArenaType, arena_from_text

from .models import LearningGoal, code_error

COLUMNS = {
    "code": "Kode",
    "title": "Tittel",
    "theme": "Tema",
    "learning_activities": "Anbefalte læringsaktiviteter",
    "typical_arena": "Typisk arena",
    "valid_from": "Gyldig fra",
    "valid_to": "Gyldig til",
}
REQUIRED_COLUMNS = ("code", "title")
MAX_ROWS = 2000
MAX_BYTES = 5 * 1024 * 1024
FILE_ROW = 0  # errors about the whole file


@dataclass
class CellError:
    row: int  # spreadsheet row number (the header is row 1); 0 for the whole file
    column: str
    message: str


@dataclass
class ParsedFile:
    rows: list[dict] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)


def read_table(uploaded) -> list[list]:
    """Cell values of the first sheet (xlsx) or the csv file. Raises ValueError when unreadable."""
    name = (uploaded.name or "").lower()
    data = uploaded.read()
    try:  # size and row count from a streaming read, before the file is parsed for real
        check_spreadsheet(name, data, max_bytes=MAX_BYTES, max_rows=MAX_ROWS)
    except ValidationError as error:
        raise ValueError(error.messages[0]) from None
    if name.endswith(".xlsx"):
        return _read_xlsx(data)
    if name.endswith(".csv"):
        return _read_csv(data)
    raise ValueError(_("Filen må være et Excel-ark (.xlsx) eller en csv-fil (.csv)."))


def _read_xlsx(data: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise ValueError(_("Filen kunne ikke leses som et Excel-ark (.xlsx).")) from error
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 1)]
    finally:
        workbook.close()


def _read_csv(data: bytes) -> list[list]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValueError(_("csv-filen må være lagret som UTF-8.")) from error
    first_line = text.splitlines()[0] if text else ""
    delimiter = max(";,\t", key=first_line.count) if first_line else ";"
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))[: MAX_ROWS + 1]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value) -> date | None:
    """A cell as a date; None when empty. Raises ValueError when not a date."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    for fmt in ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def _max_length(name: str) -> int | None:
    return LearningGoal._meta.get_field(name).max_length


def parse_goals(table: list[list], kind: str) -> ParsedFile:
    """Check every row and cell of a goal table for a catalogue of `kind` (ALM or FKM)."""
    result = ParsedFile()
    rows = [row for row in table if any(_text(c) for c in row)]
    if not rows:
        result.errors.append(CellError(FILE_ROW, "", _("Filen er tom.")))
        return result
    header = [_text(c).casefold() for c in table[0]]
    positions = {}
    for key, title in COLUMNS.items():
        if title.casefold() in header:
            positions[key] = header.index(title.casefold())
        elif key in REQUIRED_COLUMNS:
            result.errors.append(
                CellError(
                    1, title, _("Kolonnen «%(c)s» mangler i overskriftsraden.") % {"c": title}
                )
            )
    if result.errors:
        return result
    if len(table) > MAX_ROWS + 1:
        result.errors.append(
            CellError(FILE_ROW, "", _("Filen har mer enn %(n)s rader.") % {"n": MAX_ROWS})
        )
        return result
    seen: dict[str, int] = {}
    for number, row in enumerate(table[1:], start=2):
        if not any(_text(c) for c in row):
            continue
        result.rows.append(_parse_row(row, number, positions, kind, seen, result.errors))
    if not result.rows:
        result.errors.append(CellError(FILE_ROW, "", _("Filen har ingen læringsmål.")))
    return result


def _parse_row(row, number, positions, kind, seen, errors) -> dict:
    def error(key, message):
        errors.append(CellError(number, COLUMNS[key], message))

    def cell(key):
        index = positions.get(key)
        value = row[index] if index is not None and index < len(row) else None
        if char := control_character(value):
            # An error for the row, and the character left out of what is kept in the session
            # until the preview (PostgreSQL cannot store it).
            error(key, control_character_text(char))
            return CONTROL_CHARACTERS.sub("", value)
        return value

    parsed = {"row": number}
    code = _text(cell("code")).upper()
    parsed["code"] = code
    if not code:
        error("code", _("Koden mangler."))
    elif message := code_error(code, kind):
        error("code", message)
    elif code in seen:
        error(
            "code",
            _("Koden %(code)s står også på rad %(row)s.") % {"code": code, "row": seen[code]},
        )
    else:
        seen[code] = number
    for key in ("title", "theme", "learning_activities"):
        parsed[key] = _text(cell(key))
        limit = _max_length(key)
        if limit and len(parsed[key]) > limit:
            error(key, _("Teksten er lengre enn %(n)s tegn.") % {"n": limit})
    if not parsed["title"]:
        error("title", _("Tittelen mangler."))
    arena_text = _text(cell("typical_arena"))
    arena = arena_from_text(arena_text) if arena_text else None
    if arena_text and arena is None:
        error(
            "typical_arena",
            _("Ukjent arena «%(a)s». Gyldige verdier: %(valid)s.")
            % {"a": arena_text, "valid": ", ".join(a.value for a in ArenaType)},
        )
    parsed["typical_arena"] = arena.value if arena else ""
    for key in ("valid_from", "valid_to"):
        try:
            value = _date(cell(key))
        except ValueError as bad:
            error(
                key,
                _("Ugyldig dato «%(d)s»; bruk dd.mm.åååå eller åååå-mm-dd.") % {"d": bad.args[0]},
            )
            value = None
        parsed[key] = value.isoformat() if value else None
    if parsed["valid_from"] and parsed["valid_to"] and parsed["valid_to"] < parsed["valid_from"]:
        error("valid_to", _("«Gyldig til» kan ikke være før «gyldig fra»."))
    return parsed


# --- Between preview and confirm -----------------------------------------------------------------

SESSION_KEY = "plans.catalogue_imports"
MAX_STAGED = 3


def stage_import(session, *, user, meta: dict, parsed: ParsedFile, filename: str) -> str:
    """Keep a parsed file in the session under a new random key; returns the key."""
    token = secrets.token_urlsafe(16)
    staged = dict(session.get(SESSION_KEY, {}))
    # Keep the session small: only the newest few uploads survive.
    for old in list(staged)[: max(0, len(staged) - MAX_STAGED + 1)]:
        del staged[old]
    staged[token] = {
        "user_id": user.pk,
        "meta": meta,
        "filename": filename,
        "rows": parsed.rows,
        "errors": [asdict(e) for e in parsed.errors],
    }
    session[SESSION_KEY] = staged
    return token


def staged_import(session, *, user, token: str) -> dict | None:
    """The staged upload for this user and key, or None."""
    entry = session.get(SESSION_KEY, {}).get(token)
    if entry is None or entry["user_id"] != user.pk:
        return None
    return entry


def drop_staged(session, token: str) -> None:
    staged = dict(session.get(SESSION_KEY, {}))
    staged.pop(token, None)
    session[SESSION_KEY] = staged
