"""Learning arenas: the kinds of service a doctor's training happens in (shared vocabulary of the
general education plan, service periods and individual plans)."""

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
