"""The shipped register is exactly the reference list, and every municipality has its office."""

import csv
from pathlib import Path

import pytest

from municipalities.models import Municipality, OfficeAssignment
from offices.models import Office

REFERENCE = Path(__file__).resolve().parent / "data" / "kommunenummer.csv"


def test_shipped_list_matches_reference_file(db):
    assert REFERENCE.exists(), f"Referansefilen mangler: {REFERENCE}"
    with open(REFERENCE, encoding="utf-8-sig", newline="") as fh:
        expected = {
            (r["kommunenummer"], r["kommunenavn"], r["fylke"])
            for r in csv.DictReader(fh, delimiter=";")
        }
    shipped = set(Municipality.objects.values_list("number", "name", "county"))
    assert len(expected) == 357
    assert shipped - expected == set(), "i prosjektet, ikke i referansefilen"
    assert expected - shipped == set(), "i referansefilen, ikke i prosjektet"


@pytest.mark.parametrize(
    ("number", "slug"),
    [
        ("1804", "nord"),
        ("5501", "nord"),
        ("5607", "nord"),
        ("5001", "midt"),
        ("1515", "midt"),
        ("1103", "vest"),
        ("4634", "vest"),
        ("4204", "sor"),
        ("3905", "sor"),
        ("4001", "sor"),
        ("3101", "sor"),
        ("3403", "ost"),
        ("3201", "ost"),
        ("3301", "ost"),
        ("0301", "ost"),
    ],
)
def test_each_county_is_served_by_its_office(db, number, slug):
    assert Municipality.objects.get(number=number).office.slug == slug


def test_five_offices_with_seats_and_everyone_assigned(db):
    seats = dict(Office.objects.values_list("slug", "seat__name"))
    assert seats == {
        "nord": "Bodø",
        "midt": "Trondheim",
        "vest": "Bergen",
        "sor": "Kristiansand",
        "ost": "Hamar",
    }
    assert OfficeAssignment.objects.filter(end__isnull=True).count() == 357
    # Names are not unique (two Våler, two Herøy): the number is the key.
    assert Municipality.objects.filter(name="Herøy").count() == 2


def test_coordinating_role_rotates_from_bodo(db):
    from datetime import date

    first = Office.objects.get(coordinating_periods__start=date(2025, 1, 1))
    assert first.slug == "nord"
    assert first.is_coordinating(date(2026, 6, 1))
    assert not Office.objects.get(slug="midt").is_coordinating(date(2026, 6, 1))
    assert Office.objects.get(slug="midt").is_coordinating(date(2027, 6, 1))
