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


# How the figures of one row (an office, or the country) add up: a total and its parts. A
# count hidden in one of these can be worked back from the others, so none may stand alone.
SUMS: list[tuple[str, tuple[str, ...]]] = [
    ("positions_total", ("positions_new_scheme", "positions_old_scheme")),
    (
        "positions_total",
        ("positions_salaried", "positions_self_employed", "positions_applicant_chooses"),
    ),
    ("doctors_active", ("doctors_with_veileder", "doctors_without_veileder")),
    ("doctors_active", ("doctors_new_scheme", "doctors_old_scheme", "doctors_converted")),
]
# A part shown beside its total gives its complement, which is not shown: "positions not
# filled" is the total minus the filled ones. A complement of 1–4 is a small count too.
COMPLEMENTS: list[tuple[str, str]] = [
    ("positions_total", "positions_filled"),
    ("doctors_active", "doctors_in_group"),
    ("doctors_active", "doctors_with_plan"),
    ("doctors_active", "doctors_supervision_compliant"),
    ("doctors_active", "doctors_at_risk"),
]
COUNTRY = "country"


def _cells(offices: list[dict], country: dict) -> dict:
    """Every count of the table by (row, key); completions as ("completions", year)."""
    rows = {**dict(enumerate(offices)), COUNTRY: country}
    years = sorted({y for figures in rows.values() for y in figures.get("completions", {})})
    cells = {}
    for row, figures in rows.items():
        for key in FIGURE_KEYS:
            cells[row, key] = figures.get(key)
        for year in years:
            cells[row, ("completions", year)] = figures.get("completions", {}).get(year, 0)
    return cells


def _equations(cells: dict, offices: list[dict]) -> list[tuple[tuple, list[tuple]]]:
    """(total cell, part cells) for every sum the table holds: each row's sums (the parts
    always add up to the total; checked on the counts, so a sum is used only where it holds),
    each row's complements (a virtual cell, never shown), the completion years adding up to
    the doctors, and the country adding up the offices."""
    rows = [*range(len(offices)), COUNTRY]
    years = sorted({key[1] for _row, key in cells if isinstance(key, tuple)})
    equations = []
    for row in rows:
        groups = [(total, list(parts)) for total, parts in SUMS]
        groups.append(("doctors_active", [("completions", y) for y in years]))
        for total, parts in groups:
            values = [cells[row, total], *(cells[row, p] for p in parts)]
            if all(isinstance(v, int) for v in values) and values[0] == sum(values[1:]):
                equations.append(((row, total), [(row, p) for p in parts]))
        for total, part in COMPLEMENTS:
            if isinstance(cells[row, total], int) and isinstance(cells[row, part], int):
                complement = (row, ("not", part))
                cells[complement] = cells[row, total] - cells[row, part]
                equations.append(((row, total), [(row, part), complement]))
    for key in {key for _row, key in cells if not (isinstance(key, tuple) and key[0] == "not")}:
        values = [cells[row, key] for row in range(len(offices))]
        if all(isinstance(v, int) for v in values) and cells[COUNTRY, key] == sum(values):
            equations.append(((COUNTRY, key), [(row, key) for row in range(len(offices))]))
    return equations


def _determined(hidden: set, equations) -> set:
    """The hidden cells whose value follows from the shown ones through the sums (exact
    linear algebra over the rationals: a hidden cell is determined when its unit vector lies
    in the row space of the sums restricted to the hidden cells; sparse Gauss-Jordan)."""
    from fractions import Fraction

    rows: list[dict] = []
    for total, parts in equations:
        vector: dict = {}
        for cell, sign in [(total, 1), *((p, -1) for p in parts)]:
            if cell in hidden:
                vector[cell] = vector.get(cell, 0) + sign
        vector = {c: Fraction(v) for c, v in vector.items() if v}
        if vector:
            rows.append(vector)
    reduced: dict = {}  # pivot cell -> row with 1 at the pivot and 0 at every other pivot
    for row in rows:
        for pivot, prow in reduced.items():
            factor = row.get(pivot)
            if factor:
                for c, v in prow.items():
                    row[c] = row.get(c, 0) - factor * v
                row = {c: v for c, v in row.items() if v}
        if not row:
            continue
        pivot = min(row, key=repr)
        lead = row[pivot]
        row = {c: v / lead for c, v in row.items()}
        for other, orow in reduced.items():
            factor = orow.get(pivot)
            if factor:
                for c, v in row.items():
                    orow[c] = orow.get(c, 0) - factor * v
                reduced[other] = {c: v for c, v in orow.items() if v}
        reduced[pivot] = row
    return {pivot for pivot, row in reduced.items() if len(row) == 1}


def _nearest_shown(target, cells: dict, equations, hidden: set) -> set:
    """The shown counts in the sums nearest to `target`: its own sums, else the sums that
    share a hidden count with those, and so on."""
    reached = {target}
    seen: set = set()
    while True:
        near = [
            i for i, (t, parts) in enumerate(equations) if i not in seen and reached & {t, *parts}
        ]
        if not near:
            return set()
        seen.update(near)
        cells_near = {c for i in near for c in (equations[i][0], *equations[i][1])}
        shown = {c for c in cells_near if c not in hidden and isinstance(cells.get(c), int)}
        if shown:
            return shown
        reached |= cells_near


UNBOUNDED = 10**9


def _pinned(cells: dict, equations, hidden: set) -> set:
    """The hidden cells an attacker pins to one value from the shown counts and what the
    hidden ones are known to be: "<5" is 1–4, anything else hidden is 0 or more (bounds
    propagated through every sum until nothing changes; e.g. four "<5" that add up to 16 are
    4 each)."""
    low, high = {}, {}
    for cell, value in cells.items():
        if cell not in hidden:
            low[cell] = high[cell] = value
        elif _is_small(value) and not (isinstance(cell[1], tuple) and cell[1][0] == "not"):
            low[cell], high[cell] = 1, SMALL_COUNT_MAX
        else:
            low[cell], high[cell] = 0, UNBOUNDED
    changed = True
    while changed:
        changed = False
        for total, parts in equations:
            if not all(isinstance(low.get(c), int) for c in (total, *parts)):
                continue
            sum_low = sum(low[p] for p in parts)
            sum_high = sum(high[p] for p in parts)
            bounds = {total: (sum_low, sum_high)}
            for p in parts:
                bounds[p] = (low[total] - (sum_high - high[p]), high[total] - (sum_low - low[p]))
            for cell, (lo, hi) in bounds.items():
                if lo > low[cell]:
                    low[cell], changed = lo, True
                if hi < high[cell]:
                    high[cell], changed = hi, True
    return {c for c in hidden if c in low and low[c] == high[c]}


def _exposed(cells: dict, equations, hidden: set) -> list:
    """The small counts (1–4: shown as "<5", or a complement) that can be worked out."""
    found = _determined(hidden, equations) | _pinned(cells, equations, hidden)
    return sorted((c for c in found if _is_small(cells.get(c))), key=repr)


def _protect(cells: dict, equations, hidden: set) -> set:
    """Hide more counts until no small count (1–4, shown or a complement) can be worked out
    from what is shown: each time, of the sums that give one back, the shown count hidden is
    the country's before an office's, a part before a total, the smallest first (a zero is
    hidden only when nothing else is left: it protects little)."""
    totals = {total for total, _parts in SUMS} | {total for total, _part in COMPLEMENTS}
    while True:
        exposed = _exposed(cells, equations, hidden)
        if exposed:
            candidates = _nearest_shown(exposed[0], cells, equations, hidden)
        else:
            # Two or more hidden parts of a sum whose total is shown add up to what the shown
            # parts leave; when that is 1–4 (say 2 over two parts of at least 1 each), it
            # tells too much: hide another count of that sum.
            candidates = set()
            for total, parts in equations:
                unknown = [p for p in parts if p in hidden]
                if total in hidden or len(unknown) < 2:
                    continue
                if not all(isinstance(cells[p], int) for p in unknown):
                    continue  # a figure not computed: nothing to add up
                if _is_small(sum(cells[p] for p in unknown)):
                    candidates = {
                        c
                        for c in (total, *parts)
                        if c not in hidden and isinstance(cells.get(c), int)
                    }
                    if candidates:
                        break
            if not candidates:
                return hidden
        if not candidates:  # cannot happen: a determined cell is tied to shown counts
            raise AssertionError(f"no count left to hide for {exposed[0]}")

        def cost(cell):
            row, key = cell
            return (
                cells[cell] == 0,
                row != COUNTRY,
                key in totals,
                cells[cell],
                repr(cell),
            )

        ordered = sorted(candidates, key=cost)
        choice = ordered[0]
        if exposed:  # the cheapest count whose hiding leaves the small one undetermined
            choice = next(
                (c for c in ordered if exposed[0] not in _exposed(cells, equations, hidden | {c})),
                choice,
            )
        hidden.add(choice)


def suppress_national(offices: list[dict], country: dict) -> tuple[list[dict], dict]:
    """The national figures as they may be shown: every count of 1–4 becomes "<5", and more
    counts are hidden ("skjult") wherever the others would give a small one back: the country
    total minus the offices, a total minus its other parts (positions by scheme and by
    employment form, doctors by scheme, with and without a veileder, by completion year), or
    a total minus a part whose complement is small (positions not filled, doctors not in a
    group, without a plan, behind with supervision, not at risk)."""
    cells = _cells(offices, country)
    equations = _equations(cells, offices)
    hidden = {c for c, v in cells.items() if _is_small(v) or not isinstance(v, int)}
    hidden |= {c for c in cells if isinstance(c[1], tuple) and c[1][0] == "not"}
    hidden = _protect(cells, equations, hidden)

    original = {**dict(enumerate(offices)), COUNTRY: country}

    def shown(row) -> dict:
        result = {}
        for (r, key), value in cells.items():
            if r != row or (isinstance(key, tuple) and key[0] == "not"):
                continue
            if value is None or (r, key) not in hidden:
                out = value
            else:
                out = SUPPRESSED if _is_small(value) else HIDDEN_TOTAL
            if isinstance(key, tuple):
                if key[1] in original[row].get("completions", {}):
                    result.setdefault("completions", {})[key[1]] = out
            else:
                result[key] = out
        result.setdefault("completions", {})
        return result

    return [shown(row) for row in range(len(offices))], shown(COUNTRY)


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
