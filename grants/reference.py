"""The grant schemes the seeds describe, as reference data (seeded by a data migration).

Takes an `apps` registry so the migration and tests (after a transactional flush) share it.
Idempotent. Figures the sources do not give are marked as examples on the scheme itself.
Regional schemes belong to their office (`OFFICE_OF_SCHEME`, by office slug); national ones to
none, so every office sees them.
"""

from datetime import date
from decimal import Decimal

VEST_PILOT = "ALIS Vest-piloten (fra 2017)"
NORD = "ALIS Nord (fra 2019)"
NATIONAL_AGREEMENTS = "Nasjonal ALIS og veiledning – ALIS-avtaler"
NATIONAL_SUPERVISION = "Nasjonal ALIS og veiledning – veiledning"

# The regional schemes and the office (slug) that runs them; every other scheme is national.
OFFICE_OF_SCHEME = {VEST_PILOT: "vest", NORD: "nord"}

SCHEMES = [
    {
        "name": VEST_PILOT,
        "kind": "utgifter",
        "description": (
            "Tilskudd på inntil 200 000 kr per ALIS per år til å dekke merkostnadene ved "
            "utdanningen som ikke dekkes av Legeforeningens fond (kursavgifter, "
            "veiledningsgruppe, vikar o.l.). I tillegg betaler hver kommune en andel på "
            "50 000 kr per ALIS per år til vertskommunen for prosjektadministrasjon."
        ),
        "source": "Brev fra ALIS Vest til kommunene, 18. januar 2017",
        "example_note": "",
        "valid_from": date(2017, 1, 1),
        "amount": Decimal("200000"),
        "municipal_share": Decimal("50000"),
        "rules": [],
    },
    {
        "name": NORD,
        "kind": "sats",
        "description": "200 000 kr netto i tilskudd per ALIS per år.",
        "source": "ALIS Nord, ordning for 2019",
        "example_note": "",
        "valid_from": date(2019, 1, 1),
        "amount": Decimal("200000"),
        "municipal_share": Decimal("0"),
        "rules": [],
    },
    {
        "name": NATIONAL_AGREEMENTS,
        "kind": "sats",
        "description": (
            "Tilskudd til kommunenes merkostnader ved ALIS-avtaler. Først for selvstendig "
            "næringsdrivende fastleger i kommuner med rekrutteringsproblemer, fra 2019 også "
            "for ansatte. Forutsetter en kommunal andel. Fra 2022 del av den samlede ordningen "
            "«Nasjonal ALIS og veiledning». Utbetales etterskuddsvis; revisorrapport innen "
            "1. april året etter. Leger leid inn gjennom vikarbyrå gir ikke rett til tilskudd."
        ),
        "source": "Oppdragsbrev og regelverk for nasjonal ALIS-ordning (fra 2022 samlet)",
        "example_note": (
            "Satsen (150 000 kr), den kommunale andelen (50 000 kr), startdatoen og "
            "tilskuddsåret fra 1. juli er eksempeltall."
        ),
        "valid_from": date(2017, 7, 1),
        "year_start_month": 7,
        "amount": Decimal("150000"),
        "municipal_share": Decimal("50000"),
        "rules": [
            {
                "kind": "driftsform",
                "values": "naering",
                "valid_to": date(2018, 12, 31),
                "note": "Først bare for selvstendig næringsdrivende fastleger.",
            },
            {
                "kind": "driftsform",
                "values": "fastlonn,naering",
                "valid_from": date(2019, 1, 1),
                "note": "Fra 2019 også for ansatte (fastlønn).",
            },
            {
                "kind": "rekruttering",
                "note": "Kommuner med rekrutteringsproblemer.",
            },
        ],
    },
    {
        "name": NATIONAL_SUPERVISION,
        "kind": "veiledning",
        "description": (
            "Tilskudd til kommunenes kostnader ved den regulerte veiledningen av ALIS, for "
            "ansatte (fastlønn) og selvstendig næringsdrivende. Fra 2022 del av den samlede "
            "ordningen «Nasjonal ALIS og veiledning». En måned teller når det er registrert "
            "veiledning i måneden."
        ),
        "source": "Oppdragsbrev og regelverk for nasjonal ALIS-ordning (fra 2022 samlet)",
        "example_note": (
            "Satsen (4 000 kr per måned), startdatoen og tilskuddsåret fra 1. juli er eksempeltall."
        ),
        "valid_from": date(2017, 7, 1),
        "year_start_month": 7,
        "amount": Decimal("4000"),
        "municipal_share": Decimal("0"),
        "rules": [
            {"kind": "driftsform", "values": "fastlonn,naering", "note": "Begge driftsformer."},
        ],
    },
]


def seed_grant_schemes(apps, *, link_offices: bool = True) -> None:
    """Create the schemes; `link_offices=False` only for the migration that ran before schemes
    had an office (0002), the next migration links them."""
    Scheme = apps.get_model("grants", "Scheme")
    EligibilityRule = apps.get_model("grants", "EligibilityRule")
    for spec in SCHEMES:
        spec = dict(spec)
        rules = spec.pop("rules")
        name = spec.pop("name")
        scheme, created = Scheme.objects.get_or_create(name=name, defaults=spec)
        if created:
            for rule in rules:
                EligibilityRule.objects.create(scheme=scheme, **rule)
    if link_offices:
        link_scheme_offices(apps)


def link_scheme_offices(apps) -> None:
    """Tie the seeded regional schemes to their office (where it exists and none is set)."""
    Scheme = apps.get_model("grants", "Scheme")
    Office = apps.get_model("offices", "Office")
    for name, slug in OFFICE_OF_SCHEME.items():
        office = Office.objects.filter(slug=slug).first()
        if office is not None:
            Scheme.objects.filter(name=name, office__isnull=True).update(office=office)
