"""The national report: the only module that reads across offices.

It returns aggregates only — counts per office and for the country, never a name or a row per
person — and every count of 1–4 is suppressed (`figures.suppress_national`) before the result
leaves this module, so a stored national report cannot identify anybody, nor can a suppressed
count be subtracted back out of the country's totals.
"""

from datetime import date

from django_scopes import scope

from offices.models import Office

from .figures import FIGURE_KEYS, suppress_national
from .selectors import figures_by_office


def _add(total: dict, figures: dict) -> None:
    for key in FIGURE_KEYS:
        value = figures.get(key)
        if value is None:
            total.setdefault(key, None)
        else:
            total[key] = (total.get(key) or 0) + value
    for year, count in figures["completions"].items():
        total["completions"][year] = total["completions"].get(year, 0) + count


def national_figures(on: date, progress=None) -> dict:
    """Each office's figures and the country's (the sum of the offices' unsuppressed counts),
    suppressed by `suppress_national` before they are returned. `progress(done, total)` is
    called after each office's figures are added up."""
    offices = list(Office.objects.order_by("name"))
    # Cross-office read, on purpose: the national report needs every office's counts. The
    # scope names every office, so the figures of all of them are computed in one pass (a
    # fixed number of aggregate queries grouped by office, one batch of standings with one
    # rule-set read) rather than once per office; only counts leave this function.
    with scope(office=offices):
        by_office = figures_by_office(offices, on)
    country: dict = {"completions": {}}
    rows = []
    for index, office in enumerate(offices, start=1):
        figures = by_office[office.pk]
        _add(country, figures)
        rows.append((office.name, figures))
        if progress:
            progress(index, len(offices))
    country["completions"] = dict(sorted(country["completions"].items()))
    shown, shown_country = suppress_national([figures for _name, figures in rows], country)
    return {
        "offices": [
            {"office": name, "figures": figures}
            for (name, _raw), figures in zip(rows, shown, strict=True)
        ],
        "country": shown_country,
    }
