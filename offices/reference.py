"""Reference data that ships with the project: the five offices and the 2024 municipality list.

Used by the data migrations and by tests that need the data back after a flush. Every function
takes an `apps` registry so it works with historical models inside migrations.
"""

import csv
from datetime import date
from pathlib import Path

MUNICIPALITY_CSV = Path(__file__).resolve().parent.parent / "municipalities/data/kommuner_2024.csv"

# slug, name, seat (kommunenummer), contact e-mail, counties served (first two digits).
OFFICES = [
    ("nord", "ALIS Nord", "1804", "post@alis-nord.no", ["18", "55", "56"]),
    ("midt", "ALIS Midt", "5001", "post@alis-midt.no", ["50", "15"]),
    ("vest", "ALIS Vest", "4601", "post@alis-vest.no", ["11", "46"]),
    ("sor", "ALIS Sør", "4204", "post@alis-sor.no", ["42", "39", "40", "31"]),
    ("ost", "ALIS Øst", "3403", "post@alis-ost.no", ["34", "32", "33", "03"]),
]

# The coordinating role rotates every two years, Bodø first. Example periods; edit as data.
COORDINATING_PERIODS = [
    ("nord", date(2025, 1, 1), date(2026, 12, 31)),
    ("midt", date(2027, 1, 1), date(2028, 12, 31)),
    ("vest", date(2029, 1, 1), date(2030, 12, 31)),
]

ASSIGNMENT_START = date(2024, 1, 1)


def read_municipality_csv(path: Path) -> list[dict[str, str]]:
    """Rows of a `kommunenummer;kommunenavn;fylke` file (UTF-8, with or without BOM)."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return [
            {
                "number": r["kommunenummer"].strip(),
                "name": r["kommunenavn"].strip(),
                "county": r["fylke"].strip(),
            }
            for r in csv.DictReader(fh, delimiter=";")
        ]


def office_slug_for_county(number: str) -> str | None:
    for slug, _name, _seat, _email, counties in OFFICES:
        if number[:2] in counties:
            return slug
    return None


def seed_reference_data(apps) -> None:
    """Create the five offices and the 357 municipalities if they are missing (idempotent)."""
    Office = apps.get_model("offices", "Office")
    CoordinatingPeriod = apps.get_model("offices", "CoordinatingPeriod")
    Municipality = apps.get_model("municipalities", "Municipality")
    OfficeAssignment = apps.get_model("municipalities", "OfficeAssignment")

    offices = {}
    for slug, name, _seat, email, _counties in OFFICES:
        offices[slug], _ = Office.objects.get_or_create(
            slug=slug, defaults={"name": name, "contact_email": email}
        )
    existing = set(Municipality.objects.values_list("number", flat=True))
    new = [
        Municipality(office=offices[office_slug_for_county(r["number"])], **r)
        for r in read_municipality_csv(MUNICIPALITY_CSV)
        if r["number"] not in existing
    ]
    Municipality.objects.bulk_create(new)
    created = Municipality.objects.filter(number__in=[m.number for m in new])
    OfficeAssignment.objects.bulk_create(
        OfficeAssignment(municipality=m, office_id=m.office_id, start=ASSIGNMENT_START)
        for m in created
    )
    for slug, _name, seat, _email, _counties in OFFICES:
        Office.objects.filter(slug=slug, seat__isnull=True).update(
            seat=Municipality.objects.get(number=seat)
        )
    if not CoordinatingPeriod.objects.exists():
        CoordinatingPeriod.objects.bulk_create(
            CoordinatingPeriod(office=offices[slug], start=start, end=end)
            for slug, start, end in COORDINATING_PERIODS
        )
