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
from django_scopes import ScopeError, scope, scopes_disabled

from municipalities.models import Municipality
from offices.models import Office
from offices.owned import OfficeOwned, office_owned_models
from trainees.models import Trainee

# Models with an `office` key that are NOT office-owned, and why.
NOT_OFFICE_OWNED = {
    "municipalities.Municipality": "reference data: the register, assigned to an office",
    "municipalities.OfficeAssignment": "reference data: which office served a municipality when",
    "offices.CoordinatingPeriod": "reference data: the rotating coordinating role",
    "accounts.Membership": "decides the scope itself (read by the middleware before any scope)",
    "agreements.AgreementTemplate": "national templates have no office; office ones are filtered",
}


def _label(model) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


def _project_models():
    return [
        m
        for m in apps.get_models()
        if m.__module__.split(".")[0] in {"accounts", "agreements", "confirmations", "goals"}
        | {"municipalities", "notifications", "offices", "plans", "positions", "reports"}
        | {"trainees", "demo"}
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


@pytest.fixture
def full_record(db, vest, client):
    """The demo's Masfjorden doctor: plan versions, goals in every state, activities signed and
    not, supervisors, the supervision log, agreements; plus a course and a confirmation."""
    from accounts.models import User
    from confirmations.models import Confirmation, Status
    from django.core.files.base import ContentFile
    from trainees.models import CourseRecord

    call_command("load_demo", stdout=None)
    with scope(office=vest):
        trainee = Trainee.objects.get(user__email=DOCTOR)
        CourseRecord.objects.create(
            office=vest, trainee=trainee, kind="A", title="Grunnkurs A", hours=30,
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


def test_a_doctor_moves_with_the_whole_record(full_record, vest, nord, coordinator_vest):
    from plans.models import GoalProgress, GoalStatus
    from trainees.services import trainee_transfer

    trainee = full_record
    before = _counts(vest, trainee)
    # The record really is full: every part the issue names is there before the move.
    for label in (
        "plans.IndividualPlan",
        "plans.PlanVersion",
        "plans.GoalProgress",
        "plans.LearningActivity",
        "plans.ActivitySignoff",
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
        trainee_transfer(
            office=vest,
            acting_user=coordinator_vest,
            trainee=trainee,
            to_municipality=vadso,
            on=date(2026, 12, 1),
        )

    after_new = _counts(nord, trainee)
    after_old = _counts(vest, trainee)
    assert after_new == {**before, "trainees.Trainee": 1}
    assert set(after_old.values()) == {0}
    # The history of each moved row says it moved, and who moved it.
    with scope(office=nord):
        version = trainee.plan.versions.first()
        last = version.history.first()
        assert last.office_id == nord.pk
        assert last.history_user == coordinator_vest
