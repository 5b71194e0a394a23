"""Reads of the national workspace and the open website.

National rows (meetings, tasks, routines) are not office-owned: every office's coordinators
read all of them. The two reads that cross offices' own rows say why at their `scopes_disabled`:
the experience with agreement measures (aggregated, anonymised) and the advertised positions
(what the offices publish on purpose).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import (
    Avg,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django_scopes import scopes_disabled

from agreements.models import MeasureExperience, MeasureType
from municipalities.areas import HealthTrust
from municipalities.models import HealthTrustArea, Municipality
from offices import clock
from offices.models import CoordinatingPeriod, Office
from positions.models import Position, Status

from .models import (
    ActionItem,
    Attendance,
    Meeting,
    NationalTask,
    Routine,
    RoutineVersion,
    TaskStatus,
)

# Below this many municipalities, experience is shown without naming the municipality.
ANONYMITY_THRESHOLD = 5


# --- The coordinating role -------------------------------------------------------------------


@dataclass(frozen=True)
class Coordination:
    current: CoordinatingPeriod | None
    next: CoordinatingPeriod | None


def coordination(today: date) -> Coordination:
    periods = CoordinatingPeriod.objects.select_related("office")
    return Coordination(
        current=periods.filter(start__lte=today, end__gte=today).first(),
        next=periods.filter(start__gt=today).order_by("start").first(),
    )


def offices_all() -> QuerySet[Office]:
    return Office.objects.order_by("name")


# --- Meetings --------------------------------------------------------------------------------


def meetings(kind: str | None = None) -> QuerySet[Meeting]:
    qs = Meeting.objects.select_related("secretary_office").annotate(
        open_items=Count("action_items", filter=Q(action_items__done_at__isnull=True))
    )
    return qs.filter(kind=kind) if kind else qs


def meeting_get(meeting_id: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.select_related("secretary_office").prefetch_related(
            Prefetch("attendances", queryset=Attendance.objects.select_related("office")),
            "decisions",
            Prefetch(
                "action_items",
                queryset=ActionItem.objects.select_related("owner_office", "done_by"),
            ),
        ),
        pk=meeting_id,
    )


def action_item_get(action_id: int) -> ActionItem:
    return get_object_or_404(ActionItem.objects.select_related("meeting"), pk=action_id)


def open_action_items(office: Office) -> QuerySet[ActionItem]:
    """What joint meetings asked this office to do, still open, by due date."""
    return ActionItem.objects.filter(owner_office=office, done_at__isnull=True).select_related(
        "meeting", "owner_office"
    )


# --- Tasks -----------------------------------------------------------------------------------


def tasks(
    *, responsible: Office | None = None, status: str | None = None, open_only: bool = False
) -> QuerySet[NationalTask]:
    qs = NationalTask.objects.select_related("responsible_office", "assigned_by_office")
    if responsible is not None:
        qs = qs.filter(responsible_office=responsible)
    if status:
        qs = qs.filter(status=status)
    if open_only:
        qs = qs.exclude(status=TaskStatus.DONE)
    return qs


def task_get(task_id: int) -> NationalTask:
    return get_object_or_404(
        NationalTask.objects.select_related("responsible_office", "assigned_by_office"),
        pk=task_id,
    )


@dataclass(frozen=True)
class OfficeFollowUp:
    action_items: int
    overdue_action_items: int
    tasks: int
    overdue_tasks: int
    # Routines this office owns that are due for review (the inbox card's count). Drafts to
    # approve are the coordinating office's work: `coordinating_work`.
    routines_due: int


def follow_up_counts(office: Office, today: date, review_days: int = 30) -> OfficeFollowUp:
    """For the office's home page: what the national cooperation waits for from it."""
    items = ActionItem.objects.filter(owner_office=office, done_at__isnull=True).aggregate(
        total=Count("pk"), overdue=Count("pk", filter=Q(due__lt=today))
    )
    open_tasks = NationalTask.objects.filter(responsible_office=office).exclude(
        status=TaskStatus.DONE
    )
    task_counts = open_tasks.aggregate(
        total=Count("pk"), overdue=Count("pk", filter=Q(deadline__lt=today))
    )
    routines_due = routines_to_review(office, today, review_days).count()
    return OfficeFollowUp(
        action_items=items["total"],
        overdue_action_items=items["overdue"],
        tasks=task_counts["total"],
        overdue_tasks=task_counts["overdue"],
        routines_due=routines_due,
    )


class _Count(Subquery):
    """COUNT(*) of a queryset, as a subquery of one row."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _n)"
    output_field = IntegerField()


# Meetings within this many days are "coming up"; their notice should have gone out.
MEETING_NOTICE_DAYS = 30


@dataclass(frozen=True)
class CoordinatingWork:
    """What the office holding the coordinating role must act on for all five offices."""

    coordinating: bool
    routines_to_approve: int = 0  # routines with a draft version not yet approved
    minutes_missing: int = 0  # joint meetings held without minutes written
    notices_missing: int = 0  # meetings coming up whose notice has not been sent
    overdue_tasks: int = 0  # national tasks (any office's) past their deadline, not done
    meetings_coming: int = 0  # meetings within MEETING_NOTICE_DAYS


def meetings_coming(now: datetime) -> QuerySet[Meeting]:
    """Meetings starting within MEETING_NOTICE_DAYS from `now`."""
    return Meeting.objects.filter(
        starts_at__gte=now, starts_at__lte=now + timedelta(days=MEETING_NOTICE_DAYS)
    )


def notices_missing(now: datetime) -> QuerySet[Meeting]:
    """Meetings coming up (`meetings_coming`) whose notice has not been sent."""
    return meetings_coming(now).filter(notice_sent_at__isnull=True)


def routines_to_approve() -> QuerySet[Routine]:
    """Routines with a draft version not yet approved."""
    return Routine.objects.filter(versions__approved_at__isnull=True).distinct()


def coordinating_work(office: Office, now: datetime) -> CoordinatingWork:
    """One query, whatever the rows, whether or not the office coordinates today (the inbox
    pins its query count)."""
    today = timezone.localdate(now)
    coming = meetings_coming(now)
    row = (
        Office.objects.filter(pk=office.pk)
        .annotate(
            coordinating=Exists(
                CoordinatingPeriod.objects.filter(
                    office=OuterRef("pk"), start__lte=today, end__gte=today
                )
            ),
            routines_to_approve=_Count(routines_to_approve().values("pk")),
            minutes_missing=_Count(
                Meeting.objects.filter(starts_at__lt=now, minutes_written_at__isnull=True).values(
                    "pk"
                )
            ),
            notices_missing=_Count(notices_missing(now).values("pk")),
            overdue_tasks=_Count(
                NationalTask.objects.filter(deadline__lt=today)
                .exclude(status=TaskStatus.DONE)
                .values("pk")
            ),
            meetings_coming=_Count(coming.values("pk")),
        )
        .values(
            "coordinating",
            "routines_to_approve",
            "minutes_missing",
            "notices_missing",
            "overdue_tasks",
            "meetings_coming",
        )
        .get()
    )
    if not row["coordinating"]:
        return CoordinatingWork(coordinating=False)
    return CoordinatingWork(**row)


# --- Routines --------------------------------------------------------------------------------


def _current_versions() -> Prefetch:
    return Prefetch(
        "versions",
        queryset=RoutineVersion.objects.select_related(
            "approved_by", "approved_by_office", "written_by", "written_by_office"
        ).order_by("-number"),
    )


def routines(query: str = "", *, public_only: bool = False) -> QuerySet[Routine]:
    """Routines by title, or matching `query` in title and current text: PostgreSQL full-text
    search with the Norwegian configuration (inflected forms match: «veilederen» finds
    «veiledere»), best matches first; on SQLite (the demo) every word's crude stem (see
    `crude_stem`) must occur in the title or the text."""
    qs = Routine.objects.select_related("owner_office").prefetch_related(_current_versions())
    if public_only:
        qs = qs.filter(is_public=True, versions__approved_at__isnull=False).distinct()
    query = query.strip()
    if not query:
        return qs.order_by("title")
    if connection.vendor == "postgresql":
        vector = SearchVector("title", weight="A", config="norwegian") + SearchVector(
            "search_text", weight="B", config="norwegian"
        )
        search = SearchQuery(query, config="norwegian", search_type="websearch")
        return (
            qs.annotate(rank=SearchRank(vector, search))
            .filter(rank__gt=0)
            .order_by("-rank", "title")
        )
    for word in query.split():
        stem = crude_stem(word)
        qs = qs.filter(Q(title__icontains=stem) | Q(search_text__icontains=stem))
    return qs.order_by("title")


# The SQLite (demo) fallback's stemming: longest first; "-ene" before "-en", "-ane" before "-a".
_ENDINGS = ("ene", "ane", "en", "et", "er", "a")
_MIN_STEM = 4


def crude_stem(word: str) -> str:
    """Only for the SQLite demo fallback of `routines` (PostgreSQL uses the norwegian FTS
    configuration): cuts one common Norwegian ending so inflected forms share a substring
    («avtalene», «avtaler» → «avtal»), keeping at least four letters. Crude on purpose."""
    word = word.lower()
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= _MIN_STEM:
            return word[: -len(ending)]
    return word


def routines_to_review(office: Office, today: date, review_days: int = 30) -> QuerySet[Routine]:
    """The office's own routines due for review within `review_days` (or passed): what the
    inbox card «Felles rutiner å gå gjennom» counts and its link (?gjennomgang=1) lists."""
    return Routine.objects.filter(
        owner_office=office, review_due__lte=today + timedelta(days=review_days)
    )


def routines_due(office: Office, today: date, window: timedelta) -> QuerySet[Routine]:
    """The office's own routines whose review date falls within `window` (or has passed)."""
    return routines().filter(owner_office=office, review_due__lte=today + window)


def next_review_default(today: date) -> date:
    """A year from today (365 days, so 29 February has an answer too)."""
    return today + timedelta(days=365)


def approval_review_default(routine: Routine, today: date | None = None) -> date:
    """What the approval form proposes as the next review date: the routine's own review date,
    so approving without touching the field keeps it; a date already passed (approval needs a
    future date) proposes a year from today instead."""
    today = today or clock.today()
    return routine.review_due if routine.review_due > today else next_review_default(today)


def routine_get(routine_id: int, *, public_only: bool = False) -> Routine:
    qs = Routine.objects.select_related("owner_office").prefetch_related(_current_versions())
    if public_only:
        qs = qs.filter(is_public=True)
    return get_object_or_404(qs, pk=routine_id)


def version_get(routine: Routine, version_id: int) -> RoutineVersion:
    return get_object_or_404(routine.versions.all(), pk=version_id)


def current_version(routine: Routine) -> RoutineVersion | None:
    """The newest approved version (from the prefetched versions)."""
    return next((v for v in routine.versions.all() if v.is_approved), None)


def draft_version(routine: Routine) -> RoutineVersion | None:
    return next((v for v in routine.versions.all() if not v.is_approved), None)


# --- Experience with agreement measures, shared nationally ----------------------------------


def national_experience(measure: str | None = None) -> list[dict]:
    """Per measure type, across all offices: how many municipalities rated it, the average
    rating, and the notes. A note names its municipality only when at least
    ANONYMITY_THRESHOLD municipalities have reported on that measure; otherwise it names the
    office's region only, so a small number cannot point at one municipality."""
    # Cross-office on purpose: the mandate asks the offices to share experience; only the
    # measure, rating, note and (above the threshold) the municipality leave the office.
    with scopes_disabled():
        rows = MeasureExperience.objects.all()
        if measure:
            rows = rows.filter(measure=measure)
        stats = {
            r["measure"]: r
            for r in rows.values("measure").annotate(
                average=Avg("rating"),
                count=Count("pk"),
                municipalities=Count("agreement__municipality", distinct=True),
            )
        }
        notes = list(
            rows.exclude(notes="")
            .select_related("office", "agreement__municipality")
            .order_by("measure", "-recorded_at")
        )
    result = []
    for value, label in MeasureType.choices:
        if measure and value != measure:
            continue
        stat = stats.get(value)
        named = bool(stat) and stat["municipalities"] >= ANONYMITY_THRESHOLD
        result.append(
            {
                "measure": value,
                "label": label,
                "count": stat["count"] if stat else 0,
                "municipalities": stat["municipalities"] if stat else 0,
                "average": stat["average"] if stat else None,
                "anonymised": not named,
                "notes": [
                    {
                        "text": n.notes,
                        "rating": n.rating,
                        "office": n.office.name,
                        "municipality": n.agreement.municipality.name if named else "",
                    }
                    for n in notes
                    if n.measure == value
                ],
            }
        )
    return result


# --- The open website ------------------------------------------------------------------------


def offices_public() -> list[dict]:
    """The offices with their seat, contacts and the counties they serve (from the register)."""
    offices = list(Office.objects.select_related("seat").order_by("name"))
    counties: dict[int, list[str]] = {}
    for row in (
        Municipality.objects.filter(is_active=True)
        .values("office_id", "county")
        .annotate(n=Count("pk"))
        .order_by("county")
    ):
        counties.setdefault(row["office_id"], []).append(row["county"])
    return [{"office": o, "counties": counties.get(o.pk, [])} for o in offices]


def _advertised() -> QuerySet[Position]:
    return (
        Position.objects.filter(status=Status.ADVERTISED)
        .select_related("office", "municipality", "group", "medical_office", "advertisement")
        .prefetch_related("group__municipalities")
    )


def public_positions(
    *,
    today: date,
    office: str = "",
    county: str = "",
    trust: str = "",
    form: str = "",
) -> list[Position]:
    """The positions the offices have advertised, with an advertisement whose deadline has not
    passed (or no advertisement details yet), filtered as the visitor asked."""
    # Cross-office on purpose: these are the offices' public advertisements.
    with scopes_disabled():
        qs = _open_advertisements(today)
        if office:
            qs = qs.filter(office__slug=office)
        if county:
            qs = qs.filter(Q(municipality__county=county) | Q(group__municipalities__county=county))
        if trust:
            numbers = (
                HealthTrustArea.objects.valid_on(today)
                .filter(health_trust__code=trust)
                .values("municipality_id")
            )
            qs = qs.filter(Q(municipality_id__in=numbers) | Q(group__municipalities__in=numbers))
        if form:
            qs = qs.filter(employment_form=form)
        return list(qs.distinct().order_by("advertisement__deadline", "pk"))


def _open_advertisements(today: date):
    """Advertised positions whose advertisement's deadline has not passed (or that have no
    advertisement details yet): the list and each position's own page show the same set."""
    return _advertised().filter(
        Q(advertisement__isnull=True) | Q(advertisement__deadline__gte=today)
    )


def public_position_get(position_id: int, today: date) -> Position:
    with scopes_disabled():  # as public_positions: what the offices published
        return get_object_or_404(_open_advertisements(today), pk=position_id)


def filter_choices(today: date) -> dict:
    return {
        "offices": list(Office.objects.order_by("name").values_list("slug", "name")),
        "counties": list(
            Municipality.objects.filter(is_active=True)
            .order_by("county")
            .values_list("county", flat=True)
            .distinct()
        ),
        "trusts": list(HealthTrust.objects.order_by("name").values_list("code", "name")),
    }


def position_for_office(office: Office, position_id: int) -> Position:
    return get_object_or_404(
        Position.objects.filter(office=office).select_related("municipality", "medical_office"),
        pk=position_id,
    )


def advertised_positions_of_office(office: Office) -> QuerySet[Position]:
    return (
        Position.objects.filter(office=office, status=Status.ADVERTISED)
        .select_related("municipality", "group", "medical_office", "advertisement")
        .order_by("pk")
    )


def upcoming_meetings(today: date) -> QuerySet[Meeting]:
    return meetings().filter(starts_at__date__gte=today).order_by("starts_at")[:5]
