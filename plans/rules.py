"""The rules engine: where does an ALIS doctor stand against the rule set of their scheme?

Pure functions on plain dataclasses: no database, no request. The caller picks the rule set in
force (`plans.selectors.rule_set_for`) and turns its rows into `RuleValues`; every number the
engine compares with comes from there, never from a constant here.

How durations are measured (the contract the hand-computed test table checks):

* **Percent-days.** Each calendar day gets a counted share between 0 and 100 per category
  (open unselected general practice, institution, other general-practice service, other). For a
  day: add the percentages of the service periods covering it (start and end inclusive; an open
  end means "until the evaluation date" for actual service). A non-leave period below the rule
  set's `min_percentage` does not count at all. The sum is capped at 100 (overlapping periods
  never make a day count more than full time); leave periods covering the day then subtract
  their percentage (a 50 % leave from a full-time position leaves 50). What remains is shared
  out in a fixed order — open practice, institution, other general practice, other — so the
  arenas with minimums are filled first. Credited earlier service counts like any other service.
  Arena "annet" counts towards no requirement.
* **From percent-days to months.** Each category's percent-days are laid out full time from
  its *anchor* — the first day that counted in that category (with nothing counted yet: the
  programme start) — and measured in calendar months (`add_months`: month ends clamp, so
  31 January + 1 month is 28 or 29 February); the last part month is a fraction of that
  month's days. So 1 March 2019–29 February 2024 full time is exactly 60 months (1 827 days),
  60 % part-time needs 1 827 / 0.6 = 3 045 calendar days, and a hospital period 1 September–
  29 February is exactly 6 months. Amounts are shown as whole years and months, then the whole
  days of the part month ("1 år 7 mnd 12 dager").
* **Caps and the total.** Open practice counts up to `open_practice_max_months`, other
  general-practice service up to `other_practice_max_months`; more is shown but does not count.
  The total is the sum of the counted months of open practice, institution and other general
  practice (so 4 år 6 mnd of practice + 6 mnd of hospital is 5 years, whatever the months'
  lengths), shown from the first counted day of any of them.
* **Individual supervision.** Required hours so far = hours per month × months per year / 12 ×
  calendar months elapsed from the programme start to the evaluation date (whole months by
  `add_months`, the last part month as days / days of that month). With 4 h × 10.5 / 12 that is
  3.5 h per calendar month, 42 h a year.
* **Group supervision.** Duration is counted in calendar months with at least one meeting; a
  year of group supervision is `months per year` such months (10.5 → 11 whole months, 2 years
  → 21). Hours are summed. The open-practice part counts months with a meeting attended while
  in open unselected practice.
* **Status.** met: reached (for a maximum: not exceeded). on track: not reached, and the
  projection reaches it by the target date (the given target, or for the parts of the training
  the projected completion of the total). at risk: reached only after the target, behind on
  supervision, or a maximum that the projection passes before the total is reached.
  not met: nothing projected reaches it, the programme is complete without it, or a maximum
  is exceeded. Supervision and courses given as `None` are "not recorded yet".
* **Projection.** After the evaluation date the days are filled from the plan when one is given,
  otherwise from the current pace: the actual periods that go on after the evaluation date (an
  open end continues for at most 20 years).
"""

import calendar
import math
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from functools import lru_cache

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from offices.vocabularies import INSTITUTION_ARENAS, OTHER_GENERAL_PRACTICE, ArenaType

ONE_DAY = timedelta(days=1)
PROJECTION_YEARS = 20


# --- Calendar arithmetic -------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later; the day clamps to the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def month_days(anchor: date, months: int) -> int:
    """Calendar days in `months` months counted from `anchor`."""
    return (add_months(anchor, months) - anchor).days


@lru_cache(maxsize=512)
def _month_bounds(anchor: date) -> tuple[int, ...]:
    """Days from `anchor` to each of the next 50 years of month starts (index = months)."""
    return tuple(month_days(anchor, m) for m in range(12 * 50 + 1))


def to_months(percent_days: int, anchor: date) -> Fraction:
    """Percent-days as calendar months laid out full time from `anchor`; the last part month
    as a fraction of that month's days."""
    days = Fraction(percent_days, 100)
    bounds = _month_bounds(anchor)
    whole = bisect_right(bounds, days) - 1
    if whole + 1 >= len(bounds):
        return Fraction(whole)
    return whole + (days - bounds[whole]) / (bounds[whole + 1] - bounds[whole])


def format_month_amount(months: Fraction, anchor: date) -> str:
    """Months as '1 år 7 mnd 12 dager': the part month in whole days of the month it falls in,
    counted from `anchor`."""
    whole = math.floor(months)
    part = months - whole
    days = math.floor(part * (month_days(anchor, whole + 1) - month_days(anchor, whole)))
    text = format_months(whole) if whole or not days else ""
    if days:
        unit = _("dag") if days == 1 else _("dager")
        text = f"{text} {days} {unit}".strip()
    return text


def months_elapsed(start: date, end_exclusive: date) -> Fraction:
    """Calendar months from `start` to `end_exclusive`, the last part month as a fraction."""
    if end_exclusive <= start:
        return Fraction(0)
    months = 0
    while add_months(start, months + 1) <= end_exclusive:
        months += 1
    base, following = add_months(start, months), add_months(start, months + 1)
    return months + Fraction((end_exclusive - base).days, (following - base).days)


def format_months(months: int) -> str:
    """'2 år', '6 mnd', '4 år 6 mnd'."""
    years, rest = divmod(months, 12)
    parts = []
    if years:
        parts.append(_("%(n)s år") % {"n": years})
    if rest or not years:
        parts.append(_("%(n)s mnd") % {"n": rest})
    return " ".join(parts)


def format_hours(hours: Fraction | Decimal | int) -> str:
    value = round(float(hours), 1)
    text = f"{value:.1f}".replace(".", ",").removesuffix(",0")
    return _("%(h)s t") % {"h": text}


# --- Inputs --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleValues:
    name: str
    total_service_months: int = 60
    open_practice_min_months: int = 24
    open_practice_max_months: int | None = 54
    other_practice_max_months: int | None = 30
    institution_min_months: int = 6
    min_percentage: int = 50
    supervision_hours_per_month: Decimal = Decimal("4")
    supervision_months_per_year: Decimal = Decimal("10.5")
    group_supervision_months: int = 24
    group_supervision_hours: int = 120
    group_open_practice_months: int = 12
    basic_courses: tuple[str, ...] = ("A", "B", "C", "D")
    acute_course_required: bool = True
    topic_courses_min: int = 6
    topic_course_min_hours: int = 15


@dataclass(frozen=True)
class Period:
    """A period of service or leave; `end` inclusive, None = ongoing."""

    start: date
    end: date | None
    percentage: int
    arena: str
    is_leave: bool = False
    credited: bool = False


@dataclass(frozen=True)
class SupervisionSession:
    day: date
    hours: Decimal


@dataclass(frozen=True)
class GroupSession:
    day: date
    hours: Decimal
    in_open_practice: bool


class CourseKind(StrEnum):
    BASIC_A = "A"
    BASIC_B = "B"
    BASIC_C = "C"
    BASIC_D = "D"
    ACUTE = "akutt"
    TOPIC = "emne"
    VIOLENCE = "vold"


@dataclass(frozen=True)
class Course:
    kind: str
    hours: Decimal = Decimal("0")
    day: date | None = None


# --- Results -------------------------------------------------------------------------------------


class Status(StrEnum):
    MET = "oppfylt"
    ON_TRACK = "i_rute"
    AT_RISK = "i_fare"
    NOT_MET = "ikke_oppfylt"
    NOT_RECORDED = "ikke_registrert"

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])


STATUS_LABELS = {
    Status.MET: gettext_lazy("Oppfylt"),
    Status.ON_TRACK: gettext_lazy("I rute"),
    Status.AT_RISK: gettext_lazy("I fare"),
    Status.NOT_MET: gettext_lazy("Ikke oppfylt"),
    Status.NOT_RECORDED: gettext_lazy("Ikke registrert ennå"),
}


@dataclass(frozen=True)
class Requirement:
    key: str
    label: str
    status: Status
    text: str
    projected: date | None = None
    note: str = ""


@dataclass(frozen=True)
class Evaluation:
    rules: RuleValues
    on: date
    requirements: list[Requirement]
    projected_completion: date | None

    def get(self, key: str) -> Requirement:
        return next(r for r in self.requirements if r.key == key)


# --- Service -------------------------------------------------------------------------------------

OPEN, INSTITUTION, OTHER_GP, OTHER = "open", "institution", "other_gp", "other"
FILL_ORDER = (OPEN, INSTITUTION, OTHER_GP, OTHER)


def category(arena: str) -> str:
    if arena == ArenaType.OPEN_GENERAL_PRACTICE:
        return OPEN
    if arena in INSTITUTION_ARENAS:
        return INSTITUTION
    if arena in OTHER_GENERAL_PRACTICE:
        return OTHER_GP
    return OTHER


def day_shares(periods: Iterable[Period], day: date, min_percentage: int) -> dict[str, int]:
    """The counted percentage of `day` per category (see the module docstring)."""
    raw = dict.fromkeys(FILL_ORDER, 0)
    leave = 0
    for p in periods:
        if p.start <= day and (p.end is None or day <= p.end):
            if p.is_leave:
                leave += p.percentage
            elif p.percentage >= min_percentage:
                raw[category(p.arena)] += p.percentage
    remaining = max(0, min(100, sum(raw.values())) - leave)
    shares = {}
    for key in FILL_ORDER:
        shares[key] = min(raw[key], remaining)
        remaining -= shares[key]
    return shares


@dataclass
class Tally:
    """Percent-days per category (uncapped), and the first counted day of each."""

    rules: RuleValues
    start: date
    amounts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FILL_ORDER, 0))
    anchors: dict[str, date] = field(default_factory=dict)

    def add(self, shares: dict[str, int], day: date) -> None:
        for key, value in shares.items():
            if value and key not in self.anchors:
                self.anchors[key] = day
            self.amounts[key] += value
        if "total" not in self.anchors and any(shares[k] for k in (OPEN, INSTITUTION, OTHER_GP)):
            self.anchors["total"] = day

    def anchor(self, key: str) -> date:
        return self.anchors.get(key, self.start)

    def months(self, key: str) -> Fraction:
        """Calendar months of `key`, uncapped."""
        return to_months(self.amounts[key], self.anchor(key))

    def counted(self, key: str) -> Fraction:
        """Months that count: open practice and other general practice up to their caps; the
        total is the sum of the counted months of the three arenas."""
        if key == "total":
            return self.counted(OPEN) + self.counted(INSTITUTION) + self.counted(OTHER_GP)
        months = self.months(key)
        cap = {
            OPEN: self.rules.open_practice_max_months,
            OTHER_GP: self.rules.other_practice_max_months,
        }.get(key)
        return months if cap is None else min(months, Fraction(cap))

    def show(self, key: str, months: Fraction | None = None) -> str:
        return format_month_amount(
            self.counted(key) if months is None else months, self.anchor(key)
        )

    def copy(self) -> "Tally":
        return replace(self, amounts=dict(self.amounts), anchors=dict(self.anchors))


def _walk(
    tally: Tally,
    periods: Sequence[Period],
    first: date,
    last: date,
    thresholds: dict[str, int],
    reached: dict[str, date],
) -> None:
    """Add the days `first`..`last`; note the day each threshold (in months) is reached."""
    periods = [p for p in periods if p.start <= last and (p.end is None or p.end >= first)]
    day = first
    while day <= last:
        tally.add(day_shares(periods, day, tally.rules.min_percentage), day)
        for key, months in thresholds.items():
            if key not in reached and tally.counted(key) >= months:
                reached[key] = day
        day += ONE_DAY


def _future_periods(periods: Sequence[Period], plan: Sequence[Period] | None, on: date):
    if plan is not None:
        return list(plan)
    return [p for p in periods if p.end is None or p.end > on]


def _horizon(future: Sequence[Period], on: date) -> date:
    if not future or any(p.end is None for p in future):
        return add_months(on, 12 * PROJECTION_YEARS)
    return max(p.end for p in future)


@dataclass(frozen=True)
class ServiceResult:
    actual: Tally
    reached: dict[str, date]  # day each minimum was reached, actual or projected
    at_completion: Tally | None  # the projected tally on the day the total is reached


def service_progress(
    periods: Sequence[Period],
    rules: RuleValues,
    *,
    programme_start: date,
    on: date,
    plan: Sequence[Period] | None = None,
) -> ServiceResult:
    """Percent-days per category up to `on`, and the days each minimum is (or will be) reached."""
    tally = Tally(rules=rules, start=programme_start)
    thresholds = {
        "total": rules.total_service_months,
        OPEN: rules.open_practice_min_months,
        INSTITUTION: rules.institution_min_months,
    }
    reached: dict[str, date] = {}
    actual_periods = [p for p in periods if p.start <= on]
    if actual_periods:
        first = min(p.start for p in actual_periods)
        _walk(tally, actual_periods, first, on, thresholds, reached)
    future = _future_periods(periods, plan, on)
    projected = tally.copy()
    at_completion = None
    if future:
        done: dict[str, date] = dict(reached)
        # Walk until every minimum is reached (or the plan / horizon ends); remember the
        # tally on the day the total is reached to see whether a cap would be passed by then.
        day, last = on + ONE_DAY, _horizon(future, on)
        live = [p for p in future if p.end is None or p.end > on]
        while day <= last and len(done) < len(thresholds):
            projected.add(day_shares(live, day, rules.min_percentage), day)
            for key, months in thresholds.items():
                if key not in done and projected.counted(key) >= months:
                    done[key] = day
            if "total" in done and at_completion is None and "total" not in reached:
                at_completion = projected.copy()
            day += ONE_DAY
        reached = done
    if at_completion is None:
        at_completion = tally if "total" in reached else None
    return ServiceResult(actual=tally, reached=reached, at_completion=at_completion)


def _minimum(
    key: str,
    label: str,
    months: int,
    result: ServiceResult,
    on: date,
    target: date | None,
    note: str = "",
) -> Requirement:
    tally = result.actual
    have = tally.counted(key)
    text = _("%(have)s av %(need)s") % {
        "have": tally.show(key, have),
        "need": format_months(months),
    }
    projected = result.reached.get(key)
    if projected is not None and projected <= on:
        status = Status.MET
    elif projected is None:
        status = Status.NOT_MET
        note = note or _("Verken planen eller pågående tjeneste fører fram til kravet.")
    elif target is not None and projected > target:
        status = Status.AT_RISK
    else:
        status = Status.ON_TRACK
    return Requirement(key, label, status, text, projected, note)


def _maximum(
    key: str, label: str, months: int | None, result: ServiceResult, completion: date | None
) -> Requirement:
    tally = result.actual
    have = tally.months(key)
    if months is None:
        return Requirement(key, label, Status.MET, tally.show(key, have))
    limit = months
    text = _("%(have)s av høyst %(max)s") % {
        "have": tally.show(key, have),
        "max": format_months(months),
    }
    if have > limit:
        note = _("Tjeneste utover %(max)s teller ikke med i samlet tjeneste.") % {
            "max": format_months(months)
        }
        return Requirement(key, label, Status.NOT_MET, text, None, note)
    later = result.at_completion
    if later is not None and later.months(key) > limit:
        note = _("Med planen eller dagens takt blir det mer enn %(max)s innen %(day)s.") % {
            "max": format_months(months),
            "day": completion.strftime("%d.%m.%Y") if completion else "",
        }
        return Requirement(key, label, Status.AT_RISK, text, None, note)
    return Requirement(key, label, Status.MET, text)


# --- Supervision, group supervision, courses ----------------------------------------------------


def _supervision(
    sessions: Sequence[SupervisionSession] | None,
    rules: RuleValues,
    programme_start: date,
    on: date,
    completed: date | None,
) -> Requirement:
    label = _("Individuell veiledning")
    if sessions is None:
        return Requirement("supervision", label, Status.NOT_RECORDED, _("Ikke registrert ennå"))
    end = min(on, completed) if completed else on
    per_month = Fraction(rules.supervision_hours_per_month) * Fraction(
        rules.supervision_months_per_year
    )
    required = per_month / 12 * months_elapsed(programme_start, end + ONE_DAY)
    hours = sum((Fraction(s.hours) for s in sessions if s.day <= end), Fraction(0))
    text = _("%(have)s av %(need)s hittil (snitt %(rate)s per måned i %(months)s mnd per år)") % {
        "have": format_hours(hours),
        "need": format_hours(required),
        "rate": format_hours(rules.supervision_hours_per_month),
        "months": str(rules.supervision_months_per_year).replace(".", ","),
    }
    if hours >= required:
        status = Status.MET if completed and completed <= on else Status.ON_TRACK
    else:
        status = Status.NOT_MET if completed and completed <= on else Status.AT_RISK
    return Requirement("supervision", label, status, text)


def group_months_needed(months: int, rules: RuleValues) -> int:
    """Calendar months with meetings needed for `months` of group supervision (10.5 a year)."""
    return math.ceil(Fraction(months) * Fraction(rules.supervision_months_per_year) / 12)


def _group(
    sessions: Sequence[GroupSession] | None,
    rules: RuleValues,
    on: date,
    completed: date | None,
    target: date | None,
) -> Requirement:
    label = _("Gruppeveiledning")
    if sessions is None:
        return Requirement("group", label, Status.NOT_RECORDED, _("Ikke registrert ennå"))
    held = [s for s in sessions if s.day <= on]
    months = {(s.day.year, s.day.month) for s in held}
    open_months = {(s.day.year, s.day.month) for s in held if s.in_open_practice}
    hours = sum((Fraction(s.hours) for s in held), Fraction(0))
    need_months = group_months_needed(rules.group_supervision_months, rules)
    need_open = group_months_needed(rules.group_open_practice_months, rules)
    text = _(
        "%(m)s av %(nm)s mnd med møter, %(h)s av %(nh)s, %(o)s av %(no)s mnd i åpen praksis"
    ) % {
        "m": len(months),
        "nm": need_months,
        "h": format_hours(hours),
        "nh": format_hours(rules.group_supervision_hours),
        "o": len(open_months),
        "no": need_open,
    }
    missing = []
    if len(months) < need_months:
        missing.append(_("varighet"))
    if hours < rules.group_supervision_hours:
        missing.append(_("timer"))
    if len(open_months) < need_open:
        missing.append(
            _("minst %(d)s i åpen uselektert allmennpraksis")
            % {"d": format_months(rules.group_open_practice_months)}
        )
    if not missing:
        return Requirement("group", label, Status.MET, text)
    note = _("Mangler: %(what)s.") % {"what": ", ".join(missing)}
    if completed and completed <= on:
        return Requirement("group", label, Status.NOT_MET, text, None, note)
    months_left = months_elapsed(on + ONE_DAY, target) if target else None
    still_needed = (
        Fraction(need_months - len(months)) * 12 / Fraction(rules.supervision_months_per_year)
    )
    if months_left is not None and still_needed > months_left:
        return Requirement("group", label, Status.AT_RISK, text, None, note)
    return Requirement("group", label, Status.ON_TRACK, text, None, note)


def _courses(
    courses: Sequence[Course] | None,
    rules: RuleValues,
    on: date,
    completed: date | None,
    out_of_hours: bool,
) -> Requirement:
    label = _("Kurs")
    if courses is None:
        return Requirement("courses", label, Status.NOT_RECORDED, _("Ikke registrert ennå"))
    taken = [c for c in courses if c.day is None or c.day <= on]
    kinds = {c.kind for c in taken}
    basic = [k for k in rules.basic_courses if k in kinds]
    topics = [
        c for c in taken if c.kind == CourseKind.TOPIC and c.hours >= rules.topic_course_min_hours
    ]
    parts = [
        _("grunnkurs %(n)s av %(of)s") % {"n": len(basic), "of": len(rules.basic_courses)},
        _("emnekurs %(n)s av %(of)s") % {"n": len(topics), "of": rules.topic_courses_min},
    ]
    missing = []
    if len(basic) < len(rules.basic_courses):
        missing.append(
            _("grunnkurs %(list)s")
            % {"list": ", ".join(k for k in rules.basic_courses if k not in kinds)}
        )
    needs_acute = rules.acute_course_required or out_of_hours
    if needs_acute:
        parts.append(_("akuttmedisin") + (" ✓" if CourseKind.ACUTE in kinds else " –"))
        if CourseKind.ACUTE not in kinds:
            missing.append(_("kurs i akuttmedisin"))
    if out_of_hours and CourseKind.VIOLENCE not in kinds:
        missing.append(_("kurs i vold og overgrep (kreves for legevakt)"))
    if len(topics) < rules.topic_courses_min:
        missing.append(
            _("%(n)s emnekurs på minst %(h)s timer")
            % {"n": rules.topic_courses_min - len(topics), "h": rules.topic_course_min_hours}
        )
    text = ", ".join(parts)
    text = text[:1].upper() + text[1:]
    if not missing:
        return Requirement("courses", label, Status.MET, text)
    note = _("Mangler: %(what)s.") % {"what": "; ".join(missing)}
    status = Status.NOT_MET if completed and completed <= on else Status.ON_TRACK
    return Requirement("courses", label, status, text, None, note)


# --- Entry points --------------------------------------------------------------------------------


def evaluate(
    rules: RuleValues,
    *,
    programme_start: date,
    on: date,
    periods: Sequence[Period],
    supervision: Sequence[SupervisionSession] | None = None,
    group: Sequence[GroupSession] | None = None,
    courses: Sequence[Course] | None = None,
    plan: Sequence[Period] | None = None,
    target: date | None = None,
) -> Evaluation:
    """Where the doctor stands on `on`: actual service up to that day, projected onwards from
    the plan (when given) or the current pace. `target` is the planned completion date, if any."""
    result = service_progress(periods, rules, programme_start=programme_start, on=on, plan=plan)
    total_done = result.reached.get("total")
    part_target = target or total_done
    completed = total_done if total_done and total_done <= on else None
    requirements = [
        _minimum(
            "total",
            _("Samlet tjeneste"),
            rules.total_service_months,
            result,
            on,
            target,
        ),
        _minimum(
            OPEN,
            _("Åpen uselektert allmennpraksis"),
            rules.open_practice_min_months,
            result,
            on,
            part_target,
            _("Høyst %(max)s teller med.") % {"max": format_months(rules.open_practice_max_months)}
            if rules.open_practice_max_months is not None
            and result.actual.months(OPEN) > rules.open_practice_max_months
            else "",
        ),
        _maximum(
            OTHER_GP,
            _("Annen allmennmedisinsk tjeneste"),
            rules.other_practice_max_months,
            result,
            part_target,
        ),
        _minimum(
            INSTITUTION,
            _("Institusjonstjeneste"),
            rules.institution_min_months,
            result,
            on,
            part_target,
        ),
        _supervision(supervision, rules, programme_start, on, completed),
        _group(group, rules, on, completed, part_target),
        _courses(
            courses,
            rules,
            on,
            completed,
            out_of_hours=any(
                p.arena == ArenaType.OUT_OF_HOURS and not p.is_leave
                for p in [*periods, *(plan or [])]
            ),
        ),
    ]
    minima = [result.reached.get(k) for k in ("total", OPEN, INSTITUTION)]
    projected = None if None in minima else max(minima)
    return Evaluation(rules, on, requirements, projected)


def evaluate_plan(
    rules: RuleValues, *, programme_start: date, plan: Sequence[Period]
) -> Evaluation:
    """Does the plan on its own meet the service requirements, and when? Every planned period
    is taken as served; statuses are met or not met."""
    on = programme_start - ONE_DAY
    result = service_progress([], rules, programme_start=programme_start, on=on, plan=plan)
    full = Tally(rules=rules, start=programme_start)
    if plan:
        _walk(full, plan, min(p.start for p in plan), _horizon(plan, on), {}, {})
    requirements = []
    for key, label, months in (
        ("total", _("Samlet tjeneste"), rules.total_service_months),
        (OPEN, _("Åpen uselektert allmennpraksis"), rules.open_practice_min_months),
        (INSTITUTION, _("Institusjonstjeneste"), rules.institution_min_months),
    ):
        day = result.reached.get(key)
        text = _("Planen gir %(have)s av %(need)s") % {
            "have": full.show(key),
            "need": format_months(months),
        }
        status = Status.MET if day else Status.NOT_MET
        requirements.append(Requirement(key, label, status, text, day))
    limit = rules.other_practice_max_months
    over = limit is not None and full.months(OTHER_GP) > limit
    requirements.append(
        Requirement(
            OTHER_GP,
            _("Annen allmennmedisinsk tjeneste"),
            Status.NOT_MET if over else Status.MET,
            _("Planen gir %(have)s av høyst %(max)s")
            % {
                "have": full.show(OTHER_GP, full.months(OTHER_GP)),
                "max": format_months(limit) if limit is not None else "–",
            },
        )
    )
    minima = [r.projected for r in requirements[:3]]
    return Evaluation(rules, on, requirements, None if None in minima else max(minima))


# --- Supervision compliance per month and year ---------------------------------------------------


@dataclass(frozen=True)
class CompliancePeriod:
    """Hours of individual supervision in one month or year against what the rule set asks
    for that stretch (pro rata for a part month or year)."""

    start: date
    hours: Fraction
    required: Fraction
    cumulative: Fraction
    cumulative_required: Fraction

    @property
    def behind(self) -> bool:
        return self.cumulative < self.cumulative_required

    @property
    def hours_text(self) -> str:
        return format_hours(self.hours)

    @property
    def required_text(self) -> str:
        return format_hours(self.required)

    @property
    def cumulative_text(self) -> str:
        return format_hours(self.cumulative)

    @property
    def cumulative_required_text(self) -> str:
        return format_hours(self.cumulative_required)


@dataclass(frozen=True)
class Compliance:
    months: list[CompliancePeriod]
    years: list[CompliancePeriod]
    hours: Fraction
    required: Fraction

    @property
    def behind(self) -> bool:
        return self.hours < self.required

    @property
    def shortfall_text(self) -> str:
        return format_hours(max(Fraction(0), self.required - self.hours))

    @property
    def hours_text(self) -> str:
        return format_hours(self.hours)

    @property
    def required_text(self) -> str:
        return format_hours(self.required)


def _first_of_month(day: date) -> date:
    return day.replace(day=1)


def supervision_compliance(
    sessions: Sequence[SupervisionSession],
    rules: RuleValues,
    *,
    programme_start: date,
    on: date,
) -> Compliance:
    """Individual supervision per calendar month and year from the programme start to `on`.

    A month's requirement is hours per month × months per year / 12 (4 × 10.5 / 12 = 3.5 h)
    times the share of the month inside the programme (calendar days, the same measure as
    the requirement table); a year's is the sum of its months. Behind = the running total is
    below the running requirement at the end of the month or year."""
    rate = Fraction(rules.supervision_hours_per_month) * Fraction(rules.supervision_months_per_year)
    rate /= 12
    by_month: dict[date, Fraction] = {}
    for s in sessions:
        if programme_start <= s.day <= on:
            key = _first_of_month(s.day)
            by_month[key] = by_month.get(key, Fraction(0)) + Fraction(s.hours)
    months: list[CompliancePeriod] = []
    cumulative = need = Fraction(0)
    month = _first_of_month(programme_start)
    while on >= programme_start and month <= on:
        following = add_months(month, 1)
        first, last = max(month, programme_start), min(following - ONE_DAY, on)
        share = Fraction((last - first).days + 1, (following - month).days)
        required = rate * share
        hours = by_month.get(month, Fraction(0))
        cumulative += hours
        need += required
        months.append(CompliancePeriod(month, hours, required, cumulative, need))
        month = following
    years: list[CompliancePeriod] = []
    for m in months:
        if years and years[-1].start.year == m.start.year:
            last_year = years[-1]
            years[-1] = CompliancePeriod(
                last_year.start,
                last_year.hours + m.hours,
                last_year.required + m.required,
                m.cumulative,
                m.cumulative_required,
            )
        else:
            years.append(
                CompliancePeriod(
                    m.start.replace(month=1),
                    m.hours,
                    m.required,
                    m.cumulative,
                    m.cumulative_required,
                )
            )
    return Compliance(months=months, years=years, hours=cumulative, required=need)
