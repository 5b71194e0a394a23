"""National reference data for agreements and grants, seeded by a data migration.

Takes an `apps` registry so the migration and tests (after a transactional flush) share it.
Idempotent: run it as often as you like.
"""

from datetime import date
from decimal import Decimal

PILOT_NAME = "Pilotordningen for ALIS (250 000 kr per ALIS per år)"
EXAMPLE_NAME = "Tilskudd til ALIS-stillinger 2025–2026 (Eksempeldata)"

FORMS = ("fastlonn", "naering")
POSITION_TYPES = ("fastlege", "kombinert", "annen")

# Made-up but plausible annual rates for a full-time position (example data, not official).
EXAMPLE_RATES = {
    ("fastlonn", "fastlege"): Decimal("300000"),
    ("naering", "fastlege"): Decimal("240000"),
    ("fastlonn", "kombinert"): Decimal("270000"),
    ("naering", "kombinert"): Decimal("220000"),
    ("fastlonn", "annen"): Decimal("180000"),
    ("naering", "annen"): Decimal("150000"),
}

NATIONAL_TEMPLATE_NAME = "Nasjonal mal for ALIS-avtale"
NATIONAL_TEMPLATE_BODY = """\
Avtalen er inngått mellom {{ kommune }} kommune og {{ lege }} (HPR-nummer {{ hpr }}).

Legen er ansatt i {{ stillingsprosent }} % stilling som {{ stillingstype }} med driftsform \
{{ driftsform }}. Avtalen gjelder fra {{ fra }} til {{ til }}.

Formålet er at legen skal fullføre spesialistutdanningen i allmennmedisin i kommunen. \
Kommunen legger til rette for utdanningen ut over kravene i spesialistforskriften \
med disse tiltakene:

{% for t in tiltak %}– {{ t }}
{% else %}Ingen særskilte tiltak er avtalt.
{% endfor %}
{% if andre_tiltak %}Andre tiltak: {{ andre_tiltak }}

{% endif %}Avtalen gir ikke grunnlag for tilskudd for tid før den er signert. \
Endringer avtales skriftlig i en endringsavtale.
"""


def seed_grant_schemes(apps) -> None:
    GrantScheme = apps.get_model("agreements", "GrantScheme")
    GrantRate = apps.get_model("agreements", "GrantRate")

    pilot, _ = GrantScheme.objects.get_or_create(
        name=PILOT_NAME,
        defaults={
            "description": (
                "Pilotene for ALIS Nord og ALIS Vest: 250 000 kr per ALIS i full stilling per år, "
                "med 50 000 kr i kommunal egenandel, altså 200 000 kr netto. Samme sats for alle "
                "stillingstyper og driftsformer."
            ),
            "start": date(2024, 9, 1),
            "end": date(2025, 8, 31),
            "municipal_share": Decimal("50000"),
            "application_deadline": date(2025, 10, 1),
            "auditor_report_deadline": date(2026, 4, 1),
            "excludes_temp_agency": True,
        },
    )
    for form in FORMS:
        for position_type in POSITION_TYPES:
            GrantRate.objects.get_or_create(
                scheme=pilot,
                employment_form=form,
                position_type=position_type,
                defaults={"annual_amount": Decimal("250000")},
            )

    example, _ = GrantScheme.objects.get_or_create(
        name=EXAMPLE_NAME,
        defaults={
            "description": (
                "Eksempeldata – ikke offisielle satser. Viser en ordning i dagens form: tilskudd "
                "etterskuddsvis etter stillingstype og driftsform, for en periode som ikke følger "
                "kalenderåret, uten kommunal egenandel."
            ),
            "start": date(2025, 9, 1),
            "end": date(2026, 5, 31),
            "municipal_share": Decimal("0"),
            "application_deadline": date(2026, 6, 30),
            "auditor_report_deadline": date(2027, 4, 1),
            "excludes_temp_agency": True,
        },
    )
    for (form, position_type), amount in EXAMPLE_RATES.items():
        GrantRate.objects.get_or_create(
            scheme=example,
            employment_form=form,
            position_type=position_type,
            defaults={"annual_amount": amount},
        )


def seed_national_template(apps) -> None:
    AgreementTemplate = apps.get_model("agreements", "AgreementTemplate")
    AgreementTemplateVersion = apps.get_model("agreements", "AgreementTemplateVersion")
    template, _ = AgreementTemplate.objects.get_or_create(
        name=NATIONAL_TEMPLATE_NAME,
        office=None,
        defaults={"description": "Standardmal som alle ALIS-kontorene kan bruke."},
    )
    if not AgreementTemplateVersion.objects.filter(template=template).exists():
        AgreementTemplateVersion.objects.create(
            template=template, number=1, body=NATIONAL_TEMPLATE_BODY, change_note="Første versjon"
        )


def seed_agreement_reference_data(apps) -> None:
    seed_grant_schemes(apps)
    seed_national_template(apps)
