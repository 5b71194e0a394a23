from celery import shared_task
from django_scopes import scope

from offices import clock
from offices.models import Office
from offices.pdf import TASK_SOFT_TIME_LIMIT, TASK_TIME_LIMIT
from offices.tasks import OfficeTask

from .models import Kind, Report


# Renders a PDF: bounded like every render (alis/pdf.py).
@shared_task(base=OfficeTask, soft_time_limit=TASK_SOFT_TIME_LIMIT, time_limit=TASK_TIME_LIMIT)
def build_report(office, report_id: int) -> str:
    from .services import report_build

    report = Report.objects.get(pk=report_id, office=office)
    return report_build(report=report).status


@shared_task
def monthly_reports() -> int:
    """Beat, on the 1st of each month: a regional report for every office and the national one
    for the office that holds the coordinating role. Returns how many were queued."""
    from .services import report_request

    today = clock.today()
    queued = 0
    for office in Office.objects.order_by("name"):
        kinds = [Kind.REGIONAL] + ([Kind.NATIONAL] if office.is_coordinating(today) else [])
        # One office at a time, in its own scope: each report belongs to its office.
        with scope(office=office):
            for kind in kinds:
                # A repeated beat run (a restart on the day) does not queue the month twice.
                if Report.objects.filter(
                    office=office, kind=kind, period=today, created_by__isnull=True
                ).exists():
                    continue
                report_request(office=office, acting_user=None, kind=kind, period=today)
                queued += 1
    return queued
