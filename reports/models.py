"""Status reports: a regional one per office, a national one for the coordinating office.

A report is made in the background: the row is created as queued, a task fills in the figures
(`data`, a JSON snapshot), the Excel and PDF files, and moves it to done (or failed). Reports are
kept: an earlier month's figures stay as they were when they were made.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from offices.dates import short_date
from offices.owned import OfficeOwned


class Kind(models.TextChoices):
    REGIONAL = "regional", _("Regional statusrapport")
    NATIONAL = "nasjonal", _("Nasjonal rapport")


class ReportStatus(models.TextChoices):
    QUEUED = "i_ko", _("I kø")
    RUNNING = "lages", _("Lages")
    DONE = "ferdig", _("Ferdig")
    FAILED = "feilet", _("Feilet")


def report_upload_to(report: "Report", filename: str) -> str:
    return f"rapporter/{report.office.slug}/{filename}"


class Report(OfficeOwned):
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    period = models.DateField(_("tall per"), help_text=_("Dagen tallene gjelder for."))
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("fremdrift (%)"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bestilt av"),
    )
    created_at = models.DateTimeField(_("bestilt"), auto_now_add=True)
    finished_at = models.DateTimeField(_("ferdig"), null=True, blank=True)
    xlsx = models.FileField(_("Excel-fil"), upload_to=report_upload_to, blank=True)
    pdf = models.FileField(_("PDF-fil"), upload_to=report_upload_to, blank=True)
    # The figures as shown; for a national report already with small counts suppressed.
    data = models.JSONField(_("tall"), default=dict, blank=True)
    error = models.TextField(_("feil"), blank=True)

    class Meta:
        verbose_name = _("rapport")
        verbose_name_plural = _("rapporter")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="report_progress_at_most_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {short_date(self.period)}"

    @property
    def is_finished(self) -> bool:
        return self.status in (ReportStatus.DONE, ReportStatus.FAILED)
