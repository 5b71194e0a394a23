"""An office's lists at a chosen size, written in bulk: for tests that pin a page's queries at
1× and 10× the data, and for benchmarks/pages.py (which adds them to the national data set).

`grow_office(...)` adds `n` doctors to `municipalities` (round robin), each with two service
periods, a veileder from a pool of `n // 5` supervisors, ten supervision sessions, one
unsigned learning activity and one submitted goal; plus `n // 2` positions and `n // 4` medical
offices. The `veileder` user (if given) supervises every fifth doctor, so their sign-off queue
grows with the office. Nothing here goes through the services: these are bulk rows, the
scale a page must stand, not the behaviour under test.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django_scopes import scope

from goals.models import GoalProgress, GoalStatus, LearningActivity
from goals.selectors import current_goals
from positions.models import MedicalOffice, Position
from trainees.models import (
    ServicePeriod,
    SupervisionSession,
    Supervisor,
    SupervisorAssignment,
    Trainee,
)

START = date(2023, 1, 2)


def grow_office(office, municipalities, n: int, *, first: int = 0, veileder=None, author=None):
    """Add doctors `first`..`first + n - 1` (HPR numbers and names follow the index, so calls
    with consecutive ranges add to the same office). `author` writes the activities (default:
    `veileder`)."""
    municipalities = list(municipalities)
    goal = current_goals().first()
    assert goal is not None, "load a learning-goal catalogue first"
    with scope(office=office):
        doctors = Trainee.objects.bulk_create(
            Trainee(
                office=office,
                municipality=municipalities[i % len(municipalities)],
                first_name=f"Lege{i:05d}",
                last_name=f"Etternavn{i:05d}",
                email=f"lege{i}@{office.slug}.skala.example.no",
                hpr_number=f"9{office.pk:02d}{i:06d}",
                specialisation_start=START + timedelta(days=i % 700),
            )
            for i in range(first, first + n)
        )
        ServicePeriod.objects.bulk_create(
            ServicePeriod(
                office=office,
                trainee=t,
                served_by=office,
                municipality=t.municipality,
                place="Legekontoret",
                arena=arena,
                percentage=100,
                start=t.specialisation_start + timedelta(days=365 * k),
                end=t.specialisation_start + timedelta(days=365 * k + 364),
            )
            for t in doctors
            for k, arena in enumerate(["allmennpraksis", "institusjon"])
        )
        pool = Supervisor.objects.bulk_create(
            Supervisor(office=office, name=f"Veileder {first + i:05d}", capacity=5)
            for i in range(max(n // 5, 1))
        )
        if veileder is not None:
            pool[0].user = veileder
            pool[0].save(update_fields=["user"])
        pairs = [
            (t, pool[0] if veileder is not None and i % 5 == 0 else pool[i % len(pool)])
            for i, t in enumerate(doctors)
        ]
        SupervisorAssignment.objects.bulk_create(
            SupervisorAssignment(
                office=office,
                trainee=t,
                supervisor=s,
                supervisor_name=s.name,
                role="veileder",
                start=t.specialisation_start,
            )
            for t, s in pairs
        )
        SupervisionSession.objects.bulk_create(
            SupervisionSession(
                office=office,
                trainee=t,
                day=t.specialisation_start + timedelta(days=30 * m),
                hours=Decimal(4),
                topics="Veiledning",
            )
            for t in doctors
            for m in range(10)
        )
        writer = author or veileder
        if writer is not None:
            activities = LearningActivity.objects.bulk_create(
                LearningActivity(
                    office=office,
                    trainee=t,
                    kind="klinisk",
                    date=date(2025, 3, 1),
                    description="Konsultasjoner med refleksjon",
                    created_by=writer,
                )
                for t in doctors
            )
            LearningActivity.goals.through.objects.bulk_create(
                LearningActivity.goals.through(learningactivity=a, learninggoal=goal)
                for a in activities
            )
        submitted = datetime(2026, 1, 5, 9, tzinfo=ZoneInfo("Europe/Oslo"))
        GoalProgress.objects.bulk_create(
            GoalProgress(
                office=office,
                trainee=t,
                goal=goal,
                status=GoalStatus.SUBMITTED,
                submission=1,
                submitted_at=submitted + timedelta(minutes=i),
            )
            for i, t in enumerate(doctors)
        )
        medical_offices = MedicalOffice.objects.bulk_create(
            MedicalOffice(
                office=office,
                municipality=municipalities[i % len(municipalities)],
                name=f"Legekontor {first + i:05d}",
            )
            for i in range(max(n // 4, 1))
        )
        Position.objects.bulk_create(
            Position(
                office=office,
                municipality=mo.municipality,
                medical_office=mo,
                status="besatt",
                applicants=1,
            )
            for mo in medical_offices + medical_offices
        )
    return doctors
