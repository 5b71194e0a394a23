"""The words several apps share, each defined once: learning arenas (the general education plan,
service periods, individual plans, the rules), employment form (positions, doctors, agreements,
grant rates) and scheme (positions, doctors, rule sets). A field that allows only some of the
words takes the subset below, so the stored values stay one vocabulary."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ArenaType(models.TextChoices):
    OPEN_GENERAL_PRACTICE = "allmennpraksis", _("Åpen uselektert allmennpraksis")
    OUT_OF_HOURS = "legevakt", _("Legevakt")
    NURSING_HOME = "sykehjem", _("Sykehjem")
    HEALTH_STATION = "helsestasjon", _("Helsestasjon")
    SCHOOL_HEALTH = "skolehelse", _("Skolehelsetjeneste")
    COMMUNITY_MEDICINE = "samfunnsmedisin", _("Samfunnsmedisin")
    ACUTE_BEDS = "kad", _("Kommunal akutt døgnenhet")
    PRISON_HEALTH = "fengselshelse", _("Fengselshelsetjeneste")
    INSTITUTION = "institusjon", _("Institusjon (sykehus o.l.)")
    OTHER = "annet", _("Annet")


# Arenas that count as "other general-practice service" (at most 2.5 years in the new scheme).
OTHER_GENERAL_PRACTICE = {
    ArenaType.OUT_OF_HOURS,
    ArenaType.NURSING_HOME,
    ArenaType.HEALTH_STATION,
    ArenaType.SCHOOL_HEALTH,
    ArenaType.COMMUNITY_MEDICINE,
    ArenaType.ACUTE_BEDS,
    ArenaType.PRISON_HEALTH,
}

# Arenas that count as institution service (hospital or an institution the municipality registered).
INSTITUTION_ARENAS = {ArenaType.INSTITUTION}


def arena_from_text(text: str) -> ArenaType | None:
    """An arena named in a spreadsheet: its stored value or its label, case-insensitive."""
    wanted = (text or "").strip().casefold()
    for arena in ArenaType:
        if wanted in (arena.value.casefold(), str(arena.label).casefold()):
            return arena
    return None


class EmploymentForm(models.TextChoices):
    SALARIED = "fastlonn", _("Fastlønn")
    SELF_EMPLOYED = "naering", _("Næring")
    APPLICANT_CHOOSES = "valgfritt", _("Søker velger")


# A doctor (and their agreement) is employed one way; only a position may leave it open.
EMPLOYMENT_FORMS_SETTLED = [
    (f.value, f.label) for f in (EmploymentForm.SALARIED, EmploymentForm.SELF_EMPLOYED)
]


class Scheme(models.TextChoices):
    NEW = "ny", _("Ny ordning (fra 1. mars 2019)")
    OLD = "gammel", _("Gammel ordning")
    CONVERTED = "konvertert", _("Konvertert fra gammel ordning")


# Positions are advertised, and rule sets written, for the new or the old scheme; a converted
# doctor follows the new one.
SCHEMES_NEW_OR_OLD = [(s.value, s.label) for s in (Scheme.NEW, Scheme.OLD)]
