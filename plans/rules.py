"""The rules engine: where does an ALIS doctor stand against the rule set of their scheme?

Pure functions on plain dataclasses: no database, no request. The caller picks the rule set in
force (`plans.selectors.rule_set_for`) and turns its rows into `RuleValues`; every number the
engine compares with comes from there, never from a constant here. `plans.standing` is the one
place that gathers a doctor's records and calls `evaluate`; pages and reports call it.

* **Durations** follow the one convention of `plans.durations` (exact calendar months: a whole
  month is 1, a part month days / days in that month, times the percentage that counts; leave
  excluded; never more than 100 % a day). Credited earlier service counts like any other.
  Arena "annet" counts towards no requirement.
* **Caps.** Open practice counts up to `open_practice_max_months`, other general-practice
  service up to `other_practice_max_months`. A cap is not a requirement: the row says how much
  counts and is never "not met"; the excess is shown in a note. The total is the sum of the
  counted months of open practice, institution and other general practice.
* **Individual supervision.** Required hours so far = hours per month × months per year / 12 per
  month of service in the programme up to the evaluation date (months as `plans.durations`
  counts them: a part month pro rata by days, part-time in proportion, no requirement accrues
  during leave), the same sum as the compliance table (`supervision_compliance`).
* **Group supervision.** Duration in calendar months with at least one meeting; a year is
  `months per year` such months (10.5 → 11 whole months, 2 years → 21). Hours are summed.
* **Projection.** After the evaluation date the days are filled from the plan when one is given
  and, after the plan ends, at the current pace (the posts covering the evaluation date,
  continued); without a plan, from the registered periods that go on (an open end continues
  for at most 20 years). The projected completion is the latest day a service minimum is
  reached; the requirement reached last "decides" it.
* **Status — one definition each.**
  - *Oppfylt* (met): reached on the evaluation date.
  - *I rute* (on track): not reached yet, and the projection reaches it by the target date
    (the approved plan's completion date; without one, for the total: any day; for the parts,
    supervision, group supervision and courses: the projected completion).
  - *I fare* (at risk): not reached, and the projection reaches it only after the target, or
    never; or, for hours and courses, the doctor's pace so far is too slow to reach it by the
    target.
  - *Ikke oppfylt* (not met): the service requirements are complete (or the target has passed)
    and this one is still not reached.
  Supervision and courses given as `None` are "not recorded yet".
* **Courses.** The recommended courses (basic courses, acute medicine, topic courses) are
  shown with their progress as *Anbefalt* and never make the status worse or move the finish
  date. Courses are required only where the rule set says so: acute medicine of everyone when
  `acute_course_required`, and `out_of_hours_courses` (acute medicine, violence and abuse) of
  a doctor with out-of-hours work (arena legevakt in the service or the plan); a required
  course counts like any requirement (`required_courses`, with the reason "legevakt").
* **Institution placement.** `institution_from_month` (None: anywhere in the programme) is the
  one source of where the institution service may start; the hospital booking reads it.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from offices.numbers import format_decimal
from offices.vocabularies import ArenaType

from .durations import (
    CATEGORIES,
    INSTITUTION,
    OPEN,
    OTHER,
    OTHER_GP,
    SCOPE_TOTAL,
    Timeline,
    category,
    days_in_month,
    pieces,
    split_months,
)

__all__ = ["OTHER", "category"]

ONE_DAY = timedelta(days=1)
PROJECTION_YEARS = 20


# --- Calendar arithmetic -------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later; the day clamps to the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, days_in_month(date(year, month, 1))))


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
    """Hours with one decimal, a whole number without it: '42,1 t' ('42.1 h' in English)."""
    value = Decimal(str(round(float(hours), 1)))
    decimals = 0 if value == value.to_integral_value() else 1
    return _("%(h)s t") % {"h": format_decimal(value, decimals)}


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
    # "total": the doctor's total percentage on a day must reach min_percentage; "post": each
    # post on its own (see RuleSet.readings for the chosen reading and its source).
    min_percentage_scope: str = SCOPE_TOTAL
    supervision_hours_per_month: Decimal = Decimal("4")
    supervision_months_per_year: Decimal = Decimal("10.5")
    group_supervision_months: int = 24
    group_supervision_hours: int = 120
    group_open_practice_months: int = 12
    # Recommended courses (shown with their progress, never a requirement): the basic courses,
    # acute medicine, and topic courses. See RuleSet.readings for the reading and its source.
    basic_courses: tuple[str, ...] = ("A", "B", "C", "D")
    topic_courses_min: int = 6
    topic_course_min_hours: int = 15
    # Required courses: of every doctor (acute medicine, when the rule set says so) and of
    # doctors with out-of-hours work (legevakt) in their service or plan.
    acute_course_required: bool = False
    out_of_hours_courses: tuple[str, ...] = ("akutt", "vold")
    # The earliest start of the institution service, in calendar months after the start of
    # specialisation; None: anywhere in the programme (see `institution_placement`).
    institution_from_month: int | None = None


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
    # A recommendation not yet followed (recommended courses): shown, never a requirement, so
    # it never makes the doctor's status worse.
    RECOMMENDED = "anbefalt"

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])

    @property
    def color(self) -> str:
        """The Designsystemet colour of the status tag (a plain string: templates call a
        StrEnum member, so comparing with `Status.MET` there never matches)."""
        return STATUS_COLORS[self]

    @property
    def rank(self) -> int:
        """Worse is higher: the doctor's overall status is the worst of the requirements."""
        return STATUS_RANK[self]


STATUS_LABELS = {
    Status.MET: gettext_lazy("Oppfylt"),
    Status.ON_TRACK: gettext_lazy("I rute"),
    Status.AT_RISK: gettext_lazy("I fare"),
    Status.NOT_MET: gettext_lazy("Ikke oppfylt"),
    Status.NOT_RECORDED: gettext_lazy("Ikke registrert ennå"),
    Status.RECOMMENDED: gettext_lazy("Anbefalt"),
}
STATUS_COLORS = {
    Status.MET: "success",
    Status.ON_TRACK: "info",
    Status.AT_RISK: "warning",
    Status.NOT_MET: "danger",
    Status.NOT_RECORDED: "neutral",
    Status.RECOMMENDED: "neutral",
}
STATUS_RANK = {
    Status.MET: 0,
    Status.RECOMMENDED: 0,
    Status.NOT_RECORDED: 1,
    Status.ON_TRACK: 1,
    Status.AT_RISK: 2,
    Status.NOT_MET: 3,
}


@dataclass(frozen=True)
class Requirement:
    key: str
    label: str
    status: Status
    text: str
    projected: date | None = None
    note: str = ""
    credited: Fraction | None = None  # months (service) or hours, what counts so far
    required: Fraction | None = None
    missing: str = ""  # what is still missing, as shown
    # Why this requirement applies to this doctor, as a key the page words for its reader
    # ("legevakt": required because the doctor has out-of-hours work).
    reason: str = ""
    # The course kinds still missing (required courses), for the pages that offer a course.
    missing_kinds: tuple[str, ...] = ()

    @property
    def share(self) -> int:
        """Per cent done (0–100) for a progress bar."""
        if self.status == Status.MET:
            return 100
        if not self.required or self.credited is None:
            return 0
        return min(100, math.floor(self.credited * 100 / self.required))


@dataclass(frozen=True)
class Evaluation:
    rules: RuleValues
    on: date
    requirements: list[Requirement]
    projected_completion: date | None
    decided_by: str | None = None  # the key of the requirement reached last
    # Individual supervision per month up to `compliance_until` (the evaluation date, or the
    # completion day when that came first), as the supervision requirement computed it.
    compliance: "Compliance | None" = field(default=None, repr=False, compare=False)
    compliance_until: date | None = field(default=None, repr=False, compare=False)

    @property
    def deciding(self) -> Requirement | None:
        return self.get(self.decided_by) if self.decided_by else None

    def get(self, key: str) -> Requirement:
        return next(r for r in self.requirements if r.key == key)


# --- Service -------------------------------------------------------------------------------------

FILL_ORDER = CATEGORIES


def format_amount(months: Fraction, month_length: int = 30) -> str:
    """Months as '1 år 7 mnd 12 dager' (see `durations.split_months`); 0 is '0 mnd'."""
    years, rest, days = split_months(months, month_length)
    text = format_months(years * 12 + rest) if years or rest or not days else ""
    if days:
        unit = _("dag") if days == 1 else _("dager")
        text = f"{text} {days} {unit}".strip()
    return text


@dataclass
class Tally:
    """Credited months per category (uncapped); `month_length` is the length of the month of
    the evaluation date, used only to show a part month in days."""

    rules: RuleValues
    amounts: dict[str, Fraction] = field(
        default_factory=lambda: dict.fromkeys(CATEGORIES, Fraction(0))
    )
    month_length: int = 30

    def months(self, key: str) -> Fraction:
        """Credited months of `key`, uncapped (the total: see `counted`)."""
        if key == "total":
            return self.counted("total")
        return self.amounts[key]

    def counted(self, key: str) -> Fraction:
        """Months that count: open practice and other general practice up to their caps; the
        total is the sum of the counted months of the three arenas."""
        return counted_months(self.amounts, self.rules, key)

    def show(self, key: str, months: Fraction | None = None) -> str:
        return format_amount(self.counted(key) if months is None else months, self.month_length)


def counted_months(amounts: dict[str, Fraction], rules: RuleValues, key: str) -> Fraction:
    if key == "total":
        return sum(
            (counted_months(amounts, rules, k) for k in (OPEN, INSTITUTION, OTHER_GP)), Fraction(0)
        )
    cap = {OPEN: rules.open_practice_max_months, OTHER_GP: rules.other_practice_max_months}.get(key)
    months = amounts[key]
    return months if cap is None else min(months, Fraction(cap))


def _future_periods(
    periods: Sequence[Period], plan: Sequence[Period] | None, on: date, horizon: date
) -> list[Period]:
    """What fills the days after `on`: without a plan, the registered periods that go on; with
    a plan, the plan's periods after `on` and, once the plan ends, the current pace (the posts
    covering `on`, or the last ones served, continued without end)."""
    if plan is None:
        return [p for p in periods if p.end is None or p.end > on]
    future = [p for p in plan if p.end is None or p.end > on]
    if any(p.end is None for p in future):
        return future
    plan_end = max((p.end for p in future), default=on)
    return future + [replace(p, start=plan_end + ONE_DAY, end=None) for p in _pace(periods, on)]


def _pace(periods: Sequence[Period], on: date) -> list[Period]:
    """The posts that make the doctor's current pace: those covering `on`, or those covering
    the last day served before it (a leave going on today is not carried on for ever)."""
    served = [p for p in periods if p.start <= on and not p.is_leave]
    if not served:
        return []
    last = min(on, max(p.end or on for p in served))
    return [p for p in served if p.end is None or p.end >= last]


@dataclass(frozen=True)
class ServiceResult:
    actual: Tally
    reached: dict[str, date]  # day each minimum was reached, actual or projected


def service_progress(
    periods: Sequence[Period],
    rules: RuleValues,
    *,
    programme_start: date,
    on: date,
    plan: Sequence[Period] | None = None,
) -> ServiceResult:
    """Credited months per category up to `on`, and the day each minimum is (or will be)
    reached. Works on intervals (`durations.pieces`), never day by day."""
    options = {"min_percentage": rules.min_percentage, "scope": rules.min_percentage_scope}
    thresholds = {
        "total": rules.total_service_months,
        OPEN: rules.open_practice_min_months,
        INSTITUTION: rules.institution_min_months,
    }
    actual_periods = [p for p in periods if p.start <= on]
    zero = dict.fromkeys(CATEGORIES, Fraction(0))
    past_pieces: list = []
    if actual_periods:
        past_pieces = pieces(actual_periods, min(p.start for p in actual_periods), on, **options)
    # The running totals are summed once and asked for each minimum (`durations.Timeline`).
    past = Timeline(past_pieces, zero).read_all()
    totals = dict(past.after[-1]) if past.after else dict(zero)
    horizon = add_months(on, 12 * PROJECTION_YEARS)
    future_periods = _future_periods(periods, plan, on, horizon)
    if all(p.end is not None for p in future_periods):
        # Nothing counts after the last period ends: the pieces stop there.
        horizon = min(horizon, max((p.end for p in future_periods), default=on))
    future = Timeline(pieces(future_periods, on + ONE_DAY, horizon, **options), totals)
    reached: dict[str, date] = {}
    for key, months in thresholds.items():

        def value(amounts, key=key):
            return counted_months(amounts, rules, key)

        if value(totals) >= months:
            day = past.reach_day(value, Fraction(months))
        else:
            day = future.reach_day(value, Fraction(months))
        if day is not None:
            reached[key] = day
    tally = Tally(rules=rules, amounts=totals, month_length=days_in_month(on))
    return ServiceResult(actual=tally, reached=reached)


def _status(projected: date | None, on: date, target: date | None, over: bool) -> Status:
    """The one definition of the four statuses (see the module docstring)."""
    if projected is not None and projected <= on:
        return Status.MET
    if over:
        return Status.NOT_MET
    if projected is None or (target is not None and projected > target):
        return Status.AT_RISK
    return Status.ON_TRACK


def _minimum(
    key: str,
    label: str,
    months: int,
    result: ServiceResult,
    on: date,
    target: date | None,
    over: bool,
    note: str = "",
) -> Requirement:
    tally = result.actual
    have = tally.counted(key)
    text = _("%(have)s av %(need)s") % {
        "have": tally.show(key, have),
        "need": format_months(months),
    }
    projected = result.reached.get(key)
    status = _status(projected, on, target, over)
    if projected is None and status != Status.MET and not note:
        note = _("Verken planen eller dagens takt fører fram til kravet.")
    missing = max(Fraction(0), Fraction(months) - have)
    return Requirement(
        key,
        label,
        status,
        text,
        projected,
        note,
        credited=have,
        required=Fraction(months),
        missing=tally.show(key, missing) if missing else "",
    )


def _maximum(key: str, label: str, months: int | None, result: ServiceResult) -> Requirement:
    """A maximum is a cap: the row says how much counts; the excess is ignored, never a
    failure."""
    tally = result.actual
    have = tally.months(key)
    if months is None:
        return Requirement(key, label, Status.MET, tally.show(key, have), credited=have)
    counted = min(have, Fraction(months))
    text = _("%(have)s teller (høyst %(max)s)") % {
        "have": tally.show(key, counted),
        "max": format_months(months),
    }
    note = ""
    if have > months:
        note = _("%(all)s registrert; det som går ut over %(max)s, teller ikke med.") % {
            "all": tally.show(key, have),
            "max": format_months(months),
        }
    return Requirement(
        key, label, Status.MET, text, None, note, credited=counted, required=Fraction(months)
    )


# --- Supervision, group supervision, courses ----------------------------------------------------


def _on_pace(have, need, programme_start: date, on: date, target: date | None) -> bool:
    """Does the pace so far (amount per calendar month since the programme start) reach `need`
    by `target`? Without a target there is no time left to count on."""
    if have >= need:
        return True
    elapsed = months_elapsed(programme_start, on + ONE_DAY)
    if not have or not elapsed or target is None or target <= on:
        return False
    left = months_elapsed(on + ONE_DAY, target + ONE_DAY)
    return Fraction(have) + Fraction(have) / elapsed * left >= need


def _hours_status(done: bool, over: bool, on_pace: bool) -> Status:
    if done:
        return Status.MET
    if over:
        return Status.NOT_MET
    return Status.ON_TRACK if on_pace else Status.AT_RISK


def _supervision(
    sessions: Sequence[SupervisionSession] | None,
    periods: Sequence[Period],
    rules: RuleValues,
    programme_start: date,
    on: date,
    completed: date | None,
    over: bool,
    computed: dict,
) -> Requirement:
    label = _("Individuell veiledning")
    if sessions is None:
        return Requirement("supervision", label, Status.NOT_RECORDED, _("Ikke registrert ennå"))
    end = min(on, completed) if completed else on
    compliance = supervision_compliance(
        sessions, rules, programme_start=programme_start, on=end, periods=periods
    )
    computed.update(compliance=compliance, compliance_until=end)
    hours, required = compliance.hours, compliance.required
    text = _("%(have)s av %(need)s hittil (snitt %(rate)s per måned i %(months)s mnd per år)") % {
        "have": format_hours(hours),
        "need": format_hours(required),
        "rate": format_hours(rules.supervision_hours_per_month),
        "months": format_decimal(rules.supervision_months_per_year),
    }
    enough = hours >= required
    # Supervision is owed month by month: on track = not behind; met = the programme is over
    # with enough hours.
    status = _hours_status(bool(completed) and enough, over and not enough, enough)
    missing = "" if enough else format_hours(required - hours)
    note = "" if enough else _("Ligger %(h)s etter.") % {"h": missing}
    return Requirement(
        "supervision",
        label,
        status,
        text,
        None,
        note,
        credited=hours,
        required=required,
        missing=missing,
    )


def group_months_needed(months: int, rules: RuleValues) -> int:
    """Calendar months with meetings needed for `months` of group supervision (10.5 a year)."""
    return math.ceil(Fraction(months) * Fraction(rules.supervision_months_per_year) / 12)


def _group(
    sessions: Sequence[GroupSession] | None,
    rules: RuleValues,
    programme_start: date,
    on: date,
    over: bool,
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
    # "x av y" counts up to the target, never past it ("11 av 11", not "12 av 11"); what was
    # registered beyond a target is said in a note.
    text = _(
        "%(m)s av %(nm)s mnd med møter, %(h)s av %(nh)s, %(o)s av %(no)s mnd i åpen praksis"
    ) % {
        "m": min(len(months), need_months),
        "nm": need_months,
        "h": format_hours(min(hours, Fraction(rules.group_supervision_hours))),
        "nh": format_hours(rules.group_supervision_hours),
        "o": min(len(open_months), need_open),
        "no": need_open,
    }
    beyond = []
    if len(months) > need_months:
        beyond.append(_("%(n)s mnd med møter") % {"n": len(months)})
    if hours > rules.group_supervision_hours:
        beyond.append(format_hours(hours))
    if len(open_months) > need_open:
        beyond.append(_("%(n)s mnd i åpen praksis") % {"n": len(open_months)})
    registered = _("Registrert i alt: %(what)s.") % {"what": ", ".join(beyond)} if beyond else ""
    missing = []
    if len(months) < need_months:
        missing.append(_("%(n)s mnd med møter") % {"n": need_months - len(months)})
    if hours < rules.group_supervision_hours:
        missing.append(format_hours(rules.group_supervision_hours - hours))
    if len(open_months) < need_open:
        missing.append(
            _("%(n)s mnd i åpen uselektert allmennpraksis") % {"n": need_open - len(open_months)}
        )
    share = Fraction(len(months), need_months) if need_months else Fraction(1)
    common = {"credited": min(share, Fraction(1)), "required": Fraction(1)}
    if not missing:
        return Requirement("group", label, Status.MET, text, None, registered, **common)
    note = _("Mangler: %(what)s.") % {"what": ", ".join(missing)}
    note = f"{note} {registered}".strip()
    on_pace = _on_pace(len(months), need_months, programme_start, on, target) and _on_pace(
        hours, rules.group_supervision_hours, programme_start, on, target
    )
    status = _hours_status(False, over, on_pace)
    return Requirement(
        "group", label, status, text, None, note, missing=", ".join(missing), **common
    )


COURSE_NAMES = {
    CourseKind.ACUTE: gettext_lazy("kurs i akuttmedisin"),
    CourseKind.VIOLENCE: gettext_lazy("kurs i vold og overgrep"),
}
COURSE_SHORT = {
    CourseKind.ACUTE: gettext_lazy("akuttmedisin"),
    CourseKind.VIOLENCE: gettext_lazy("vold og overgrep"),
}


def _course_name(kind: str, names=COURSE_NAMES) -> str:
    if kind in names:
        return str(names[kind])
    return _("grunnkurs %(k)s") % {"k": kind}


def required_course_kinds(rules: RuleValues, out_of_hours: bool) -> tuple[str, ...]:
    """The courses this doctor must have: acute medicine when the rule set asks it of everyone,
    and the out-of-hours courses when the doctor has out-of-hours work (legevakt)."""
    kinds = [CourseKind.ACUTE.value] if rules.acute_course_required else []
    if out_of_hours:
        kinds += [k for k in rules.out_of_hours_courses if k not in kinds]
    return tuple(kinds)


def _recommended_courses(courses: Sequence[Course] | None, rules: RuleValues, on: date):
    """The recommended courses with their progress. A recommendation is never a requirement:
    the row is "Anbefalt" until everything recommended is done, never at risk or not met, and
    it takes no part in the finish date."""
    label = _("Anbefalte kurs")
    if courses is None:
        return Requirement("courses", label, Status.NOT_RECORDED, _("Ikke registrert ennå"))
    taken = [c for c in courses if c.day is None or c.day <= on]
    kinds = {c.kind for c in taken}
    basic = [k for k in rules.basic_courses if k in kinds]
    topics = [
        c for c in taken if c.kind == CourseKind.TOPIC and c.hours >= rules.topic_course_min_hours
    ]
    acute = CourseKind.ACUTE in kinds
    parts = [
        _("grunnkurs %(n)s av %(of)s") % {"n": len(basic), "of": len(rules.basic_courses)},
        _("akuttmedisin") + (" ✓" if acute else " –"),
        _("emnekurs %(n)s av %(of)s")
        % {"n": min(len(topics), rules.topic_courses_min), "of": rules.topic_courses_min},
    ]
    text = ", ".join(parts)
    text = text[:1].upper() + text[1:]
    needed = len(rules.basic_courses) + 1 + rules.topic_courses_min
    done = len(basic) + acute + min(len(topics), rules.topic_courses_min)
    missing = []
    if len(basic) < len(rules.basic_courses):
        missing.append(
            _("grunnkurs %(list)s")
            % {"list": ", ".join(k for k in rules.basic_courses if k not in kinds)}
        )
    if not acute:
        missing.append(str(COURSE_NAMES[CourseKind.ACUTE]))
    if len(topics) < rules.topic_courses_min:
        missing.append(
            _("%(n)s emnekurs på minst %(h)s timer")
            % {"n": rules.topic_courses_min - len(topics), "h": rules.topic_course_min_hours}
        )
    common = {"credited": Fraction(done), "required": Fraction(needed)}
    if not missing:
        return Requirement("courses", label, Status.MET, text, **common)
    note = _("Anbefalt, ikke et krav: påvirker verken status eller ferdigdato. Gjenstår: %(what)s.")
    note %= {"what": "; ".join(missing)}
    return Requirement(
        "courses",
        label,
        Status.RECOMMENDED,
        text,
        None,
        note,
        missing="; ".join(missing),
        **common,
    )


def _required_courses(
    courses: Sequence[Course] | None,
    rules: RuleValues,
    programme_start: date,
    on: date,
    over: bool,
    target: date | None,
    out_of_hours: bool,
) -> Requirement | None:
    """The courses the doctor must have (`required_course_kinds`), counted like any
    requirement; None when none is required of this doctor."""
    required = required_course_kinds(rules, out_of_hours)
    if not required:
        return None
    key, reason = "required_courses", "legevakt" if out_of_hours else ""
    label = _("Kurs som kreves for legevaktarbeid") if out_of_hours else _("Kurs som kreves")
    if courses is None:
        return Requirement(
            key, label, Status.NOT_RECORDED, _("Ikke registrert ennå"), reason=reason
        )
    kinds = {c.kind for c in courses if c.day is None or c.day <= on}
    text = ", ".join(
        _course_name(k, COURSE_SHORT) + (" ✓" if k in kinds else " –") for k in required
    )
    text = text[:1].upper() + text[1:]
    done = sum(1 for k in required if k in kinds)
    common = {"credited": Fraction(done), "required": Fraction(len(required)), "reason": reason}
    missing_kinds = tuple(k for k in required if k not in kinds)
    missing = "; ".join(_course_name(k) for k in missing_kinds)
    if not missing:
        return Requirement(key, label, Status.MET, text, **common)
    note = _("Mangler: %(what)s.") % {"what": missing}
    on_pace = _on_pace(done, len(required), programme_start, on, target)
    status = _hours_status(False, over, on_pace)
    return Requirement(
        key, label, status, text, None, note, missing=missing, missing_kinds=missing_kinds, **common
    )


def has_out_of_hours(periods: Sequence[Period], plan: Sequence[Period] | None = None) -> bool:
    """Out-of-hours work (legevakt) in the doctor's service or plan, leave aside."""
    return any(
        p.arena == ArenaType.OUT_OF_HOURS and not p.is_leave for p in [*periods, *(plan or [])]
    )


def institution_placement(rules: RuleValues, programme_start: date) -> str:
    """Where in the programme the institution service may lie, in one sentence: the same words
    on the requirement page and in the hospital booking's refusal."""
    if rules.institution_from_month is None:
        return _("Institusjonstjenesten kan ligge hvor som helst i løpet.")
    day = institution_earliest_start(rules, programme_start)
    return _(
        "Institusjonstjenesten kan tidligst starte %(day)s (%(months)s etter start i "
        "spesialisering)."
    ) % {
        "day": f"{day.day:02d}.{day.month:02d}.{day.year}",
        "months": format_months(rules.institution_from_month),
    }


def institution_earliest_start(rules: RuleValues, programme_start: date) -> date | None:
    if rules.institution_from_month is None:
        return None
    return add_months(programme_start, rules.institution_from_month)


# --- Entry points --------------------------------------------------------------------------------

SERVICE_MINIMA = ("total", OPEN, INSTITUTION)


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
    the plan (when given, then the current pace) or the current pace. `target` is the approved
    plan's completion date, if any. Statuses: see the module docstring."""
    result = service_progress(periods, rules, programme_start=programme_start, on=on, plan=plan)
    total_done = result.reached.get("total")
    part_target = target or total_done
    completed = total_done if total_done and total_done <= on else None
    over = bool(completed) or (target is not None and target < on)
    open_note = ""
    if rules.open_practice_max_months is not None and (
        result.actual.months(OPEN) > rules.open_practice_max_months
    ):
        open_note = _("%(all)s registrert; høyst %(max)s teller med.") % {
            "all": result.actual.show(OPEN, result.actual.months(OPEN)),
            "max": format_months(rules.open_practice_max_months),
        }
    out_of_hours = has_out_of_hours(periods, plan)
    computed: dict = {}  # the supervision compliance, kept for the caller
    requirements = [
        _minimum(
            "total",
            _("Samlet tjeneste"),
            rules.total_service_months,
            result,
            on,
            target,
            over=bool(target is not None and target < on),
        ),
        _minimum(
            OPEN,
            _("Åpen uselektert allmennpraksis"),
            rules.open_practice_min_months,
            result,
            on,
            part_target,
            over,
            open_note,
        ),
        _maximum(
            OTHER_GP,
            _("Annen allmennmedisinsk tjeneste"),
            rules.other_practice_max_months,
            result,
        ),
        _minimum(
            INSTITUTION,
            _("Institusjonstjeneste"),
            rules.institution_min_months,
            result,
            on,
            part_target,
            over,
        ),
        _supervision(supervision, periods, rules, programme_start, on, completed, over, computed),
        _group(group, rules, programme_start, on, over, part_target),
        _recommended_courses(courses, rules, on),
    ]
    required = _required_courses(
        courses, rules, programme_start, on, over, part_target, out_of_hours
    )
    if required is not None:
        requirements.insert(len(requirements) - 1, required)
    # Where the institution service may lie, while it is still to be served: the rule set's
    # reading, in the words the hospital booking uses when it refuses a module.
    requirements = [
        replace(r, note=f"{r.note} {institution_placement(rules, programme_start)}".strip())
        if r.key == INSTITUTION and r.status != Status.MET
        else r
        for r in requirements
    ]
    minima = {k: result.reached.get(k) for k in SERVICE_MINIMA}
    if None in minima.values():
        # What blocks the date: the missing part before the total it makes impossible.
        blocking = (INSTITUTION, OPEN, "total")
        projected, decided_by = None, next(k for k in blocking if minima[k] is None)
    else:
        decided_by = max(SERVICE_MINIMA, key=lambda k: (minima[k], k == "total"))
        projected = minima[decided_by]
    return Evaluation(rules, on, requirements, projected, decided_by, **computed)


def evaluate_plan(
    rules: RuleValues, *, programme_start: date, plan: Sequence[Period]
) -> Evaluation:
    """Does the plan on its own meet the service requirements, and when? Every planned period
    is taken as served; statuses are met or not met."""
    on = programme_start - ONE_DAY
    result = service_progress([], rules, programme_start=programme_start, on=on, plan=plan)
    full = Tally(rules=rules)
    if plan:
        last = max((p.end for p in plan if p.end), default=add_months(on, 12 * PROJECTION_YEARS))
        if any(p.end is None for p in plan):
            last = add_months(on, 12 * PROJECTION_YEARS)
        for piece in pieces(
            plan,
            min(p.start for p in plan),
            last,
            min_percentage=rules.min_percentage,
            scope=rules.min_percentage_scope,
        ):
            for key, value in piece.months().items():
                full.amounts[key] += value
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
    requirements.append(
        Requirement(
            OTHER_GP,
            _("Annen allmennmedisinsk tjeneste"),
            Status.MET,
            _("Planen gir %(have)s, høyst %(max)s teller")
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


def service_months_by_month(
    periods: Sequence[Period], rules: RuleValues, first: date, last: date
) -> dict[date, Fraction]:
    """Months of service in the programme per calendar month (keyed on its first day) for the
    days `first`..`last`: the credited months of open practice, institution and other general
    practice, uncapped (part-time proportional, leave excluded, the rule set's minimum
    percentage applied; `plans.durations`). Service credited from before the programme and
    arena "annet" are not service in the programme."""
    served = [p for p in periods if not p.credited]
    months: dict[date, Fraction] = {}
    for piece in pieces(
        served,
        first,
        last,
        min_percentage=rules.min_percentage,
        scope=rules.min_percentage_scope,
    ):
        amounts = piece.months()
        key = _first_of_month(piece.start)
        months[key] = months.get(key, Fraction(0)) + sum(
            (amounts[k] for k in (OPEN, INSTITUTION, OTHER_GP)), Fraction(0)
        )
    return months


def supervision_compliance(
    sessions: Sequence[SupervisionSession],
    rules: RuleValues,
    *,
    programme_start: date,
    on: date,
    periods: Sequence[Period],
) -> Compliance:
    """Individual supervision per calendar month and year from the programme start to `on`.

    The requirement accrues per month of service in the programme, not per calendar month:
    hours per month × months per year / 12 (4 × 10.5 / 12 = 3.5 h) for each month served
    full time (`service_months_by_month`: a part month pro rata by days, part-time in
    proportion, no requirement for days of leave). A year's requirement is the sum of its
    months. Behind = the running total is below the running requirement at the end of the
    month or year."""
    rate = Fraction(rules.supervision_hours_per_month) * Fraction(rules.supervision_months_per_year)
    rate /= 12
    # Hours written as decimals are summed per month exactly as decimals, then made a Fraction
    # once; any other number is made a Fraction first.
    written: dict[date, Decimal] = {}
    by_month: dict[date, Fraction] = {}
    for s in sessions:
        if programme_start <= s.day <= on:
            key = _first_of_month(s.day)
            if isinstance(s.hours, Decimal | int):
                written[key] = written.get(key, 0) + s.hours
            else:
                by_month[key] = by_month.get(key, Fraction(0)) + Fraction(s.hours)
    for key, hours in written.items():
        by_month[key] = by_month.get(key, Fraction(0)) + Fraction(hours)
    served = service_months_by_month(periods, rules, programme_start, on)
    months: list[CompliancePeriod] = []
    zero = cumulative = need = Fraction(0)
    month = _first_of_month(programme_start)
    while on >= programme_start and month <= on:
        service = served.get(month)
        required = rate * service if service else zero
        hours = by_month.get(month, zero)
        if hours:
            cumulative += hours
        if required:
            need += required
        months.append(CompliancePeriod(month, hours, required, cumulative, need))
        month = add_months(month, 1)
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
