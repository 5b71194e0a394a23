from celery import shared_task

from offices.pdf import TASK_SOFT_TIME_LIMIT, TASK_TIME_LIMIT
from offices.tasks import OfficeTask

from .models import ApplicationPackage


# Renders and signs a PDF: bounded like every render (offices/pdf.py).
@shared_task(base=OfficeTask, soft_time_limit=TASK_SOFT_TIME_LIMIT, time_limit=TASK_TIME_LIMIT)
def build_package(office, package_id: int) -> str:
    from .services import package_build

    package = ApplicationPackage.objects.get(pk=package_id, office=office)
    return package_build(package=package).status


@shared_task
def purge_expired_records() -> int:
    """Beat, every night: records kept for their retention period are deleted (statistics stay)."""
    from .services import records_purge

    return records_purge()
