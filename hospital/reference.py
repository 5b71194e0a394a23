"""The institution rules that ship with the project, as data (a data migration loads them; edit
them in the admin). Takes an `apps` registry so it works with historical models.

Source: ../shared/docs/domain.md and the issue on the hospital period: in the new scheme at
least six months of institution service, in modules of four or six months made for GPs. Where
in the programme the service may lie is not a rule of its own here: the domain brief sets no
placement, and the rule set's reading (`plans.RuleSet.institution_from_month`, empty: anywhere)
is the one source the booking checks.
"""

from datetime import date

SOURCE_NEW = (
    "Ny ordning fra 1. mars 2019: minst 6 mnd institusjonstjeneste, i moduler på 4 eller 6 mnd "
    "tilrettelagt for allmennleger. Hvor i løpet tjenesten kan ligge, står i regelsettet "
    "(domenebeskrivelsen: hvor som helst i løpet)."
)
# The source text first shipped with the new-scheme rule (replaced where not edited).
SOURCE_NEW_0002 = (
    "Ny ordning fra 1. mars 2019: minst 6 mnd i spesialisthelsetjenesten, i "
    "siste del av løpet, i moduler på 4 eller 6 mnd tilrettelagt for allmennleger. "
    "Antakelse: siste del regnes fra 24 mnd etter start i spesialisering (kan endres)."
)
SOURCE_OLD_0002 = (
    "Gammel ordning: 12 mnd sykehus, uten krav om plassering i løpet "
    "(antakelse); moduler på 4 eller 6 mnd."
)
# The placement first shipped on this app's rule ("last_part_from_month"), per scheme.
SHIPPED_LAST_PART = {"ny": 24, "gammel": None}

RULES = [
    {
        "scheme": "ny",
        "valid_from": date(2019, 3, 1),
        "module_lengths": "4,6",
        "source": SOURCE_NEW,
    },
    {
        "scheme": "gammel",
        "valid_from": date(2000, 1, 1),
        "module_lengths": "4,6",
        "source": "Gammel ordning: 12 mnd sykehus; moduler på 4 eller 6 mnd. Hvor i løpet: "
        "se regelsettet.",
    },
]


def seed_institution_rules(apps) -> None:
    InstitutionRule = apps.get_model("hospital", "InstitutionRule")
    for values in RULES:
        values = dict(values)
        InstitutionRule.objects.get_or_create(
            scheme=values.pop("scheme"), valid_from=values.pop("valid_from"), defaults=values
        )


def placement_to_rule_sets(apps) -> None:
    """Move where the institution service may lie to the rule sets, the one source: a value
    an office set on this app's rule (other than the first shipped 24 months, an assumption
    the domain brief does not support) goes to the rule sets of that scheme whose validity
    overlaps the rule's and that have none; the shipped source texts get the new wording where
    unedited."""
    InstitutionRule = apps.get_model("hospital", "InstitutionRule")
    RuleSet = apps.get_model("plans", "RuleSet")
    for rule in InstitutionRule.objects.all():
        month = rule.last_part_from_month
        if month is not None and month != SHIPPED_LAST_PART.get(rule.scheme):
            rule_sets = RuleSet.objects.filter(
                scheme=rule.scheme, institution_from_month__isnull=True
            )
            if rule.valid_to is not None:
                rule_sets = rule_sets.filter(valid_from__lte=rule.valid_to)
            rule_sets.exclude(valid_to__lt=rule.valid_from).update(institution_from_month=month)
        shipped_source = {"ny": SOURCE_NEW_0002, "gammel": SOURCE_OLD_0002}.get(rule.scheme)
        if rule.source == shipped_source:
            new = next(r["source"] for r in RULES if r["scheme"] == rule.scheme)
            InstitutionRule.objects.filter(pk=rule.pk).update(source=new)
