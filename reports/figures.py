"""What a report shows: the figures, their labels, small-count suppression and the charts.

Page, Excel and PDF all read a report's stored `data`, and a national report's data is passed
through `suppress_national` (the one place that hides small numbers) before it is stored, so no
view of it can show a count of 1–4.
"""

from django.utils.translation import gettext_lazy as _

# (key, label). A value is an int, or None when the figure cannot be computed here (shown "–").
FIGURES: list[tuple[str, object]] = [
    ("positions_total", _("ALIS-stillinger (unntatt avsluttede)")),
    ("positions_filled", _("Stillinger besatt")),
    ("positions_salaried", _("Stillinger med fastlønn")),
    ("positions_self_employed", _("Stillinger i næring")),
    ("positions_applicant_chooses", _("Stillinger der søker velger driftsform")),
    ("positions_new_scheme", _("Stillinger i ny ordning")),
    ("positions_old_scheme", _("Stillinger i gammel ordning")),
    ("doctors_active", _("ALIS-leger i løp (aktive og i permisjon)")),
    ("doctors_new_scheme", _("Leger i ny ordning")),
    ("doctors_old_scheme", _("Leger i gammel ordning")),
    ("doctors_converted", _("Leger konvertert fra gammel ordning")),
    ("doctors_with_veileder", _("Leger med individuell veileder")),
    ("doctors_without_veileder", _("Leger uten individuell veileder")),
    ("doctors_in_group", _("Leger i veiledningsgruppe nå")),
    ("doctors_with_plan", _("Leger med individuell utdanningsplan")),
    ("doctors_supervision_compliant", _("Leger som ikke ligger etter med individuell veiledning")),
    ("doctors_at_risk", _("Leger med krav i fare eller ikke oppfylt")),
]
FIGURE_KEYS = [key for key, _label in FIGURES]

SUPPRESSED = "<5"
# A country total that would reveal a suppressed office count by subtraction.
HIDDEN_TOTAL = "skjult"
SMALL_COUNT_MAX = 4


def suppress(value):
    """A count of 1–4 becomes "<5" (0 and larger counts stay; None stays "not computed")."""
    if isinstance(value, int) and 1 <= value <= SMALL_COUNT_MAX:
        return SUPPRESSED
    return value


def suppress_small_counts(figures: dict) -> dict:
    """The same figures with every count of 1–4 replaced by "<5", completions included."""
    result = {key: suppress(figures.get(key)) for key in FIGURE_KEYS}
    result["completions"] = {
        year: suppress(count) for year, count in figures.get("completions", {}).items()
    }
    return result


def _is_small(value) -> bool:
    return isinstance(value, int) and 1 <= value <= SMALL_COUNT_MAX


def _reveals(counts) -> bool:
    """Whether the country total would give a suppressed count back: the total minus the shown
    offices is the sum of the suppressed ones, and that sum must not itself be a small count
    (one suppressed office gives its own count back; several whose sum is 5 or more give only
    a sum that identifies none of them)."""
    hidden = sum(value for value in counts if _is_small(value))
    return 1 <= hidden <= SMALL_COUNT_MAX


def suppress_national(offices: list[dict], country: dict) -> tuple[list[dict], dict]:
    """The national figures as they may be shown: every count of 1–4 becomes "<5", and the
    country total of a figure is hidden too where the suppressed offices' counts add up to a
    small count (otherwise the total minus the other offices would give it back)."""
    shown_offices = [suppress_small_counts(figures) for figures in offices]
    shown_country = suppress_small_counts(country)
    for key in FIGURE_KEYS:
        if _reveals(figures.get(key) for figures in offices):
            shown_country[key] = HIDDEN_TOTAL
    for year in shown_country["completions"]:
        if _reveals(figures.get("completions", {}).get(year) for figures in offices):
            shown_country["completions"][year] = HIDDEN_TOTAL
    return shown_offices, shown_country


def display(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, int):
        return f"{value:,}".replace(",", "\u00a0")
    return str(value)


def figure_rows(figures: dict) -> list[tuple[str, str]]:
    return [(str(label), display(figures.get(key))) for key, label in FIGURES]


def completion_rows(figures: dict) -> list[tuple[str, str]]:
    return [(year, display(count)) for year, count in sorted(figures["completions"].items())]


# --- Charts: simple horizontal bar charts rendered as SVG on the server ---------------------

BAR_AREA = 300  # px for the longest bar
ROW_HEIGHT = 28


def bar_chart(chart_id: str, title: str, description: str, items: list[tuple[str, object]]):
    """Bars for the template `reports/_bar_chart.html`. Values that are not numbers (suppressed
    or not computed) get no bar, only their text."""
    numbers = [v for _label, v in items if isinstance(v, int)]
    top = max(numbers, default=0) or 1
    bars = []
    for index, (label, value) in enumerate(items):
        width = round(BAR_AREA * value / top) if isinstance(value, int) else 0
        bars.append(
            {
                "label": str(label),
                "text": display(value),
                "width": width,
                "y": index * ROW_HEIGHT,
                "text_x": 190 + width + 6,
            }
        )
    return {
        "id": chart_id,
        "title": str(title),
        "desc": str(description),
        "bars": bars,
        "height": max(len(bars), 1) * ROW_HEIGHT,
    }


def charts_for(figures: dict) -> list[dict]:
    f = figures
    return [
        bar_chart(
            "stillinger",
            _("Stillinger"),
            _("Stillinger i alt, besatt, fastlønn, næring, ny og gammel ordning."),
            [
                (_("I alt"), f.get("positions_total")),
                (_("Besatt"), f.get("positions_filled")),
                (_("Fastlønn"), f.get("positions_salaried")),
                (_("Næring"), f.get("positions_self_employed")),
                (_("Ny ordning"), f.get("positions_new_scheme")),
                (_("Gammel ordning"), f.get("positions_old_scheme")),
            ],
        ),
        bar_chart(
            "veiledning",
            _("ALIS-leger og veiledning"),
            _("Leger i løp, med veileder, i veiledningsgruppe og i risiko."),
            [
                (_("I løp"), f.get("doctors_active")),
                (_("Med veileder"), f.get("doctors_with_veileder")),
                (_("I gruppe"), f.get("doctors_in_group")),
                (_("I risiko"), f.get("doctors_at_risk")),
            ],
        ),
        bar_chart(
            "fullforing",
            _("Forventet fullføring per år"),
            _("Antall leger som etter planlagt løp forventes å fullføre hvert år."),
            sorted(f.get("completions", {}).items()),
        ),
    ]
