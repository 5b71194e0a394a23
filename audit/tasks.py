from celery import shared_task

from .services import logs_purge


@shared_task
def purge_old_logs() -> dict:
    """Beat, every night: the security and read-access logs keep their retention period."""
    events, reads = logs_purge()
    return {"security_events": events, "read_access": reads}
