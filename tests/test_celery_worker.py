"""Tasks really go through Redis to a Celery worker, and run in their office."""

import time

from django.core import mail

from accounts.services import invitation_create
from offices.permissions import Role

from .celery_worker import (  # noqa: F401 - fixture
    celery_worker_process,
    wait_for_files,
    wait_for_text,
)


def test_invitation_email_is_sent_by_a_real_worker(celery_worker_process, vest, masfjorden):  # noqa: F811
    from .conftest import member

    coordinator = member(vest, Role.COORDINATOR, email="k@vest.example.no")
    invitation_create(
        office=vest,
        acting_user=coordinator,
        email="via.ko@masfjorden.example.no",
        role=Role.MUNICIPAL_LEADER,
        municipality=masfjorden,
    )
    assert mail.outbox == []  # not sent in this process: it went through the queue
    [sent] = wait_for_files(celery_worker_process, 1)
    text = sent.read_text()
    assert "To: via.ko@masfjorden.example.no" in text
    assert "/invitasjon/" in text and "Masfjorden" in text


def test_a_duplicate_sweep_sends_nothing_twice(celery_worker_process, vest, masfjorden):  # noqa: F811
    """Two sweeps of the same office, run by two worker processes at once, send one e-mail."""

    from django_scopes import scope

    from notifications.models import Outbox
    from notifications.tasks import deliver, sweep

    from .conftest import member, waiting_registration

    coordinator = member(vest, Role.COORDINATOR, email="k@vest.example.no")
    waiting_registration(masfjorden, days=8)
    with scope(office=vest):
        sentinel = Outbox.objects.create(
            office=vest,
            recipient="siste@example.no",
            kind="test",
            subject_key="sentinel",
            period="1",
            subject="Siste",
            body="Sendt etter begge feiingene",
        )
    mail_dir = celery_worker_process
    sweep.delay(vest.pk)
    sweep.delay(vest.pk)
    deliver.delay(vest.pk, sentinel.pk)  # queued behind both sweeps
    wait_for_text(mail_dir, "Sendt etter begge feiingene")
    wait_for_text(mail_dir, "Registrering venter: Masfjorden")
    time.sleep(2)  # room for a duplicate to show up, if there were one
    reminders = [f for f in mail_dir.iterdir() if "Registrering venter" in f.read_text()]
    assert len(reminders) == 1 and f"To: {coordinator.email}" in reminders[0].read_text()
    with scope(office=vest):
        assert Outbox.objects.filter(kind="registrering_venter").count() == 1
