"""Issuing a confirmation from the approved goals, end to end (render, sign, download)."""

import subprocess

import pytest
from django.core.cache import cache
from django_scopes import scope

from confirmations.models import Confirmation, Status
from goals.selectors import achieved_goals_for
from trainees.models import SupervisorRole

from .progress_helpers import (
    approve_goal,
    first_goals,
    link_supervisor,
    make_doctor,
    record,
    supervisor_user,
)
from .test_goal_signoff import leader_access


@pytest.fixture(autouse=True)
def signing_settings(settings, dev_pki):
    settings.ALIS_PKI_DIR = dev_pki.directory
    settings.ALIS_SIGNING_PASSWORD = dev_pki.password.decode()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    cache.clear()


@pytest.fixture
def approved(vest, masfjorden, alis_masfjorden, veileder_masfjorden, leader_masfjorden):
    from goals.sample_catalogue import load_sample_catalogue

    load_sample_catalogue()
    doctor = make_doctor(vest, masfjorden, user=alis_masfjorden)
    supervisor = supervisor_user(vest, masfjorden)
    link_supervisor(doctor, veileder_masfjorden)
    link_supervisor(doctor, supervisor, SupervisorRole.SUPERVISOR, name="Sofie Sup")
    goals = first_goals(3)
    access = leader_access(vest, leader_masfjorden)
    for goal in goals[:2]:
        approve_goal(doctor, goal, veileder_masfjorden, supervisor, leader_masfjorden, access)
    record(doctor, [goals[2]])  # in progress: not on the confirmation
    return doctor, goals


def pdftotext(data: bytes, tmp_path) -> str:
    path = tmp_path / "b.pdf"
    path.write_bytes(data)
    result = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return result.stdout


def test_leader_issues_a_confirmation_of_the_approved_goals(
    client_for,
    vest,
    approved,
    leader_masfjorden,
    alis_masfjorden,
    tmp_path,
    django_capture_on_commit_callbacks,
):
    doctor, goals = approved
    with scope(office=vest):
        assert [g.code for g in achieved_goals_for(vest, doctor)] == [g.code for g in goals[:2]]
    client = client_for(leader_masfjorden)
    page = client.get(f"/vest/leger/{doctor.pk}/bekreftelser/").content.decode()
    assert "2 godkjente læringsmål kan bekreftes" in page
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/vest/leger/{doctor.pk}/bekreftelser/").status_code == 302
    with scope(office=vest):
        confirmation = Confirmation.objects.get(trainee=doctor)
    assert confirmation.status == Status.ISSUED
    assert leader_masfjorden.get_full_name() in confirmation.signer_name
    status = client.get(f"/vest/bekreftelser/{confirmation.pk}/status/").content.decode()
    assert "Gyldig" in status and "hx-get" not in status

    # The doctor downloads their own confirmation; it lists exactly the approved goals.
    doctor_client = client_for(alis_masfjorden)
    assert (
        confirmation.serial in doctor_client.get("/vest/framdrift/bekreftelser/").content.decode()
    )
    response = doctor_client.get(f"/vest/bekreftelser/{confirmation.serial}.pdf")
    text = pdftotext(b"".join(response.streaming_content), tmp_path)
    assert goals[0].code in text and goals[1].code in text
    assert goals[2].code not in text

    # Superseded by a new one, then the new one revoked with a reason.
    client = client_for(leader_masfjorden)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/vest/bekreftelser/{confirmation.pk}/erstatt/")
    with scope(office=vest):
        confirmation.refresh_from_db()
        new = Confirmation.objects.get(supersedes=confirmation)
    assert (confirmation.status, new.status) == (Status.SUPERSEDED, Status.ISSUED)
    client.post(f"/vest/bekreftelser/{new.pk}/tilbakekall/", {"reason": ""})
    with scope(office=vest):
        new.refresh_from_db()
    assert new.status == Status.ISSUED  # a reason is required
    client.post(f"/vest/bekreftelser/{new.pk}/tilbakekall/", {"reason": "Feil dato"})
    with scope(office=vest):
        new.refresh_from_db()
    assert new.status == Status.REVOKED


def test_pending_confirmation_polls_until_issued(
    client_for, vest, approved, leader_masfjorden, django_capture_on_commit_callbacks
):
    doctor, _goals = approved
    client = client_for(leader_masfjorden)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(f"/vest/leger/{doctor.pk}/bekreftelser/")
    page = client.get(f"/vest/leger/{doctor.pk}/bekreftelser/").content.decode()
    assert "Lages…" in page and 'hx-trigger="every 2s"' in page


def test_issue_for_all_doctors_of_the_municipality(
    client_for, vest, masfjorden, approved, leader_masfjorden, django_capture_on_commit_callbacks
):
    make_doctor(vest, masfjorden, hpr_number="007777777", email="x@example.no")  # nothing approved
    with django_capture_on_commit_callbacks(execute=True):
        client_for(leader_masfjorden).post("/vest/kommuner/4634/bekreftelser/utsted-alle/")
    with scope(office=vest):
        assert list(Confirmation.objects.values_list("trainee", "status")) == [
            (approved[0].pk, Status.ISSUED)
        ]
