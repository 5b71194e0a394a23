"""Builders for ALIS doctors, periods, the supervisor pool and groups (through the services,
so the tests exercise the same validation the pages do)."""

from datetime import date

from trainees import services
from trainees.models import SupervisorRole


def make_trainee(office, municipality, acting_user=None, **kwargs):
    data = {
        "first_name": "Anna",
        "last_name": "Aase",
        "email": "anna.aase@example.no",
        "hpr_number": "1234567",
        "specialisation_start": date(2024, 1, 1),
        **kwargs,
    }
    return services.trainee_create(
        office=office, acting_user=acting_user, municipality=municipality, **data
    )


def make_period(trainee, acting_user=None, **kwargs):
    data = {
        "place": "Masfjorden legekontor",
        "arena": "allmennpraksis",
        "percentage": 100,
        "start": date(2024, 1, 1),
        "end": None,
        **kwargs,
    }
    return services.period_create(
        office=trainee.office, acting_user=acting_user, trainee=trainee, **data
    )


def make_supervisor(office, municipalities=(), acting_user=None, **kwargs):
    data = {"name": "Vidar Vik", "email": "vidar@example.no", "capacity": 2, **kwargs}
    return services.supervisor_save(
        office=office, acting_user=acting_user, municipalities=list(municipalities), **data
    )


def make_assignment(trainee, supervisor, acting_user=None, **kwargs):
    data = {"role": SupervisorRole.VEILEDER, "start": date(2024, 1, 1), **kwargs}
    return services.assignment_create(
        office=trainee.office,
        acting_user=acting_user,
        trainee=trainee,
        supervisor=supervisor,
        **data,
    )


def make_group(office, members=(), acting_user=None, **kwargs):
    data = {"name": "Gruppe Nordhordland", "leader_name": "Gro Gruppe", "start": date(2024, 1, 1)}
    data.update(kwargs)
    return services.group_save(
        office=office, acting_user=acting_user, members=list(members), **data
    )


def vest_trainee_objects(municipality):
    """One of each trainee object in Masfjorden (Vest), for the isolation meta-test."""
    office = municipality.office
    trainee = make_trainee(office, municipality, hpr_number="7654321")
    supervisor = make_supervisor(office, [municipality])
    return {
        "trainee": trainee,
        "period": make_period(trainee),
        "assignment": make_assignment(trainee, supervisor),
        "supervisor": supervisor,
        "group": make_group(office, [trainee]),
        "plan_version": make_plan_version(trainee),
    }


def make_plan_version(trainee, acting_user=None, arenas=None, courses=(), **data):
    from plans.services import plan_version_create

    if arenas is None:
        arenas = [
            {
                "arena": "allmennpraksis",
                "place": "Masfjorden legekontor",
                "start": date(2024, 1, 1),
                "end": date(2028, 12, 31),
                "percentage": 100,
            }
        ]
    return plan_version_create(
        office=trainee.office,
        acting_user=acting_user,
        trainee=trainee,
        data=data,
        arenas=arenas,
        courses=list(courses),
    )


def transfer_across(trainee, to_municipality, *, on, asked_by, accepted_by, note=""):
    """A doctor moved to a municipality of another office the only way there is: the sending
    office asks, the receiving office accepts (the move runs then)."""
    request = services.transfer_request_create(
        office=trainee.office,
        acting_user=asked_by,
        trainee=trainee,
        to_municipality=to_municipality,
        on=on,
        note=note,
    )
    return services.transfer_request_accept(
        office=to_municipality.office, acting_user=accepted_by, transfer=request
    )
