"""Tasks really go through Redis to a Celery worker, and run in their office."""

from django.core import mail

from accounts.models import Role
from accounts.services import invitation_create

from .celery_worker import celery_worker_process, wait_for_files  # noqa: F401 - fixture


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
