from celery import shared_task

from offices import clock
from offices.models import Office
from offices.tasks import OfficeTask

from .services import TemporaryMailError


@shared_task(
    base=OfficeTask,
    bind=True,
    autoretry_for=(TemporaryMailError,),
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=5,
)
def deliver(self, office, outbox_id: int) -> str:
    from .services import outbox_deliver

    return outbox_deliver(office=office, outbox_id=outbox_id)


@shared_task(base=OfficeTask)
def sweep(office) -> int:
    """Decide today's reminders for one office (each at most once per period)."""
    from .reminders import run_sweep

    return run_sweep(office=office, today=clock.today())


@shared_task(base=OfficeTask)
def weekly_digest(office) -> int:
    from .digest import send_digests

    return send_digests(office=office, today=clock.today())


@shared_task
def sweep_all_offices() -> int:
    """Beat entry point: fan out one sweep per office (tasks take ids)."""

    ids = list(Office.objects.values_list("pk", flat=True))
    for office_id in ids:
        sweep.delay(office_id)
    return len(ids)


@shared_task
def digest_all_offices() -> int:
    ids = list(Office.objects.values_list("pk", flat=True))
    for office_id in ids:
        weekly_digest.delay(office_id)
    return len(ids)
