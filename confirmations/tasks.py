from celery import shared_task

from offices.pdf import TASK_SOFT_TIME_LIMIT, TASK_TIME_LIMIT
from offices.tasks import OfficeTask

from .models import Confirmation


# Renders a PDF: bounded like every render (alis/pdf.py).
@shared_task(base=OfficeTask, soft_time_limit=TASK_SOFT_TIME_LIMIT, time_limit=TASK_TIME_LIMIT)
def build_confirmation(office, confirmation_id: int) -> str:
    from .services import confirmation_build

    confirmation = Confirmation.objects.get(pk=confirmation_id, office=office)
    return confirmation_build(confirmation=confirmation).status
