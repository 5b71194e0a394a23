"""Loading the health-trust areas and former municipality names from `municipalities/data/`.

Called by a data migration with historical models (`apps`), and safe to run again: rows are
matched on their natural keys and brought up to date.

Source: the helseforetak's own descriptions of their catchment areas (opptaksområder) as
published by the regional health authorities, assigned per municipality of the 2024 register.
Where a municipality is split between two hospitals' areas, or where we were unsure, the
row's note says «tilnærmet» (approximate); Oslo as a whole is assigned to OUS, although its
districts are shared with Lovisenberg, Diakonhjemmet and Ahus.
"""

import csv
from datetime import date
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
SOURCE = "Helseforetakenes opptaksområder (regionale helseforetak), registeret 2024"


def _rows(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def _day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def seed_health_trust_areas(apps) -> None:
    Municipality = apps.get_model("municipalities", "Municipality")
    HealthTrust = apps.get_model("municipalities", "HealthTrust")
    HealthTrustArea = apps.get_model("municipalities", "HealthTrustArea")
    MunicipalityName = apps.get_model("municipalities", "MunicipalityName")

    trusts = {}
    for row in _rows("helseforetak.csv"):
        trusts[row["kode"]], _ = HealthTrust.objects.update_or_create(
            code=row["kode"],
            defaults={"name": row["navn"], "region": row["regionalt helseforetak"]},
        )
    by_number = {m.number: m for m in Municipality.objects.all()}
    for row in _rows("helseforetak_kommuner_2024.csv"):
        municipality = by_number.get(row["kommunenummer"])
        if municipality is None:
            continue
        note = row["merknad"]
        HealthTrustArea.objects.update_or_create(
            municipality=municipality,
            valid_from=_day(row["gyldig_fra"]),
            defaults={
                "health_trust": trusts[row["helseforetak"]],
                "valid_to": _day(row["gyldig_til"]),
                "source": f"{SOURCE}. {note}".strip(". ") if note else SOURCE,
            },
        )
    for row in _rows("kommunenavn_historikk.csv"):
        municipality = by_number.get(row["kommunenummer"])
        if municipality is None:
            continue
        MunicipalityName.objects.update_or_create(
            name=row["navn"],
            municipality=municipality,
            defaults={
                "valid_from": _day(row["gyldig_fra"]),
                "valid_to": _day(row["gyldig_til"]),
                "note": row["merknad"],
            },
        )
