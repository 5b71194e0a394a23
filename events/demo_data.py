"""Demo events: past and upcoming ones in Vest and Nord, and a joint national one, with
sign-ups, a full event with a waiting list, recorded attendance (so the Masfjorden doctor has a
course record from it) and evaluations. Idempotent: an office's demo events are made once."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django_scopes import scope

from accounts.models import User
from offices import clock
from offices.models import Office
from plans.models import LearningGoal
from trainees.models import Trainee

from . import services
from .models import Activity, EvaluationAnswer, Event, Signup

# Demo evaluations: (answers to the three questions, overall, comment).
DEMO_EVALUATIONS = [
    ([5, 4, 4], 5, "Svært nyttig, særlig gruppearbeidet."),
    ([4, 4, 3], 4, "Godt faglig innhold; lange dager."),
    ([4, 5, 4], 4, ""),
    ([3, 4, 4], 4, "Mer tid til spørsmål, takk."),
    ([5, 5, 5], 5, ""),
    ([4, 3, 4], 3, "Lokalet var for lite."),
]

EVALUATION = "Nytte for arbeidet\nFaglig innhold\nOrganisering"


def _at(day, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _activity(office, title, kind, *, national=False, course_kind="", hours="7", codes=()):
    with scope(office=office):
        existing = Activity.objects.filter(office=office, title=title).first()
    if existing:
        return existing
    goals = list(LearningGoal.objects.filter(code__in=codes, catalogue__valid_to__isnull=True))
    return services.activity_save(
        office=office,
        acting_user=None,
        goals=goals,
        title=title,
        kind=kind,
        is_national=national,
        course_kind=course_kind,
        hours=Decimal(hours),
        audience=["leger"] if kind != "veilederkurs" else ["veiledere"],
        programme="09.00 Velkommen\n09.15 Faglig program\n12.00 Lunsj\n13.00 Gruppearbeid",
        learning_outcomes=f"Etter «{title}» kjenner deltakerne … (demotekst).",
        evaluation_questions=EVALUATION,
    )


def _event(office, activity, start, *, capacity, title="", **extra):
    with scope(office=office):
        existing = Event.objects.filter(office=office, title=title or activity.title).first()
    if existing:
        return existing, False
    event = services.event_create(
        office=office,
        acting_user=None,
        activity=activity,
        title=title,
        starts_at=start,
        ends_at=start + timedelta(hours=7),
        place=extra.pop("place", "Bergen"),
        capacity=capacity,
        signup_deadline=start - timedelta(days=7),
        cancel_deadline=start - timedelta(days=3),
        price=Decimal(extra.pop("price", "0")),
        payer=extra.pop("payer", "gratis"),
        **extra,
    )
    return event, True


def _evaluate(office, event, signups, when) -> None:
    """Evaluations from the participants who came: through the service for one with an
    account, written directly for the demo people without one (who would answer by link)."""
    for signup, (scores, overall, comment) in zip(signups, DEMO_EVALUATIONS, strict=False):
        if signup.user_id:
            services.evaluation_submit(
                signup=signup,
                acting_user=signup.user,
                scores=scores,
                overall=overall,
                comment=comment,
            )
            continue
        with scope(office=office):
            answer = EvaluationAnswer(
                office=office,
                signup=signup,
                event=event,
                scores=scores,
                overall=overall,
                comment=comment,
            )
            answer.full_clean()
            answer.save()
            EvaluationAnswer.objects.filter(pk=answer.pk).update(created_at=when)


def _attended(office, event) -> list[Signup]:
    with scope(office=office):
        return list(event.signups.filter(attended=True).select_related("user").order_by("pk"))


def _people(prefix: str, count: int) -> list[tuple[str, str]]:
    """Demo participants without accounts (shown on the organiser's list)."""
    return [
        (f"{prefix} deltaker {i + 1}", f"{prefix.lower()}.deltaker{i + 1}@demo.alis.no")
        for i in range(count)
    ]


def _sign_up_named(office, event, people, when):
    for name, email in people:
        services.signup_create(
            office=office, acting_user=None, event=event, name=name, email=email, now=when
        )


@transaction.atomic
def load_demo_events() -> None:
    vest = Office.objects.filter(slug="vest").first()
    nord = Office.objects.filter(slug="nord").first()
    if vest is None or nord is None:
        return
    today = clock.today()
    doctor_user = User.objects.filter(email="alis.masfjorden@demo.alis.no").first()
    veileder = User.objects.filter(email="veileder.masfjorden@demo.alis.no").first()
    organisers = {
        office.pk: User.objects.filter(email=f"koordinator.{office.slug}@demo.alis.no").first()
        for office in (vest, nord)
    }
    with scope(office=vest):
        doctor = Trainee.objects.filter(office=vest, email="alis.masfjorden@demo.alis.no").first()

    # Vest: a basic course that is over (attended and evaluated), and a full gathering ahead.
    basic_a = _activity(
        vest,
        "Grunnkurs A – kommunikasjon",
        "kurs",
        course_kind="A",
        hours="20",
    )
    past_start = _at(today - timedelta(days=40), 9)
    past, made = _event(vest, basic_a, past_start, capacity=20, price="2500", payer="kommune")
    if made:
        before = past_start - timedelta(days=30)
        if doctor is not None:
            services.signup_create(
                office=vest, acting_user=None, event=past, trainee=doctor, now=before
            )
        _sign_up_named(vest, past, _people("Vest", 5), before)
        with scope(office=vest):
            signups = list(past.signups.all())
        services.attendance_record(
            office=vest,
            acting_user=organisers[vest.pk],
            event=past,
            attended={s.pk: True for s in signups},
            now=past_start + timedelta(hours=8),
        )
        # Six evaluations: the page shows the averages (five or more answers).
        _evaluate(vest, past, _attended(vest, past), past_start + timedelta(days=1))
    # The goals are on the gathering ahead, not on the course already attended: the demo
    # doctor's goal activities stay exactly those the goal-progress demo made.
    samling = _activity(
        vest, "Nettverkssamling for ALIS i Vest", "samling", codes=("ALM-001", "FKM-01")
    )
    ahead, made = _event(
        vest,
        samling,
        _at(today + timedelta(days=21), 10),
        capacity=4,
        place="Voss",
        is_public=True,
    )
    if made:
        _sign_up_named(vest, ahead, _people("Samling", 5), timezone.now())

    # Nord: a supervisor course that is over (the veileder's qualification), and an open
    # information meeting with sign-up by a deadline.
    training = _activity(nord, "Veilederkurs for nye veiledere", "veilederkurs", hours="14")
    course_start = _at(today - timedelta(days=60), 9)
    trained, made = _event(nord, training, course_start, capacity=15, place="Bodø")
    if made:
        _sign_up_named(nord, trained, _people("Nord", 3), course_start - timedelta(days=20))
        with scope(office=nord):
            signups = list(trained.signups.all())
        services.attendance_record(
            office=nord,
            acting_user=organisers[nord.pk],
            event=trained,
            attended={s.pk: True for s in signups},
            now=course_start + timedelta(hours=8),
        )
        # Three evaluations: too few to show more than the count.
        _evaluate(nord, trained, _attended(nord, trained), course_start + timedelta(days=1))
    info = _activity(nord, "Informasjonsmøte om ALIS-ordningen", "infomote", hours="2")
    _event(
        nord,
        info,
        _at(today + timedelta(days=14), 18),
        capacity=60,
        place="",
        online_url="https://example.no/demo-webinar",
        is_public=True,
    )

    # National: the ALIS conference, a joint event organised by Nord, visible to every office.
    conference = _activity(nord, "ALIS-konferansen", "samling", national=True, hours="12")
    national, made = _event(
        nord,
        conference,
        _at(today + timedelta(days=45), 9),
        capacity=150,
        place="Trondheim",
        is_national=True,
        price="3500",
        payer="kommune",
    )
    if made:
        national.co_offices.set(Office.objects.exclude(pk=nord.pk))
        if veileder is not None:
            services.signup_create(office=vest, acting_user=veileder, event=national, user=veileder)
    # The doctor's own personal calendar feed exists from the start (shown on the list page).
    if doctor_user is not None:
        services.calendar_feed_for(user=doctor_user)
