"""The institution rules that ship with the project, as data (a data migration loads them; edit
them in the admin). Takes an `apps` registry so it works with historical models.

Source: ../shared/docs/domain.md and the issue on the hospital period: in the new scheme at
least six months in the specialist health service, in the last part of the programme, in
modules of four or six months made for GPs. Where «the last part» begins is not given there;
24 calendar months after the start of specialisation is the ALIS offices' assumption (marked
as such on the row) and is data, not code.
"""

from datetime import date

RULES = [
    {
        "scheme": "ny",
        "valid_from": date(2019, 3, 1),
        "module_lengths": "4,6",
        "last_part_from_month": 24,
        "source": "Ny ordning fra 1. mars 2019: minst 6 mnd i spesialisthelsetjenesten, i "
        "siste del av løpet, i moduler på 4 eller 6 mnd tilrettelagt for allmennleger. "
        "Antakelse: siste del regnes fra 24 mnd etter start i spesialisering (kan endres).",
    },
    {
        "scheme": "gammel",
        "valid_from": date(2000, 1, 1),
        "module_lengths": "4,6",
        "last_part_from_month": None,
        "source": "Gammel ordning: 12 mnd sykehus, uten krav om plassering i løpet "
        "(antakelse); moduler på 4 eller 6 mnd.",
    },
]


def seed_institution_rules(apps) -> None:
    InstitutionRule = apps.get_model("hospital", "InstitutionRule")
    for values in RULES:
        values = dict(values)
        InstitutionRule.objects.get_or_create(
            scheme=values.pop("scheme"), valid_from=values.pop("valid_from"), defaults=values
        )
