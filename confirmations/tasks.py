from celery import shared_task

from offices.tasks import OfficeTask

from .models import Confirmation


@shared_task(base=OfficeTask)
def build_confirmation(office, confirmation_id: int) -> str:
    from .services import confirmation_build

    confirmation = Confirmation.objects.get(pk=confirmation_id, office=office)
    return confirmation_build(confirmation=confirmation).status
