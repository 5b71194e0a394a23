"""Reads of the catalogue, the rule sets and a doctor's service for the rules engine."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from offices.dates import short_date
from offices.numbers import format_decimal
from offices.vocabularies import INSTITUTION_ARENAS, ArenaType
from trainees import selectors as trainee_selectors
from trainees.models import (
    CourseRecord,
    GroupMeeting,
    Scheme,
    ServicePeriod,
    SupervisionSession,
    Trainee,
)

from .models import (
    Catalogue,
    LearningGoal,
    PlannedArena,
    PlannedCourse,
    PlanVersion,
    RuleSet,
)
from .rules import Course, GroupSession, Period, add_months
from .rules import SupervisionSession as Session

# Fields compared between two versions of a goal, in the order they are shown.
COMPARED_FIELDS = (
    "title",
    "theme",
    "learning_activities",
    "typical_arena",
    "valid_from",
    "valid_to",
)


def catalogues_overview() -> QuerySet[Catalogue]:
    return Catalogue.objects.select_related("imported_by").annotate(goal_count=Count("goals"))


def catalogue_get(pk: int) -> Catalogue:
    return get_object_or_404(catalogues_overview(), pk=pk)


def goals_for_catalogue(catalogue: Catalogue, *, query: str = "") -> QuerySet[LearningGoal]:
    qs = LearningGoal.objects.filter(catalogue=catalogue)
    if query:
        query = query.strip()
        qs = qs.filter(
            Q(code__icontains=query) | Q(title__icontains=query) | Q(theme__icontains=query)
        )
    return qs.order_by("theme", "code")


@dataclass
class GoalChange:
    code: str
    old: LearningGoal
    new: LearningGoal
    fields: list[tuple[str, object, object]]  # (verbose name, old value, new value)


@dataclass
class CatalogueDiff:
    old: Catalogue
    new: Catalogue
    added: list[LearningGoal] = field(default_factory=list)
    removed: list[LearningGoal] = field(default_factory=list)
    changed: list[GoalChange] = field(default_factory=list)
    unchanged: int = 0


def _shown(goal: LearningGoal, name: str):
    if name == "typical_arena":
        return goal.get_typical_arena_display()
    return getattr(goal, name)


def catalogue_compare(old: Catalogue, new: Catalogue) -> CatalogueDiff:
    """Goals added, removed and changed (field by field) from `old` to `new`, by code."""
    before = {g.code: g for g in LearningGoal.objects.filter(catalogue=old)}
    after = {g.code: g for g in LearningGoal.objects.filter(catalogue=new)}
    diff = CatalogueDiff(old=old, new=new)
    diff.added = [after[c] for c in sorted(set(after) - set(before))]
    diff.removed = [before[c] for c in sorted(set(before) - set(after))]
    for code in sorted(set(before) & set(after)):
        a, b = before[code], after[code]
        fields = [
            (LearningGoal._meta.get_field(n).verbose_name, _shown(a, n), _shown(b, n))
            for n in COMPARED_FIELDS
            if getattr(a, n) != getattr(b, n)
        ]
        if fields:
            diff.changed.append(GoalChange(code, a, b, fields))
        else:
            diff.unchanged += 1
    return diff


# --- Rules ---------------------------------------------------------------------------------------


def choose_rule_set(rule_sets, scheme: str, on: date) -> RuleSet | None:
    """The rule set in force for a doctor's scheme on `on`, out of `rule_sets`. A doctor
    converted from the old scheme follows the new one. When none is valid on the day (e.g.
    after the old scheme's last date), the latest that started before it applies."""
    rule_scheme = Scheme.OLD if scheme == Scheme.OLD else Scheme.NEW
    candidates = sorted(
        (r for r in rule_sets if r.scheme == rule_scheme and r.valid_from <= on),
        key=lambda r: (r.valid_from, r.pk),
        reverse=True,
    )
    current = [r for r in candidates if r.valid_to is None or r.valid_to >= on]
    return (current or candidates or [None])[0]


def rule_set_for(scheme: str, on: date) -> RuleSet | None:
    """The rule set in force for a doctor's scheme on `on` (see `choose_rule_set`)."""
    return choose_rule_set(RuleSet.objects.filter(valid_from__lte=on), scheme, on)


def service_periods_for(trainee: Trainee) -> list[Period]:
    periods = ServicePeriod.objects.filter(office=trainee.office_id, trainee=trainee).order_by(
        "start"
    )
    return [
        Period(p.start, p.end, p.percentage, p.arena, is_leave=p.is_leave, credited=p.credited)
        for p in periods
    ]


# --- Individual education plans -------------------------------------------------------------------

REVISION_MONTHS = 12

# Fields of a plan version compared field by field, in the order they are shown.
VERSION_COMPARED = (
    "prior_competence",
    "institution_module",
    "institution_place",
    "institution_start",
    "veileder",
    "supervisors",
    "group",
    "target_completion",
    "note",
)


def plan_versions(trainee: Trainee) -> list[PlanVersion]:
    """Every version of the doctor's plan, newest first, with their content loaded."""
    return list(
        PlanVersion.objects.filter(office=trainee.office_id, plan__trainee=trainee)
        .select_related(
            "created_by",
            "acknowledged_by",
            "approved_by",
            "veileder__supervisor",
            "group",
        )
        .prefetch_related(
            "credited_goals",
            Prefetch(
                "arenas",
                queryset=PlannedArena.objects.filter(office=trainee.office_id).prefetch_related(
                    "goals"
                ),
            ),
            Prefetch("courses", queryset=PlannedCourse.objects.filter(office=trainee.office_id)),
        )
        .order_by("-number")
    )


def plans_awaiting_approval(office, municipality_ids: set[int] | None) -> QuerySet[PlanVersion]:
    """Plan versions the doctor has acknowledged and no leader has approved yet, oldest
    acknowledgement first (the leader inbox counts the same rows)."""
    versions = PlanVersion.objects.filter(
        office=office, acknowledged_at__isnull=False, approved_at__isnull=True
    )
    if municipality_ids is not None:
        versions = versions.filter(plan__trainee__municipality_id__in=municipality_ids)
    return versions.select_related("plan__trainee__municipality", "created_by").order_by(
        "acknowledged_at", "pk"
    )


def plan_version_get(trainee: Trainee, number: int) -> PlanVersion:
    for version in plan_versions(trainee):
        if version.number == number:
            return version
    raise Http404


def revision_due(versions: list[PlanVersion], today: date) -> bool:
    """A revision is due when the latest approved version was approved more than 12 months
    ago (calendar months). A newer version still waiting for approval does not stop the
    reminder: the revision is done when the leader has approved it."""
    approved = [v for v in versions if v.approved_at]
    if not approved:
        return False
    latest = max(approved, key=lambda v: v.number)
    return add_months(timezone.localdate(latest.approved_at), REVISION_MONTHS) < today


def _version_value(version: PlanVersion, name: str) -> str:
    if name == "veileder":
        return version.veileder_display
    if name == "group":
        return version.group_display
    if name == "institution_module":
        return version.get_institution_module_display() or ""
    value = getattr(version, name)
    if isinstance(value, date):
        return short_date(value)
    return "" if value is None else str(value)


def _arena_key(arena: PlannedArena) -> tuple:
    return (arena.arena, arena.place)


def _arena_text(arena: PlannedArena) -> str:
    goals = ", ".join(sorted(g.code for g in arena.goals.all()))
    text = (
        f"{arena.get_arena_display()} {arena.place}: "
        f"{short_date(arena.start)}–{short_date(arena.end)}, "
        f"{arena.percentage} %"
    )
    return f"{text} ({goals})" if goals else text


def _course_text(course: PlannedCourse) -> str:
    text = f"{course.get_kind_display()} {course.title}".strip()
    text += ", " + _("%(h)s t") % {"h": format_decimal(course.hours)}
    return text + (f", {short_date(course.planned)}" if course.planned else "")


@dataclass
class ListDiff:
    label: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[tuple[str, str]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


@dataclass
class PlanDiff:
    old: PlanVersion
    new: PlanVersion
    fields: list[tuple[str, str, str]]
    lists: list[ListDiff]

    @property
    def empty(self) -> bool:
        return not self.fields and all(d.empty for d in self.lists)


def _keyed_diff(label: str, before: dict, after: dict) -> ListDiff:
    diff = ListDiff(label)
    diff.added = [after[k] for k in after if k not in before]
    diff.removed = [before[k] for k in before if k not in after]
    diff.changed = [(before[k], after[k]) for k in before if k in after and before[k] != after[k]]
    return diff


def plan_compare(old: PlanVersion, new: PlanVersion) -> PlanDiff:
    """What changed from `old` to `new`: fields, and arenas, courses and goals added, removed
    and changed (arenas keyed by arena and place, courses by kind and title)."""
    fields = []
    for name in VERSION_COMPARED:
        a, b = _version_value(old, name), _version_value(new, name)
        if a != b:
            fields.append((str(PlanVersion._meta.get_field(name).verbose_name), a, b))
    arenas = _keyed_diff(
        str(_("Arenaer")),
        {_arena_key(a): _arena_text(a) for a in old.arenas.all()},
        {_arena_key(a): _arena_text(a) for a in new.arenas.all()},
    )
    courses = _keyed_diff(
        str(_("Kurs")),
        {(c.kind, c.title): _course_text(c) for c in old.courses.all()},
        {(c.kind, c.title): _course_text(c) for c in new.courses.all()},
    )

    def goal_codes(version):
        codes = {g.code: str(g) for a in version.arenas.all() for g in a.goals.all()}
        codes.update({g.code: str(g) for g in version.credited_goals.all()})
        return codes

    goals = _keyed_diff(str(_("Læringsmål")), goal_codes(old), goal_codes(new))
    return PlanDiff(old, new, fields, [arenas, courses, goals])


def plan_periods(version: PlanVersion | None) -> list[Period] | None:
    """The version's planned arenas (and the institution period) as the rules engine's periods;
    None when the plan has no periods (the engine then projects from the current pace)."""
    if version is None:
        return None
    periods = [Period(a.start, a.end, a.percentage, a.arena) for a in version.arenas.all()]
    if version.institution_start and version.institution_module:
        end = add_months(version.institution_start, version.institution_module) - timedelta(days=1)
        if not any(a.arena in INSTITUTION_ARENAS for a in version.arenas.all()):
            periods.append(Period(version.institution_start, end, 100, ArenaType.INSTITUTION))
    return periods or None


# --- Supervision measured by the rules (the log itself is the trainees app's) ----------------


def supervision_inputs(trainee: Trainee, periods=None):
    """The doctor's sessions and group attendance as the rules engine's records. A group
    meeting counts as in open practice when an open-practice period covers its day."""
    sessions = [
        Session(day, hours)
        for day, hours in SupervisionSession.objects.filter(
            office=trainee.office_id, trainee=trainee
        ).values_list("day", "hours")
    ]
    periods = list(
        periods if periods is not None else trainee_selectors.periods_for_trainee(trainee)
    )
    attended = trainee_selectors.group_attendance_for_trainee(trainee)
    return sessions, group_sessions(attended.values_list("day", "hours"), periods)


def group_sessions(meetings, periods) -> list[GroupSession]:
    """(day, hours) of the group meetings a doctor attended, each marked in open practice when
    one of the doctor's open-practice posts (not leave) covers its day."""
    open_periods = [
        p for p in periods if p.arena == ArenaType.OPEN_GENERAL_PRACTICE and not p.is_leave
    ]

    def in_open(day):
        return any(p.start <= day and (p.end is None or p.end >= day) for p in open_periods)

    return [GroupSession(day, hours, in_open(day)) for day, hours in meetings]


@dataclass
class StandingInputs:
    """What the rules engine needs of one doctor (`plans.standing`)."""

    periods: list[Period] = field(default_factory=list)
    sessions: list[Session] = field(default_factory=list)
    group: list[GroupSession] = field(default_factory=list)
    courses: list[Course] = field(default_factory=list)
    approved: PlanVersion | None = None  # the latest approved plan version
    rule_set: RuleSet | None = None


def standing_inputs(trainees, on: date) -> dict[int, StandingInputs]:
    """The inputs of every doctor in `trainees`, by id, read in a fixed number of queries
    whatever the number of doctors, periods, sessions or plan versions (eight: rule sets,
    periods, sessions, group meetings, courses, latest approved plan versions and their
    arenas)."""
    trainees = list(trainees)
    if not trainees:
        return {}
    ids = [t.pk for t in trainees]
    offices = {t.office_id for t in trainees}
    inputs = {pk: StandingInputs() for pk in ids}
    rule_sets = list(RuleSet.objects.filter(valid_from__lte=on))
    for t in trainees:
        inputs[t.pk].rule_set = choose_rule_set(rule_sets, t.scheme, on)
    for p in ServicePeriod.objects.filter(office__in=offices, trainee__in=ids).order_by(
        "start", "pk"
    ):
        inputs[p.trainee_id].periods.append(
            Period(p.start, p.end, p.percentage, p.arena, is_leave=p.is_leave, credited=p.credited)
        )
    for pk, day, hours in SupervisionSession.objects.filter(
        office__in=offices, trainee__in=ids
    ).values_list("trainee_id", "day", "hours"):
        inputs[pk].sessions.append(Session(day, hours))
    meetings: dict[int, list] = {pk: [] for pk in ids}
    # Attendance is the doctor's: meetings held by another office (before a transfer) count.
    for pk, day, hours in (
        GroupMeeting.objects.with_scopes_disabled()
        .filter(attendees__in=ids)
        .values_list("attendees", "day", "hours")
    ):
        meetings[pk].append((day, hours))
    for pk in ids:
        inputs[pk].group = group_sessions(meetings[pk], inputs[pk].periods)
    for pk, kind, hours, day in CourseRecord.objects.filter(
        office__in=offices, trainee__in=ids
    ).values_list("trainee_id", "kind", "hours", "completed_on"):
        inputs[pk].courses.append(Course(kind, hours, day))
    latest = (
        PlanVersion.objects.filter(plan=OuterRef("plan"), approved_at__isnull=False)
        .order_by("-number")
        .values("pk")[:1]
    )
    versions = (
        PlanVersion.objects.filter(office__in=offices, plan__trainee__in=ids)
        .filter(pk=Subquery(latest))
        .select_related("plan")
        .prefetch_related(
            Prefetch("arenas", queryset=PlannedArena.objects.filter(office__in=offices))
        )
    )
    for version in versions:
        inputs[version.plan.trainee_id].approved = version
    return inputs
