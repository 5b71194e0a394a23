"""Loading population figures (reference data) from a semicolon CSV:
`kommunenummer;år;folketall;kilde` (UTF-8, with or without BOM), matched on number and year.

The file shipped in `intake/data/folketall_eksempel.csv` holds approximate EXAMPLE figures for
the demo (marked `is_example`); load Statistics Norway's table 07459 the same way with
`manage.py import_population <file>` for real figures."""

import csv
import io
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from municipalities.models import Municipality
from offices.spreadsheets import control_character, control_character_text

from .models import PopulationFigure

EXAMPLE_FILE = Path(__file__).resolve().parent / "data" / "folketall_eksempel.csv"


@transaction.atomic
def population_import(text: str, *, is_example: bool = False) -> int:
    """Create or update one figure per row; rows naming an unknown municipality are skipped.
    Returns how many rows were loaded. Raises ValueError, and loads nothing, when a cell holds a
    control character (PostgreSQL stores no NUL in text)."""
    by_number = {m.number: m for m in Municipality.objects.all()}
    loaded = 0
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";")
    for line, row in enumerate(reader, start=2):
        for column, value in row.items():
            if char := control_character(value):
                raise ValueError(
                    _("Rad %(line)s, kolonne «%(column)s»: %(problem)s")
                    % {"line": line, "column": column, "problem": control_character_text(char)}
                )
        municipality = by_number.get((row.get("kommunenummer") or "").strip().zfill(4))
        if municipality is None:
            continue
        PopulationFigure.objects.update_or_create(
            municipality=municipality,
            year=int(row["år"]),
            defaults={
                "population": int(row["folketall"].replace(" ", "").replace("\xa0", "")),
                "source": row["kilde"].strip()[:300],
                "is_example": is_example,
            },
        )
        loaded += 1
    return loaded


def load_example_population() -> int:
    return population_import(EXAMPLE_FILE.read_text("utf-8"), is_example=True)
