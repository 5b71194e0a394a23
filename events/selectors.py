"""Reads for events.

Joint national events and co-organised events are shared by design: their details (no personal
data) are readable by every office concerned. The organiser reads the sign-ups of its own events
whatever the participant's office (the participant signed up to the organiser's event). These
are the only cross-office reads of this app, each through `_across_offices` with its reason.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django_scopes import scopes_disabled

from plans.standing import standings
from trainees.models import COURSE_KINDS, Trainee, TraineeStatus

from .models import (
    ACTIVE,
    HOLDS_PLACE,
    Activity,
    CalendarFeed,
    EvaluationAnswer,
    Event,
    Signup,
    SignupStatus,
)

# Aggregates of fewer answers than this are not shown (a participant could be recognised).
MIN_COUNT = 5


def _across_offices():
    return scopes_disabled()


def _visible(office) -> Q:
    return Q(office=office) | Q(co_offices=office) | Q(is_national=True)


def events_for_office(office, *, upcoming_from=None) -> QuerySet[Event]:
    """Events this office organises, co-organises, and every joint national event, with the
    number of places taken and the waiting list."""
    # Cross-office read: shared event details (see module docstring).
    with _across_offices():
        qs = (
            Event.objects.filter(_visible(office))
            .distinct()
            .select_related("office", "activity")
            .annotate(
                taken=Count("signups", filter=Q(signups__status__in=HOLDS_PLACE), distinct=True),
                waiting=Count(
                    "signups", filter=Q(signups__status=SignupStatus.WAITING), distinct=True
                ),
            )
        )
        if upcoming_from is not None:
            qs = qs.filter(ends_at__gte=upcoming_from)
        return qs.order_by("starts_at", "pk")


def _runs(office) -> Q:
    return Q(office=office) | Q(co_offices=office)


# A past event whose attendance is still to be recorded: someone holds a confirmed place and
# nobody has said whether they came.
_UNRECORDED = Q(signups__status=SignupStatus.CONFIRMED, signups__attended__isnull=True)


def past_events_for_office(office, now) -> QuerySet[Event]:
    """The events visible to the office that have ended, newest first, with the places taken and
    `unrecorded` (confirmed sign-ups without recorded attendance) and `runs` (the office
    organises or co-organises it: it may record attendance)."""
    # Cross-office read: shared event details (see module docstring).
    with _across_offices():
        co_organised = Event.co_offices.through.objects.filter(
            event_id=OuterRef("pk"), office_id=office.pk
        )
        return (
            Event.objects.filter(_visible(office), ends_at__lt=now)
            .distinct()
            .select_related("office", "activity")
            .annotate(
                taken=Count("signups", filter=Q(signups__status__in=HOLDS_PLACE), distinct=True),
                unrecorded=Count("signups", filter=_UNRECORDED, distinct=True),
                runs=Q(office=office) | Exists(co_organised),
            )
            .order_by("-starts_at", "-pk")
        )


def attendance_missing_count(office, now) -> int:
    """How many ended events the office runs still lack attendance (one query)."""
    # Cross-office read: co-organised events are shared (see module docstring).
    with _across_offices():
        return (
            Event.objects.filter(_runs(office), ends_at__lt=now)
            .filter(_UNRECORDED)
            .values("pk")
            .distinct()
            .count()
        )


def event_get(office, pk: int) -> Event:
    """An event this office may see; 404 for another office's own events."""
    with _across_offices():
        event = events_for_office(office).filter(pk=pk).first()
    if event is None:
        raise Http404
    return event


def event_get_organised(office, pk: int) -> Event:
    """An event this office organises (attendance, evaluation results)."""
    event = Event.objects.filter(office=office, pk=pk).select_related("activity").first()
    if event is None:
        raise Http404
    return event


def event_get_run(office, pk: int) -> Event:
    """An event this office organises or co-organises (attendance, evaluation results): the
    coordinators of every office running a joint event record who came."""
    # Cross-office read: the co-organisers share the event (see module docstring).
    with _across_offices():
        event = (
            Event.objects.filter(Q(office=office) | Q(co_offices=office), pk=pk)
            .distinct()
            .select_related("activity", "office")
            .first()
        )
    if event is None:
        raise Http404
    return event


def runs_event(office, event) -> bool:
    """Whether the office organises or co-organises the event."""
    if event.office_id == office.pk:
        return True
    with _across_offices():
        return event.co_offices.filter(pk=office.pk).exists()


def event_signups(event) -> list[Signup]:
    """Every sign-up of the organiser's event, in the order they came (the waiting list's order)."""
    # Cross-office read: the organiser's own event (see module docstring).
    with _across_offices():
        return list(
            Signup.objects.filter(event=event)
            .select_related("office", "trainee")
            .order_by("created_at", "pk")
        )


def my_signup(office, event, user) -> Signup | None:
    return (
        Signup.objects.filter(office=office, event=event, user=user)
        .order_by("-created_at", "-pk")
        .first()
    )


def signups_for_doctors(office, event, municipality_ids: set[int] | None) -> list[Signup]:
    """The office's doctors' live sign-ups for the event (made by them or on their behalf):
    for a leader, those of their municipalities (`municipality_ids`); None: every one."""
    qs = Signup.objects.filter(
        office=office, event=event, trainee__isnull=False, status__in=ACTIVE
    ).select_related("trainee", "trainee__municipality")
    if municipality_ids is not None:
        qs = qs.filter(trainee__municipality_id__in=municipality_ids)
    return list(qs.order_by("name", "pk"))


def my_signups(office, user) -> list[Signup]:
    return list(
        Signup.objects.filter(office=office, user=user)
        .exclude(status=SignupStatus.CANCELLED)
        .select_related("event")
        .order_by("event__starts_at")
    )


def signup_get(office, pk: int) -> Signup:
    signup = Signup.objects.filter(office=office, pk=pk).select_related("event").first()
    if signup is None:
        raise Http404
    return signup


def activities_for_office(office) -> QuerySet[Activity]:
    """The office's own catalogue and the national one."""
    # Cross-office read: national templates are shared with every office by design.
    with _across_offices():
        return (
            Activity.objects.filter(Q(office=office) | Q(is_national=True))
            .select_related("office")
            .prefetch_related("goals")
            .order_by("-is_national", "title")
        )


def activity_get(office, pk: int) -> Activity:
    with _across_offices():
        activity = activities_for_office(office).filter(pk=pk).first()
    if activity is None:
        raise Http404
    return activity


def public_events(office) -> list[Event]:
    """Upcoming public events of one office, for its page on the open site."""
    now = timezone.now()
    with _across_offices():
        return list(
            events_for_office(office, upcoming_from=now).filter(is_public=True, office=office)
        )


def calendar_feed_of(user) -> CalendarFeed | None:
    """The user's personal feed, if they have made one (the list page offers a button)."""
    return CalendarFeed.objects.filter(user=user).first()


def feed_events(token: str) -> tuple[CalendarFeed, list[Event]]:
    feed = CalendarFeed.objects.filter(token=token).select_related("user").first()
    if feed is None:
        raise Http404
    # The address lives only as long as the person has a role: when every membership has
    # ended (or the account is closed), the feed is gone, as the office pages are.
    if not feed.user.is_active or not feed.user.memberships.filter(is_active=True).exists():
        raise Http404
    # Cross-office read: one person's own sign-ups, wherever they signed up.
    with _across_offices():
        events = list(
            Event.objects.filter(signups__user=feed.user, signups__status__in=HOLDS_PLACE)
            .select_related("activity")
            .distinct()
            .order_by("starts_at")
        )
    return feed, events


# --- Evaluation ----------------------------------------------------------------------------------


@dataclass
class EvaluationSummary:
    count: int
    suppressed: bool
    overall: Decimal | None = None
    questions: list[tuple[str, Decimal | None]] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)


def _mean(values: list[int]) -> Decimal | None:
    if not values:
        return None
    return (Decimal(sum(values)) / len(values)).quantize(Decimal("0.1"))


def evaluation_summary(event) -> EvaluationSummary:
    """Averages per question; nothing but the count when fewer than five have answered."""
    with _across_offices():
        answers = list(EvaluationAnswer.objects.filter(event=event).order_by("pk"))
    count = len(answers)
    if count < MIN_COUNT:
        return EvaluationSummary(count=count, suppressed=True)
    questions = event.activity.questions
    return EvaluationSummary(
        count=count,
        suppressed=False,
        overall=_mean([a.overall for a in answers]),
        questions=[
            (q, _mean([a.scores[i] for a in answers if len(a.scores) > i]))
            for i, q in enumerate(questions)
        ],
        comments=[a.comment for a in answers if a.comment.strip()],
    )


# --- Office overview -----------------------------------------------------------------------------


@dataclass
class EventRow:
    event: Event
    taken: int
    waiting: int

    @property
    def fill_rate(self) -> int:
        return round(100 * self.taken / self.event.capacity) if self.event.capacity else 0


@dataclass
class CourseToTake:
    kind: str
    label: str
    events: list[Event]  # the office's events of the next year that cover it


@dataclass
class MissingCourses:
    trainee: Trainee
    courses: list[CourseToTake]


def doctors_missing_courses(office, today: date) -> list[MissingCourses]:
    """Active doctors lacking a course the rules require of them (the doctor's standing: the
    requirement "Kurs som kreves", e.g. the violence course for legevakt work — recommended
    courses never), that they have no place on either; one row per doctor, with the office's
    events of the next year that cover each course (the ones to invite them to)."""
    labels = dict(COURSE_KINDS)
    trainees = list(
        Trainee.objects.filter(office=office, status=TraineeStatus.ACTIVE).order_by(
            "last_name", "first_name"
        )
    )
    current = standings(trainees, today)
    lacking: dict[int, tuple[str, ...]] = {}
    for trainee in trainees:
        requirement = current[trainee.pk].get("required_courses")
        if requirement is not None and requirement.missing_kinds:
            lacking[trainee.pk] = requirement.missing_kinds
    if not lacking:
        return []
    now = timezone.now()
    horizon = now + timedelta(days=365)
    upcoming = list(
        events_for_office(office, upcoming_from=now)
        .filter(starts_at__lte=horizon)
        .exclude(activity__course_kind="")
    )
    booked: dict[int, set[str]] = {}
    for trainee_id, kind in Signup.objects.filter(
        office=office, trainee_id__in=lacking, status__in=HOLDS_PLACE, event__in=upcoming
    ).values_list("trainee_id", "event__activity__course_kind"):
        booked.setdefault(trainee_id, set()).add(kind)
    rows: list[MissingCourses] = []
    for trainee in trainees:
        kinds = [k for k in lacking.get(trainee.pk, ()) if k not in booked.get(trainee.pk, set())]
        if kinds:
            courses = [
                CourseToTake(
                    kind,
                    str(labels.get(kind, kind)),
                    [e for e in upcoming if e.activity.course_kind == kind],
                )
                for kind in kinds
            ]
            rows.append(MissingCourses(trainee, courses))
    return rows


def office_overview(office) -> list[EventRow]:
    now = timezone.now()
    return [
        EventRow(e, e.taken, e.waiting)
        for e in events_for_office(office, upcoming_from=now).filter(
            Q(office=office) | Q(co_offices=office)
        )
    ]


def signup_by_pk(pk: int) -> Signup:
    """A sign-up named by a signed link (the signature is the authority)."""
    with _across_offices():
        try:
            return Signup.objects.select_related("event", "event__activity", "office").get(pk=pk)
        except ObjectDoesNotExist as exc:
            raise Http404 from exc
