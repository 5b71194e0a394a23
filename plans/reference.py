"""Rule sets that ship with the project, as data (used by a data migration and by tests that need
them back after a flush). Takes an `apps` registry so it works with historical models.

The numbers follow ../shared/docs/domain.md. Where the old scheme's details are not given there
the values are marked as assumptions in the rule set's note; edit them as data (admin), never
in code.
"""

from datetime import date

RULE_SETS = [
    {
        "name": "Ny ordning fra 1. mars 2019",
        "scheme": "ny",
        "valid_from": date(2019, 3, 1),
        "valid_to": None,
        "note": "Spesialistforskriften, del 2 og 3 samlet: minst 5 år. Deltid teller "
        "forholdsmessig ned til 50 % (antakelse, kan endres).",
        "total_service_months": 60,
        "open_practice_min_months": 24,
        "open_practice_max_months": 54,
        "other_practice_max_months": 30,
        "institution_min_months": 6,
        "min_percentage": 50,
    },
    {
        "name": "Gammel ordning",
        "scheme": "gammel",
        "valid_from": date(2000, 1, 1),
        "valid_to": date(2026, 12, 31),
        "note": "Søknader etter gammel ordning stenger 31.12.2026. 12 måneder sykehus og 4 år "
        "allmennpraksis; inntil 12 måneder annen allmennmedisinsk tjeneste (antakelse).",
        "total_service_months": 60,
        "open_practice_min_months": 48,
        "open_practice_max_months": None,
        "other_practice_max_months": 12,
        "institution_min_months": 12,
        "min_percentage": 50,
    },
]


def seed_rule_sets(apps) -> None:
    """Create the shipped rule sets if missing (idempotent, keyed on scheme and start)."""
    RuleSet = apps.get_model("plans", "RuleSet")
    for values in RULE_SETS:
        values = dict(values)
        RuleSet.objects.get_or_create(
            scheme=values.pop("scheme"), valid_from=values.pop("valid_from"), defaults=values
        )
