"""The registry of office-owned models, and a doctor's or a municipality's whole record moving.

The registry (`offices.owned.office_owned_models`) is every subclass of `OfficeOwned`; these
tests make sure no office-owned model lives outside it, that each one is scoped, and that what
a model declares it belongs to (its doctor, its municipality) is a real path.
"""

from datetime import date

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.utils import timezone
from django_scopes import ScopeError, scope, scopes_disabled

from municipalities.models import Municipality
from offices.models import Office
from offices.owned import OfficeOwned, office_owned_models
from trainees.models import Trainee

from .trainee_factories import transfer_across

# Models with an `office` key that are NOT office-owned, and why.
NOT_OFFICE_OWNED = {
    "municipalities.Municipality": "reference data: the register, assigned to an office",
    "municipalities.OfficeAssignment": "reference data: which office served a municipality when",
    "offices.CoordinatingPeriod": "reference data: the rotating coordinating role",
    "audit.SecurityEvent": "about accounts, not one office's data (a failed login has no office)",
    "accounts.Membership": "decides the scope itself (read by the middleware before any scope)",
    "agreements.AgreementTemplate": "national templates have no office; office ones are filtered",
    "grants.Scheme": "reference data: national schemes have no office; regional ones are filtered",
}


def _label(model) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


def _project_models():
    return [
        m
        for m in apps.get_models()
        if m.__module__.split(".")[0]
        in {"accounts", "agreements", "audit", "confirmations", "events", "goals", "grants"}
        | {"municipalities", "notifications", "offices", "plans", "positions", "reports"}
        | {"trainees", "demo", "records"}
        and not m.__name__.startswith("Historical")
    ]


def _target(model, path: str):
    """The model a lookup path leads to, following relations (and reverse ones) by name."""
    for name in path.split("__"):
        field = model._meta.get_field(name)
        model = field.related_model
    return model


def test_every_model_with_an_office_key_is_registered_or_explained():
    registered = set(office_owned_models())
    assert len(registered) >= 35
    for model in _project_models():
        try:
            field = model._meta.get_field("office")
        except Exception:
            continue
        if not (field.is_relation and field.related_model is Office):
            continue
        label = _label(model)
        assert model in registered or label in NOT_OFFICE_OWNED, (
            f"{label} har et kontor, men arver ikke OfficeOwned"
        )
        assert not (model in registered and label in NOT_OFFICE_OWNED), label


def test_every_registered_model_is_scoped(db, vest):
    for model in office_owned_models():
        assert issubclass(model, OfficeOwned)
        with pytest.raises(ScopeError):
            model.objects.count()
        with scope(office=vest):
            model.objects.count()
        field = model._meta.get_field("office")
        assert field.remote_field.on_delete is models.PROTECT, _label(model)


def test_every_model_that_points_at_a_doctor_declares_its_path():
    for model in office_owned_models():
        points_at_doctor = any(
            f.is_relation and f.many_to_one and f.related_model is Trainee
            for f in model._meta.get_fields()
        )
        if points_at_doctor:
            assert model.trainee_path, f"{_label(model)} peker på en lege uten trainee_path"


def test_declared_paths_lead_to_a_doctor_and_a_municipality():
    for model in office_owned_models():
        if model.trainee_path:
            assert _target(model, model.trainee_path) is Trainee, _label(model)
        if model.municipality_path:
            assert _target(model, model.municipality_path) is Municipality, _label(model)
    assert Trainee.trainee_path == ""


# --- A doctor with a full record moves to another office --------------------------------------

DOCTOR = "alis.masfjorden@demo.alis.no"


def _counts(office, trainee) -> dict[str, int]:
    """How many rows of each registered model that belong to the doctor the office holds."""
    from offices.owned import rows_of_trainee

    with scope(office=office):
        return {
            _label(model): rows_of_trainee(model, trainee).count()
            for model in office_owned_models()
            if model.trainee_path is not None
        }


def _own_client(user):
    """A client of the user's own: `client_for` shares one client, so a second login would
    silently replace the first."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def full_record(db, vest, client):
    """The demo's Masfjorden doctor: plan versions, goals in every state, activities signed and
    not, supervisors, the supervision log, agreements; plus a course and a confirmation."""
    from django.core.files.base import ContentFile

    from accounts.models import User
    from confirmations.models import Confirmation, Status
    from trainees.models import CourseRecord

    call_command("load_demo", stdout=None)
    with scope(office=vest):
        trainee = Trainee.objects.get(user__email=DOCTOR)
        CourseRecord.objects.create(
            office=vest,
            trainee=trainee,
            kind="A",
            title="Grunnkurs A",
            hours=30,
            completed_on=date(2025, 5, 1),
        )
        confirmation = Confirmation(
            office=vest,
            municipality=trainee.municipality,
            trainee=trainee,
            serial="ALIS-VEST-2026-00099",
            status=Status.ISSUED,
            signer_name="Leder",
            requested_by=User.objects.get(email="koordinator.vest@demo.alis.no"),
        )
        confirmation.pdf.save("b.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
        confirmation.save()
    return trainee


def test_a_doctor_moves_with_the_whole_record(
    full_record, vest, nord, coordinator_vest, coordinator_nord
):
    from goals.models import GoalProgress, GoalStatus

    trainee = full_record
    before = _counts(vest, trainee)
    # The record really is full: every part the issue names is there before the move.
    for label in (
        "plans.IndividualPlan",
        "plans.PlanVersion",
        "goals.GoalProgress",
        "goals.LearningActivity",
        "goals.ActivitySignoff",
        "trainees.ServicePeriod",
        "trainees.SupervisorAssignment",
        "trainees.SupervisionSession",
        "trainees.CourseRecord",
        "agreements.Agreement",
        "confirmations.Confirmation",
    ):
        assert before[label] >= 1, label
    assert before["plans.PlanVersion"] >= 2
    with scope(office=vest):
        states = set(GoalProgress.objects.filter(trainee=trainee).values_list("status", flat=True))
    assert states == {
        GoalStatus.APPROVED,
        GoalStatus.SUBMITTED,
        GoalStatus.RETURNED,
        GoalStatus.IN_PROGRESS,
    }

    vadso = Municipality.objects.get(number="5607")
    with scope(office=vest):
        transfer_across(
            trainee,
            vadso,
            on=timezone.localdate(),
            asked_by=coordinator_vest,
            accepted_by=coordinator_nord,
        )

    after_new = _counts(nord, trainee)
    after_old = _counts(vest, trainee)
    assert after_new == {**before, "trainees.Trainee": 1}
    assert set(after_old.values()) == {0}
    # The history of each moved row says it moved, and who moved it (who accepted the move).
    with scope(office=nord):
        version = trainee.individual_plan.versions.first()
        last = version.history.first()
        assert last.office_id == nord.pk
        assert last.history_user == coordinator_nord
        assert last.history_change_reason == "Overført med legen"


DOCTOR_ARGS = {
    "trainee_id",
    "plan_version",
    "period_id",
    "assignment_id",
    "agreement_id",
    "confirmation_id",
    "progress_id",
    "serial",
}


def _doctor_kwargs(office, trainee) -> dict:
    from confirmations.models import Confirmation
    from goals.models import GoalProgress, GoalStatus

    with scope(office=office):
        return {
            "trainee_id": trainee.pk,
            "plan_version": trainee.individual_plan.versions.first().number,
            "period_id": trainee.service_periods.first().pk,
            "assignment_id": trainee.supervisors.first().pk,
            "agreement_id": trainee.agreements.first().pk,
            # The issued one (the demo's own documents wait for their task in a test).
            "confirmation_id": Confirmation.objects.get(trainee=trainee, status="utstedt").pk,
            "serial": Confirmation.objects.get(trainee=trainee, status="utstedt").serial,
            "progress_id": GoalProgress.objects.filter(trainee=trainee, status=GoalStatus.SUBMITTED)
            .first()
            .pk,
        }


def test_every_page_of_a_moved_doctor_is_in_the_new_office_only(
    full_record, vest, nord, coordinator_vest, coordinator_nord, client_for
):
    from django.urls import reverse

    from accounts.models import User
    from offices.permissions import PERMISSIONS, Role

    from .test_tenancy import office_routes

    trainee = full_record
    with scope(office=vest):
        transfer_across(
            trainee,
            Municipality.objects.get(number="5607"),
            on=timezone.localdate(),
            asked_by=coordinator_vest,
            accepted_by=coordinator_nord,
        )
    kwargs = _doctor_kwargs(nord, trainee)
    new, old = _own_client(coordinator_nord), _own_client(coordinator_vest)
    seen = []
    for _route, pattern in office_routes():
        names = set(pattern.pattern.regex.groupindex) - {"office_slug"}
        perm = pattern.callback.access[1]
        if not names or not names <= DOCTOR_ARGS or Role.COORDINATOR not in PERMISSIONS[perm]:
            continue
        args = {k: kwargs[k] for k in names}
        page = new.get(reverse(pattern.name, kwargs={"office_slug": "nord", **args}))
        if page.status_code == 405:  # a POST-only action: its 404 is in test_tenancy
            continue
        assert page.status_code == 200, pattern.name
        gone = old.get(reverse(pattern.name, kwargs={"office_slug": "vest", **args}))
        assert gone.status_code == 404, pattern.name
        seen.append(pattern.name)
    assert {
        "trainee_detail",
        "plan_detail",
        "plan_version_detail",
        "supervision_log",
        "trainee_courses",
        "trainee_progress",
        "agreement_detail",
        "confirmation_download",
    } <= set(seen), seen

    # The data is on the new office's pages.
    text = new.get(f"/nord/leger/{trainee.pk}/kurs/").content.decode()
    assert "Grunnkurs A" in text
    download = new.get(f"/nord/bekreftelser/{kwargs['serial']}.pdf")
    assert download.status_code == 200 and kwargs["serial"] == "ALIS-VEST-2026-00099"
    text = new.get(f"/nord/leger/{trainee.pk}/plan/").content.decode()
    assert f"/nord/leger/{trainee.pk}/plan/{kwargs['plan_version']}/" in text

    # The doctor's own pages follow the doctor: in Nord, not in Vest any more.
    doctor = client_for(User.objects.get(email=DOCTOR))
    for name in ("my_record", "my_plan", "my_progress", "my_confirmations", "my_courses"):
        assert doctor.get(reverse(name, kwargs={"office_slug": "nord"})).status_code == 200, name
        assert doctor.get(reverse(name, kwargs={"office_slug": "vest"})).status_code == 404, name


# --- A municipality moves to another office ---------------------------------------------------


def test_a_municipality_moves_with_its_rows_and_pages(
    full_record, vest, nord, coordinator_vest, coordinator_nord, client_for
):
    from municipalities.services import municipalities_move
    from offices.owned import rows_of_municipality
    from tests.trainee_factories import make_group, make_supervisor
    from trainees.models import GroupMeeting, SupervisionGroup, Supervisor

    masfjorden = Municipality.objects.get(number="4634")
    bergen = Municipality.objects.get(number="4601")
    with scope(office=vest):
        only_here = make_supervisor(vest, [masfjorden], name="Kun Masfjorden")
        shared = make_supervisor(vest, [masfjorden, bergen], name="Masfjorden og Bergen")
        group = make_group(vest, [full_record], name="Gruppe Masfjorden")
    with scopes_disabled():
        before = {
            _label(m): set(rows_of_municipality(m, masfjorden).values_list("pk", flat=True))
            for m in office_owned_models()
        }
    assert before["trainees.Trainee"] and before["positions.Position"]
    assert before["municipalities.EducationPlan"] and before["agreements.Agreement"]

    municipalities_move(numbers=["4634"], to_office=nord, on=timezone.localdate())

    with scopes_disabled():
        for model in office_owned_models():
            rows = model.objects.filter(pk__in=before[_label(model)])
            offices_now = set(rows.values_list("office__slug", flat=True))
            if model in (Supervisor, SupervisionGroup, GroupMeeting):
                continue  # they may serve several municipalities: checked one by one below
            if before[_label(model)]:
                assert offices_now == {"nord"}, _label(model)
        # The pool row serving Bergen too stays in Vest; the other one follows, and so does
        # the group whose members are all from Masfjorden.
        assert Supervisor.objects.get(pk=only_here.pk).office == nord
        assert Supervisor.objects.get(pk=shared.pk).office == vest
        assert SupervisionGroup.objects.get(pk=group.pk).office == nord

    new, old = _own_client(coordinator_nord), _own_client(coordinator_vest)
    for path in ("", "profil/", "kontakt/", "utdanningsplan/"):
        assert new.get(f"/nord/kommuner/4634/{path}").status_code == 200, path
        assert old.get(f"/vest/kommuner/4634/{path}").status_code == 404, path
    assert "Kun Masfjorden" in new.get("/nord/veilederpool/").content.decode()
    assert "Kun Masfjorden" not in old.get("/vest/veilederpool/").content.decode()
    assert "Aase, Anna" in new.get("/nord/leger/").content.decode()
    assert "Gruppe Masfjorden" in new.get("/nord/veiledningsgrupper/").content.decode()
