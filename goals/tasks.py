from celery import shared_task

from offices.models import Office
from offices.tasks import OfficeTask


@shared_task(
    base=OfficeTask,
    autoretry_for=(ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
)
def send_supervisor_digests(office) -> int:
    """The supervisor digest for one office (run daily per office by beat)."""
    from .services import supervisor_digest_send

    return supervisor_digest_send(office=office)


@shared_task
def send_supervisor_digests_for_all_offices() -> None:
    """Daily entry point for beat (django-celery-beat): one task per office, each in its scope."""

    for office_id in Office.objects.values_list("pk", flat=True):
        send_supervisor_digests.delay(office_id)
