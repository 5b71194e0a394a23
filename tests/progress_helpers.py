"""Builders for goal progress tests: a doctor in Masfjorden with a veileder and a supervisør
who have user accounts, and goals that reach every state through the services."""

from datetime import date

from django_scopes import scope

from goals import services as svc
from goals.selectors import current_goals
from offices.permissions import Role
from trainees.models import SupervisorRole, Trainee

from .conftest import member
from .trainee_factories import make_assignment, make_supervisor


def make_doctor(office, municipality, user=None, **kwargs):
    data = {
        "first_name": "Anna",
        "last_name": "Aase",
        "email": "anna@example.no",
        "hpr_number": "001234567",
        "specialisation_start": date(2023, 1, 1),
        **kwargs,
    }
    with scope(office=office):
        return Trainee.objects.create(office=office, municipality=municipality, user=user, **data)


def link_supervisor(trainee, user, role=SupervisorRole.VEILEDER, name="Vera Veileder"):
    supervisor = make_supervisor(trainee.office, [trainee.municipality], name=name)
    with scope(office=trainee.office):
        supervisor.user = user
        supervisor.save()
    make_assignment(trainee, supervisor, role=role, start=date(2023, 1, 1))
    return supervisor


def supervisor_user(office, municipality, email="sofie@example.no"):
    return member(
        office, Role.SUPERVISOR, municipality, email=email, first_name="Sofie", last_name="Sup"
    )


def record(trainee, goals, day=date(2025, 3, 1), text="Konsultasjoner med refleksjon"):
    return svc.activity_record(
        office=trainee.office,
        acting_user=trainee.user,
        trainee=trainee,
        goals=list(goals),
        kind="klinisk",
        date=day,
        description=text,
    )


def approve_goal(trainee, goal, veileder, supervisor, leader, access):
    """Take one goal all the way: activity, submission, advice from both, approval."""
    office = trainee.office
    activity = record(trainee, [goal])
    svc.activities_sign(office=office, acting_user=veileder, activities=[activity])
    progress = svc.goal_submit(office=office, acting_user=trainee.user, trainee=trainee, goal=goal)
    for user in (veileder, supervisor):
        svc.goal_advise(
            office=office,
            acting_user=user,
            progress=progress,
            text="Godt dokumentert",
            recommend=True,
        )
    return svc.goal_approve(office=office, acting_user=leader, access=access, progress=progress)


def first_goals(n):
    return list(current_goals()[:n])
