from celery import shared_task
from django.core.files.base import ContentFile

from offices.pdf import TASK_SOFT_TIME_LIMIT, TASK_TIME_LIMIT
from offices.tasks import OfficeTask

from .models import Agreement, AgreementStatus


# Renders a PDF: bounded like every render (alis/pdf.py).
@shared_task(base=OfficeTask, soft_time_limit=TASK_SOFT_TIME_LIMIT, time_limit=TASK_TIME_LIMIT)
def agreement_store_pdf(office, agreement_id: int) -> None:
    """Render a signed agreement once and keep the file: the stored PDF is the document the
    parties signed, and later template versions do not change it."""
    from .rendering import agreement_pdf

    agreement = Agreement.objects.select_related(
        "office", "municipality", "trainee", "template_version__template"
    ).get(pk=agreement_id, office=office)
    if agreement.status == AgreementStatus.DRAFT or agreement.pdf:
        return
    name = f"alis-avtale-{agreement.pk}.pdf"
    agreement.pdf.save(name, ContentFile(agreement_pdf(agreement)), save=False)
    Agreement.objects.filter(pk=agreement.pk, office=office).update(pdf=agreement.pdf.name)
