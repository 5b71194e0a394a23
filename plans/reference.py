"""Rule sets that ship with the project, as data (used by a data migration and by tests that need
them back after a flush). Takes an `apps` registry so it works with historical models.

The numbers follow ../shared/docs/domain.md. Where the old scheme's details are not given there
the values are marked as assumptions in the rule set's note; edit them as data (admin), never
in code.
"""

from datetime import date

# Where the institution service lies. The rule set's `institution_from_month` holds the value
# (empty: anywhere); the hospital booking reads it from there, never from its own rule.
INSTITUTION_PLACEMENT = {
    "question": "Hvor i løpet ligger institusjonstjenesten?",
    "reading": "Hvor som helst i løpet, også før eller etter allmennpraksis; åpen "
    "allmennpraksis teller høyst 4 år 6 mnd, slik at det alltid er plass til 6 mnd "
    "institusjon innenfor 5 år. Sykehusbestillingen følger samme regel (regelsettets "
    "«institusjonstjeneste tidligst fra måned», tom).",
    "source": "Spesialistforskriften vedlegg om del 2 og 3 i allmennmedisin "
    "(institusjonstjeneste minst 6 mnd, åpen praksis inntil 4,5 år); ALIS-kontorenes "
    "domenebeskrivelse stiller ikke krav om når i løpet tjenesten tas, verken i ny eller "
    "gammel ordning.",
}
# The reading as first shipped: replaced where an office has not edited it.
INSTITUTION_PLACEMENT_0005 = {
    "question": "Hvor i løpet ligger institusjonstjenesten?",
    "reading": "Hvor som helst i løpet, også før eller etter allmennpraksis; åpen "
    "allmennpraksis teller høyst 4 år 6 mnd, slik at det alltid er plass til 6 mnd "
    "institusjon innenfor 5 år.",
    "source": "Spesialistforskriften vedlegg om del 2 og 3 i allmennmedisin "
    "(institusjonstjeneste minst 6 mnd, åpen praksis inntil 4,5 år).",
}
COURSES = {
    "question": "Hvilke kurs kreves, og hvilke er anbefalt?",
    "reading": "Grunnkurs A–D, kurs i akuttmedisin og minst 6 emnekurs på minst 15 timer er "
    "anbefalt: de vises med fremdrift, men gjør aldri statusen dårligere og flytter ikke "
    "ferdigdatoen. Leger med legevaktarbeid (legevakt i tjenesten eller planen) må ha kurs i "
    "akuttmedisin og kurs i vold og overgrep; for dem teller disse kursene som et krav.",
    "source": "ALIS-kontorenes domenebeskrivelse (anbefalte kurs; legevaktarbeid krever kurs "
    "i akuttmedisin og kurs i vold og overgrep), jf. akuttmedisinforskriften § 7 om "
    "kompetansekrav for leger i legevakt. At anbefalingene gjelder også gammel ordning, er "
    "ALIS-kontorenes antakelse.",
}

# The readings where the regulations leave a question open (shown on the requirement page).
READINGS = [
    {
        "question": "Gjelder kravet om minst 50 % stilling hver stilling eller legens samlede "
        "stilling?",
        "reading": "Legens samlede stillingsprosent den dagen: to parallelle stillinger på "
        "50 % teller begge, og en dag teller aldri mer enn 100 %.",
        "source": "Spesialistforskriften § 5 om deltid (tjeneste i deltid teller "
        "forholdsmessig); grensen på 50 % er ALIS-kontorenes antakelse fra gammel ordning, "
        "jf. regelsettets merknad.",
    },
    INSTITUTION_PLACEMENT,
    {
        "question": "Hvordan regnes deltid og delvise måneder om til tid?",
        "reading": "I kalendermåneder: en hel måned er 1 måned, en del av en måned er dagene "
        "delt på dagene i den måneden, ganget med stillingsprosenten; permisjon teller ikke.",
        "source": "ALIS-plattformens konvensjon (plans/durations.py).",
    },
    {
        "question": "Hvordan opparbeides kravet til individuell veiledning?",
        "reading": "Per måned med tjeneste i utdanningsløpet: 4 timer × 10,5 / 12 = 3,5 timer "
        "for hver måned i full stilling. Deltid gir krav i forhold til stillingsprosenten; "
        "permisjon og tjeneste godskrevet fra før ALIS gir ikke krav.",
        "source": "Spesialistforskriften vedlegg om del 2 og 3 i allmennmedisin "
        "(gjennomsnittlig minst 4 timer i måneden i 10,5 måneder per år for hele "
        "utdanningsløpet); at deltid gir forholdsmessig krav, er ALIS-kontorenes antakelse.",
    },
    {
        "question": "Hva er to år med gruppeveiledning?",
        "reading": "21 kalendermåneder med minst ett møte (10,5 måneder per år) og minst 120 "
        "timer, hvorav minst 11 måneder mens legen er i åpen uselektert allmennpraksis.",
        "source": "Spesialistforskriften vedlegg om del 2 og 3 i allmennmedisin "
        "(gruppeveiledning 2 år, 120 timer, minst ett av årene i åpen praksis); 10,5 "
        "måneder per år som for individuell veiledning er ALIS-kontorenes antakelse.",
    },
    COURSES,
]

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
        "min_percentage_scope": "total",
        "readings": READINGS,
        "acute_course_required": False,
        "out_of_hours_courses": "akutt,vold",
        "institution_from_month": None,
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
        "min_percentage_scope": "total",
        "readings": READINGS,
        "acute_course_required": False,
        "out_of_hours_courses": "akutt,vold",
        "institution_from_month": None,
    },
]


def seed_rule_sets(apps) -> None:
    """Create the shipped rule sets if missing (idempotent, keyed on scheme and start)."""
    RuleSet = apps.get_model("plans", "RuleSet")
    # A historical model (an earlier migration) may not have every field yet.
    fields = {f.name for f in RuleSet._meta.get_fields()}
    for values in RULE_SETS:
        values = {key: value for key, value in values.items() if key in fields}
        RuleSet.objects.get_or_create(
            scheme=values.pop("scheme"), valid_from=values.pop("valid_from"), defaults=values
        )


def seed_readings(apps) -> None:
    """Give the shipped rule sets their readings (keyed on scheme and start)."""
    RuleSet = apps.get_model("plans", "RuleSet")
    for values in RULE_SETS:
        RuleSet.objects.filter(scheme=values["scheme"], valid_from=values["valid_from"]).update(
            readings=values["readings"], min_percentage_scope=values["min_percentage_scope"]
        )


def add_missing_readings(apps) -> None:
    """Add the shipped readings a shipped rule set lacks (keyed on the question), keeping any
    reading an office has edited."""
    RuleSet = apps.get_model("plans", "RuleSet")
    for values in RULE_SETS:
        for rule_set in RuleSet.objects.filter(
            scheme=values["scheme"], valid_from=values["valid_from"]
        ):
            asked = {r.get("question") for r in rule_set.readings}
            missing = [r for r in values["readings"] if r["question"] not in asked]
            if missing:
                rule_set.readings = [*rule_set.readings, *missing]
                rule_set.save(update_fields=["readings"])


def courses_as_recommended(apps) -> None:
    """The shipped rule sets, brought in line with the domain brief: courses are recommended,
    and required only for out-of-hours work. A shipped rule set still holding the first
    shipped value (acute medicine required of all) gets the brief's; a value an office has set
    otherwise, and the rule sets offices made themselves, are kept. The institution reading
    gets its fuller wording where it is still the first shipped one; the course reading is
    added where missing."""
    RuleSet = apps.get_model("plans", "RuleSet")
    for values in RULE_SETS:
        shipped = RuleSet.objects.filter(scheme=values["scheme"], valid_from=values["valid_from"])
        shipped.filter(acute_course_required=True).update(acute_course_required=False)
        for rule_set in shipped:
            readings = [
                INSTITUTION_PLACEMENT if r == INSTITUTION_PLACEMENT_0005 else r
                for r in rule_set.readings
            ]
            if readings != rule_set.readings:
                rule_set.readings = readings
                rule_set.save(update_fields=["readings"])
    add_missing_readings(apps)
