"""Writes for reports: ordering one (queued, built by a task) and building it."""

import logging
from datetime import date

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.language import speaking
from offices import clock

from .models import Kind, Report, ReportStatus

log = logging.getLogger(__name__)


def report_request(*, office, acting_user, kind: str = Kind.REGIONAL, period: date | None = None):
    """Queue a report of `office`; the task starts when the transaction commits. A national
    report can only be ordered by the office that holds the coordinating role on the day."""
    from .tasks import build_report

    period = period or clock.today()
    if kind == Kind.NATIONAL and not office.is_coordinating(period):
        raise PermissionDenied(_("Bare det koordinerende kontoret lager nasjonale rapporter."))
    with transaction.atomic():
        report = Report(office=office, kind=kind, period=period, created_by=acting_user)
        report.full_clean()
        report.save()
        build_report.delay_on_commit(office.pk, report.pk)
    return report


def _progress(report: Report, percent: int) -> None:
    report.progress = percent
    report.save(update_fields=["progress"])


def report_build(*, report: Report) -> Report:
    """Compute the figures, write the files, mark it done. Each step is saved on its own so the
    page can show progress while the worker runs."""
    from .national import national_figures
    from .rendering import report_pdf, report_xlsx
    from .selectors import health_trust_figures, regional_figures

    if report.status != ReportStatus.QUEUED:
        return report  # a retried or duplicate task must not build it twice
    report.status, report.progress = ReportStatus.RUNNING, 5
    report.save(update_fields=["status", "progress"])
    try:
        data = {"period": report.period.isoformat(), "notes": []}
        if report.kind == Kind.NATIONAL:
            data.update(
                national_figures(
                    report.period,
                    progress=lambda done, total: _progress(report, 5 + 55 * done // total),
                )
            )
        else:
            data["office"] = report.office.name
            data["figures"] = regional_figures(report.office, report.period)
            data["by_trust"] = health_trust_figures(report.office, report.period)
        report.data = data
        report.progress = 60
        report.save(update_fields=["data", "progress"])
        stem = f"{report.kind}-{report.period:%Y-%m-%d}-{report.pk}"
        # In the language of the person who asked for it (bokmål for the monthly ones).
        with speaking(report.created_by):
            xlsx = report_xlsx(report)
            _progress(report, 75)
            pdf = report_pdf(report)
        report.xlsx.save(f"{stem}.xlsx", ContentFile(xlsx), save=False)
        report.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
    except Exception as error:
        log.exception("Rapport %s kunne ikke lages", report.pk)
        report.status, report.error = ReportStatus.FAILED, str(error)[:2000]
        report.finished_at = timezone.now()
        report.save(update_fields=["status", "error", "finished_at"])
        raise
    report.status, report.progress, report.finished_at = ReportStatus.DONE, 100, timezone.now()
    report.save(update_fields=["status", "progress", "finished_at", "xlsx", "pdf"])
    return report
