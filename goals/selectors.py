"""Reads for goal progress and sign-off. Each returns everything its page needs in a fixed
number of queries, whatever the number of goals, activities or doctors."""

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from goals.models import (
    ActivitySignoff,
    GoalAdvice,
    GoalProgress,
    GoalStatus,
    LearningActivity,
)
from offices import clock
from plans.models import Catalogue, LearningGoal
from plans.standing import standings
from trainees.models import SupervisorAssignment, Trainee

from .services import missing_advice

PROGRAMME_YEARS = 5


@dataclass(frozen=True)
class AchievedGoal:
    """One line of the document, as approved (a snapshot: later edits do not change it)."""

    code: str
    title: str
    approved_on: date
    approved_by: str
    veileder_advice: str = ""
    supervisor_advice: str = ""

    def as_json(self) -> dict:
        data = asdict(self)
        data["approved_on"] = self.approved_on.isoformat()
        return data


def current_goals():
    """The goals of the newest catalogue of each kind (ALM, FKM)."""
    # A correlated subquery rather than DISTINCT ON, so the SQLite demo works as well.
    newest = (
        Catalogue.objects.filter(kind=OuterRef("catalogue__kind"))
        .order_by("-valid_from", "-imported_at")
        .values("pk")[:1]
    )
    return LearningGoal.objects.filter(catalogue=Subquery(newest)).order_by("code")


def _advice_prefetch():
    return Prefetch("advice", queryset=GoalAdvice.objects.order_by("given_at"))


@dataclass
class GoalRow:
    goal: LearningGoal
    progress: GoalProgress | None
    activity_count: int = 0
    unsigned_count: int = 0

    @property
    def status(self) -> str:
        return self.progress.status if self.progress else GoalStatus.NOT_STARTED

    @property
    def status_label(self) -> str:
        return GoalStatus(self.status).label

    @property
    def missing(self) -> list[str]:
        if self.status != GoalStatus.SUBMITTED:
            return []
        return missing_advice(self.progress, self.progress.advice.all())


@dataclass
class TraineeProgress:
    trainee: Trainee
    themes: list[tuple[str, list[GoalRow]]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    total: int = 0
    waiting: list[str] = field(default_factory=list)

    @property
    def approved(self) -> int:
        return self.counts.get(GoalStatus.APPROVED, 0)

    @property
    def share(self) -> int:
        return round(100 * self.approved / self.total) if self.total else 0


def progress_filtered(progress: TraineeProgress, *, status: str = "", text: str = "") -> list:
    """The goal list narrowed to one status and/or a word in the code or title (89 goals make
    a long page); themes left without a goal are left out."""
    text = text.strip().lower()
    themes = []
    for theme, rows in progress.themes:
        kept = [
            row
            for row in rows
            if (not status or row.status == status)
            and (not text or text in row.goal.code.lower() or text in row.goal.title.lower())
        ]
        if kept:
            themes.append((theme, kept))
    return themes


def trainee_progress(office, trainee) -> TraineeProgress:
    """Goals by theme with status, counts and what waits on whom (5 queries)."""
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    # Goals of the current catalogues, plus older-version goals the doctor already worked on
    # (plans made on an old catalogue version keep working).
    worked_on = GoalProgress.objects.filter(office=office, trainee=trainee).values("goal_id")
    goals = list(
        LearningGoal.objects.filter(
            Q(pk__in=current_goals().values("pk")) | Q(pk__in=worked_on)
        ).order_by("code", "catalogue_id")
    )
    progress = {
        p.goal_id: p
        for p in GoalProgress.objects.filter(office=office, trainee=trainee).prefetch_related(
            _advice_prefetch()
        )
    }
    per_goal = defaultdict(lambda: [0, 0])
    rows = LearningActivity.goals.through.objects.filter(
        learningactivity__office=office, learningactivity__trainee=trainee
    ).annotate(
        signed=Exists(ActivitySignoff.objects.filter(activity_id=OuterRef("learningactivity_id")))
    )
    unsigned = 0
    seen = set()
    for goal_id, activity_id, signed in rows.values_list(
        "learninggoal_id", "learningactivity_id", "signed"
    ):
        per_goal[goal_id][0] += 1
        if not signed:
            per_goal[goal_id][1] += 1
            if activity_id not in seen:
                unsigned += 1
        seen.add(activity_id)
    result = TraineeProgress(trainee=trainee, total=len(goals))
    themes: dict[str, list[GoalRow]] = defaultdict(list)
    counts: dict[str, int] = defaultdict(int)
    for goal in goals:
        row = GoalRow(goal, progress.get(goal.pk), *per_goal.get(goal.pk, (0, 0)))
        themes[goal.theme or _("Uten tema")].append(row)
        counts[row.status] += 1
        if row.status == GoalStatus.SUBMITTED:
            if row.missing:
                result.waiting.append(
                    _("%(code)s venter på %(what)s")
                    % {"code": goal.code, "what": ", ".join(m.lower() for m in row.missing)}
                )
            else:
                result.waiting.append(
                    _("%(code)s venter på godkjenning fra kommunen") % {"code": goal.code}
                )
        elif row.status == GoalStatus.RETURNED:
            result.waiting.append(_("%(code)s er returnert til legen") % {"code": goal.code})
    if unsigned:
        result.waiting.insert(
            0,
            ngettext(
                "%(n)s aktivitet venter på signering fra veileder/supervisør",
                "%(n)s aktiviteter venter på signering fra veileder/supervisør",
                unsigned,
            )
            % {"n": unsigned},
        )
    result.themes = list(themes.items())
    result.counts = dict(counts)
    return result


def activities_for_goal(office, trainee, goal):
    return (
        LearningActivity.objects.filter(office=office, trainee=trainee, goals=goal)
        .prefetch_related("signoffs")
        .order_by("-date", "-pk")
    )


def supervised_trainees(office, user, on: date | None = None) -> QuerySet:
    """The ids of the doctors `user` supervises on `on`, as a subquery (no query of its own)."""
    on = on or clock.today()
    return (
        SupervisorAssignment.objects.filter(office=office, supervisor__user=user, start__lte=on)
        .exclude(end__lt=on)
        .values("trainee_id")
    )


def activities_awaiting(office, user) -> QuerySet[LearningActivity]:
    """Activities of the doctors `user` supervises that `user` has not signed."""
    ids = supervised_trainees(office, user)
    return (
        LearningActivity.objects.filter(office=office, trainee_id__in=ids)
        .exclude(signoffs__signed_by=user)
        .select_related("trainee")
        .prefetch_related("goals")
        .order_by("trainee__last_name", "date", "pk")
    )


def goals_awaiting(office, user) -> QuerySet[GoalProgress]:
    """Submitted goals of the doctors `user` supervises without `user`'s advice."""
    ids = supervised_trainees(office, user)
    return (
        GoalProgress.objects.filter(office=office, trainee_id__in=ids, status=GoalStatus.SUBMITTED)
        .exclude(
            Exists(
                GoalAdvice.objects.filter(
                    progress_id=OuterRef("pk"),
                    submission=OuterRef("submission"),
                    given_by=user,
                )
            )
        )
        .select_related("trainee", "goal")
        .order_by("submitted_at", "pk")
    )


def supervisor_queue(office, user) -> dict:
    """What waits for a supervisor, in full (the weekly digest): activities they have not
    signed, goals without their advice."""
    return {
        "activities": list(activities_awaiting(office, user)),
        "goals": list(goals_awaiting(office, user)),
    }


def approval_queue(office, municipality_ids: set[int] | None):
    qs = GoalProgress.objects.filter(office=office, status=GoalStatus.SUBMITTED)
    if municipality_ids is not None:
        qs = qs.filter(trainee__municipality_id__in=municipality_ids)
    return (
        qs.select_related("trainee", "trainee__municipality", "goal")
        .prefetch_related(_advice_prefetch())
        .order_by("submitted_at", "pk")
    )


def progress_get(office, pk: int) -> GoalProgress:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        GoalProgress.objects.select_related("trainee", "trainee__municipality", "goal"),
        office=office,
        pk=pk,
    )


def progress_evidence(office, progress: GoalProgress) -> dict:
    """Everything the leader needs on one page: activities, sign-offs, advice (3 queries)."""
    advice = list(GoalAdvice.objects.filter(office=office, progress=progress).order_by("given_at"))
    current = [a for a in advice if a.submission == progress.submission]
    return {
        "activities": list(activities_for_goal(office, progress.trainee, progress.goal)),
        "advice": current,
        "earlier_advice": [a for a in advice if a.submission != progress.submission],
        "missing": missing_advice(progress, advice) if progress.status == "levert" else [],
        "history": list(progress.history.select_related("history_user").order_by("-history_date")),
    }


def approved_progress(office, trainee):
    return (
        GoalProgress.objects.filter(office=office, trainee=trainee, status=GoalStatus.APPROVED)
        .select_related("goal")
        .prefetch_related(_advice_prefetch())
        .order_by("goal__code")
    )


def achieved_goals_for(office, trainee) -> list[AchievedGoal]:
    """The doctor's approved goals, as lines of a confirmation (2 queries)."""
    goals = []
    for p in approved_progress(office, trainee):
        advice = [a for a in p.advice.all() if a.submission == p.submission]
        goals.append(
            AchievedGoal(
                code=p.goal.code,
                title=p.goal.title,
                approved_on=timezone.localdate(p.decided_at),
                approved_by=p.decided_by_name,
                veileder_advice="; ".join(a.text for a in advice if a.role == "veileder"),
                supervisor_advice="; ".join(a.text for a in advice if a.role == "supervisor"),
            )
        )
    return goals


@dataclass
class DoctorRisk:
    trainee: Trainee
    approved: int
    total: int
    expected: float
    share: float
    standing: object = None  # plans.standing.Standing: the status and finish date shown

    @property
    def risk(self) -> float:
        return self.expected - self.share

    @property
    def light(self) -> str:
        if self.risk <= 0.10:
            return "green"
        return "yellow" if self.risk <= 0.25 else "red"


def region_overview_order(
    office, municipality_ids: set[int] | None, *, by_name: bool = False, today: date | None = None
) -> list[int]:
    """The ids of the overview's doctors in training, greatest goal lag first (or by
    name): one aggregate query over the office, with no per-doctor computation, so the page
    can then compute standings for its own rows only."""
    today = today or clock.today()
    total = current_goals().count()
    qs = Trainee.objects.filter(office=office, status__in=["aktiv", "permisjon"])
    if municipality_ids is not None:
        qs = qs.filter(municipality_id__in=municipality_ids)
    # Approved goals per doctor of the office: a grouped index-only scan of the approved rows
    # (index progress_approved_per_doctor), rather than a join of every doctor to every goal.
    approved = dict(
        GoalProgress.objects.filter(office=office, status=GoalStatus.APPROVED)
        .order_by()
        .values("trainee")
        .annotate(n=Count("*"))
        .values_list("trainee", "n")
    )
    rows = qs.values_list("pk", "specialisation_start", "last_name", "first_name")
    keyed = []
    for pk, start, last, first in rows:
        risk = _expected(start, today) - (approved.get(pk, 0) / total if total else 0.0)
        keyed.append(((last, first, pk) if by_name else (-risk, last, first, pk), pk))
    keyed.sort()
    return [pk for _key, pk in keyed]


def _expected(start: date, today: date) -> float:
    """The share of the programme's time that has passed (0 to 1)."""
    return min(max((today - start).days, 0) / (365.25 * PROGRAMME_YEARS), 1.0)


def region_overview(office, ids: list[int], today: date | None = None) -> list[DoctorRisk]:
    """The rows of one page of the overview (doctors `ids`, in that order) with their goal
    counts and standings: a fixed number of queries besides the standings of these doctors."""
    today = today or clock.today()
    total = current_goals().count()
    trainees = (
        Trainee.objects.filter(office=office, pk__in=ids)
        .select_related("municipality")
        .annotate(
            approved=Count("goal_progress", filter=Q(goal_progress__status=GoalStatus.APPROVED))
        )
        .in_bulk()
    )
    page = [trainees[pk] for pk in ids if pk in trainees]
    by_id = standings(page, today)
    return [
        DoctorRisk(
            t,
            t.approved,
            total,
            _expected(t.specialisation_start, today),
            t.approved / total if total else 0.0,
            by_id[t.pk],
        )
        for t in page
    ]


def progress_for_goal(office, trainee, goal) -> GoalProgress | None:
    """The doctor's progress on one goal (None before they start on it)."""
    return GoalProgress.objects.filter(office=office, trainee=trainee, goal=goal).first()


def activities_by_ids(office, ids: list[int]) -> QuerySet[LearningActivity]:
    return LearningActivity.objects.filter(office=office, pk__in=ids)


def goal_get(pk: int) -> LearningGoal:
    return get_object_or_404(LearningGoal, pk=pk)
