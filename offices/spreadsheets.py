"""Spreadsheets in and out, safely: the one formula escape for every export, the one
streaming size/row check every import runs before it parses a file for real, and the one
check for control characters in a cell that every import runs on what it read."""

from __future__ import annotations

import csv
import io
import re
import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# A cell starting with one of these is run as a formula by Excel/LibreOffice (OWASP CSV
# injection): = + - @, and tab / carriage return, which some programs skip before the formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# An .xlsx is a zip: refuse one that unpacks to more than this (a "zip bomb"), before parsing.
MAX_XLSX_UNPACKED = 100 * 1024 * 1024
# Characters no one types in a cell, which a file can still carry: PostgreSQL refuses NUL in
# text (saving it would fail), and openpyxl refuses the others when the text is exported again.
# Tab, line feed and carriage return stay allowed: a cell may hold a line break.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def escape_formula(value):
    """Text a spreadsheet would run as a formula gets a leading apostrophe, so it shows as text.

    Every CSV/xlsx export passes every cell through this (names users choose included).
    Numbers are left alone: a negative number is a number, not a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def escape_row(values) -> list:
    return [escape_formula(value) for value in values]


def control_character(value) -> str | None:
    """The first control character in a cell's text, named so the user can find it ("NUL",
    "U+0007"); None when the cell has none (or is not text)."""
    if not isinstance(value, str):
        return None
    match = CONTROL_CHARACTERS.search(value)
    if match is None:
        return None
    code = ord(match.group())
    return "NUL" if code == 0 else f"U+{code:04X}"


def control_character_text(name: str) -> str:
    """What a user is told about a cell holding the control character `name`; the importer
    says where (row and column)."""
    return _(
        "Cellen inneholder et usynlig kontrolltegn (%(char)s) som ikke kan lagres. Slett det i "
        "regnearket og last opp filen på nytt."
    ) % {"char": name}


def _too_many(max_rows: int) -> ValidationError:
    return ValidationError(
        _("Filen har mer enn %(max)s rader; del den opp i mindre filer.") % {"max": max_rows},
        code="too_many_rows",
    )


def check_spreadsheet(filename: str, content: bytes, *, max_bytes: int, max_rows: int) -> None:
    """Refuse a file that is too big or has too many non-empty rows, reading it as a stream.

    Runs before any full parse: the size first, then (.xlsx) the unpacked size from the zip
    directory and the rows of the first sheet through openpyxl's read-only stream, (.csv) the
    lines through the csv reader; it stops at the first row over the limit. Raises
    ValidationError with a message for the user; says nothing about a file it cannot read
    (the parser that follows reports that)."""
    if len(content) > max_bytes:
        raise ValidationError(
            _("Filen er for stor (mer enn %(mb)s MB).") % {"mb": max_bytes // (1024 * 1024)},
            code="too_big",
        )
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        _check_xlsx(content, max_rows)
    elif name.endswith(".csv"):
        _check_csv(content, max_rows)


def _check_xlsx(content: bytes, max_rows: int) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    if unpacked > MAX_XLSX_UNPACKED:
        raise ValidationError(_("Regnearket er for stort når det pakkes ut."), code="too_big")
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 — unreadable: the real parser gives the message
        return
    try:
        rows = 0
        for values in workbook.worksheets[0].iter_rows(values_only=True):
            if any(value not in (None, "") for value in values):
                rows += 1
                if rows > max_rows + 1:  # + the header row
                    raise _too_many(max_rows)
    except ValidationError:
        raise
    except Exception:  # noqa: BLE001
        return
    finally:
        workbook.close()


def _check_csv(content: bytes, max_rows: int) -> None:
    text = content.decode("utf-8-sig", errors="replace")
    rows = 0
    for values in csv.reader(io.StringIO(text)):
        if any(value.strip() for value in values):
            rows += 1
            if rows > max_rows + 1:
                raise _too_many(max_rows)
