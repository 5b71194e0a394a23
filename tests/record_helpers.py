"""A doctor in Masfjorden with a full five-year history: service in every kind of arena (with a
leave inside the first employment), a veileder and a supervisør, individual and group
supervision, a course, approved goals; and helpers to issue the signed documents."""

import subprocess
from datetime import date
from decimal import Decimal

from django.test import Client
from django_scopes import scope

from confirmations.models import Confirmation
from offices.permissions import Role
from records.models import ApplicationPackage
from trainees import services as trainee_services
from trainees.models import ServicePeriod, SupervisorRole

from .conftest import member
from .progress_helpers import approve_goal, first_goals, make_doctor, supervisor_user
from .test_goal_signoff import leader_access
from .trainee_factories import make_assignment, make_group, make_period, make_supervisor

# (place, arena, percentage, start, end, is_leave)
FIVE_YEARS = [
    ("Masfjorden legekontor", "allmennpraksis", 100, date(2021, 9, 1), date(2023, 8, 31), False),
    ("Foreldrepermisjon", "annet", 100, date(2022, 3, 1), date(2022, 5, 31), True),
    (
        "Haukeland universitetssjukehus",
        "institusjon",
        100,
        date(2023, 9, 1),
        date(2024, 2, 29),
        False,
    ),
    ("Nordhordland legevakt", "legevakt", 50, date(2024, 3, 1), date(2026, 8, 31), False),
    ("Masfjorden legekontor", "allmennpraksis", 50, date(2024, 3, 1), date(2026, 8, 31), False),
    ("Masfjorden legekontor", "allmennpraksis", 100, date(2026, 9, 1), None, False),
]


def link_supervisor(trainee, user, role=SupervisorRole.VEILEDER, name="Vera Veileder"):
    """A supervisor with a login, assigned from the first day of the programme."""
    supervisor = make_supervisor(trainee.office, [trainee.municipality], name=name)
    with scope(office=trainee.office):
        supervisor.user = user
        supervisor.save()
    return make_assignment(trainee, supervisor, role=role, start=trainee.specialisation_start)


def five_year_doctor(vest, masfjorden, user, veileder, leader, *, hpr="001234567"):
    doctor = make_doctor(
        vest, masfjorden, user=user, hpr_number=hpr, specialisation_start=date(2021, 9, 1)
    )
    for place, arena, percentage, start, end, is_leave in FIVE_YEARS:
        make_period(
            doctor,
            place=place,
            arena=arena,
            percentage=percentage,
            start=start,
            end=end,
            is_leave=is_leave,
        )
    supervisor = supervisor_user(vest, masfjorden)
    link_supervisor(doctor, veileder)
    link_supervisor(doctor, supervisor, SupervisorRole.SUPERVISOR, name="Sofie Sup")
    with scope(office=vest):
        assignment = doctor.supervisors.get(role="veileder")
    # Two sessions of 2 h in March and October of each year 2022–2026: 4 h a year.
    for year in range(2022, 2027):
        for month in (3, 10):
            trainee_services.session_create(
                office=vest,
                acting_user=None,
                trainee=doctor,
                day=date(year, month, 12),
                hours=Decimal("2"),
                assignment=assignment,
                topics="Multimorbiditet",
                minutes="Privat referat",
            )
    group = make_group(
        vest, [doctor], name="Gruppe Nordhordland", start=date(2022, 1, 1), end=date(2023, 12, 31)
    )
    for month in (2, 5, 9):
        trainee_services.group_meeting_create(
            office=vest,
            acting_user=None,
            group=group,
            day=date(2022, month, 7),
            hours=Decimal("3"),
            attendees=[doctor],
        )
    trainee_services.course_record_add(
        office=vest,
        acting_user=leader,
        trainee=doctor,
        kind="A",
        title="Grunnkurs A",
        hours=Decimal("30"),
        completed_on=date(2022, 4, 20),
    )
    access = leader_access(vest, leader)
    goals = first_goals(2)
    for goal in goals:
        approve_goal(doctor, goal, veileder, supervisor, leader, access)
    return doctor, goals


def service_periods(vest, doctor) -> list[ServicePeriod]:
    with scope(office=vest):
        return list(
            ServicePeriod.objects.filter(trainee=doctor, is_leave=False).order_by("start", "pk")
        )


def issue_certificates(client, vest, doctor, capture) -> list[Confirmation]:
    """The leader issues a service certificate for each employment, oldest first."""
    for period in service_periods(vest, doctor):
        with capture(execute=True):
            response = client.post(f"/vest/leger/{doctor.pk}/tjenesteattester/{period.pk}/")
        assert response.status_code == 302
    with scope(office=vest):
        return list(
            Confirmation.objects.filter(trainee=doctor, kind="tjenesteattest").order_by("serial")
        )


def own_client(user) -> Client:
    """A client of its own, logged in as the user (several people in one test)."""
    client = Client()
    client.force_login(user)
    return client


def liv_lunde(vest, masfjorden):
    """Masfjorden's leader, by name: the read logs show her as «Liv Lunde», never her address."""
    return member(
        vest,
        Role.MUNICIPAL_LEADER,
        masfjorden,
        email="liv@masfjorden.example.no",
        first_name="Liv",
        last_name="Lunde",
    )


def build_package_text(doctor_client, office, doctor, capture, tmp_path, *, layout=False):
    """The doctor builds the application package (the worker runs at once); (the package,
    the text of its PDF as pdftotext reads it)."""
    with capture(execute=True):
        doctor_client.post(f"/{office.slug}/lege/mappe/soknadspakke/")
    with scope(office=office):
        package = ApplicationPackage.objects.get(trainee=doctor)
    response = doctor_client.get(f"/{office.slug}/lege/mappe/soknadspakke/{package.pk}.pdf")
    path = tmp_path / "pakke.pdf"
    path.write_bytes(b"".join(response.streaming_content))
    command = ["pdftotext", *(["-layout"] if layout else []), str(path), "-"]
    return package, subprocess.run(command, capture_output=True, text=True).stdout
