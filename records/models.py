"""The doctor's whole record as it leaves the system: the signed application package for the
specialist approval, requests to correct the record, and the anonymised statistics that are
all that remains once a record has been kept for its retention period (records.services).

Packages and correction requests belong to the doctor (`trainee_path`), so they move with the
doctor on a transfer like every other part of the record (offices.owned registry).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from offices.owned import OfficeOwned


class PackageStatus(models.TextChoices):
    QUEUED = "i_ko", _("I kø")
    RUNNING = "lages", _("Lages")
    DONE = "ferdig", _("Ferdig")
    FAILED = "feilet", _("Feilet")


class ApplicationPackage(OfficeOwned):
    """One signed PDF (PDF/A-3b, tagged) with the summary, every valid service certificate and
    confirmation attached unchanged, and the same content as JSON (records/schema/)."""

    trainee_path = "trainee"
    trainee = models.ForeignKey(
        "trainees.Trainee", on_delete=models.CASCADE, related_name="application_packages"
    )
    status = models.CharField(
        _("status"), max_length=8, choices=PackageStatus.choices, default=PackageStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("fremdrift (%)"), default=0)
    step = models.CharField(_("steg"), max_length=120, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("bestilt"), auto_now_add=True)
    finished_at = models.DateTimeField(_("ferdig"), null=True, blank=True)
    pdf = models.FileField(upload_to="soknadspakker/%Y/", blank=True)
    json = models.FileField(upload_to="soknadspakker/%Y/", blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    # The serial numbers of the documents attached, as they were when it was made.
    documents = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("søknadspakke")
        verbose_name_plural = _("søknadspakker")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="package_progress_at_most_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.trainee}: {self.requested_at:%Y-%m-%d %H:%M}"

    @property
    def is_finished(self) -> bool:
        return self.status in (PackageStatus.DONE, PackageStatus.FAILED)


class CorrectionStatus(models.TextChoices):
    OPEN = "apen", _("Venter på kontoret")
    DONE = "behandlet", _("Behandlet")


class CorrectionRequest(OfficeOwned):
    """The doctor asks the office to correct something in the record (GDPR art. 16): an item
    in the office's queue until someone answers it."""

    trainee_path = "trainee"
    trainee = models.ForeignKey(
        "trainees.Trainee", on_delete=models.CASCADE, related_name="correction_requests"
    )
    text = models.TextField(_("hva som er feil, og hva som er riktig"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("sendt"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=CorrectionStatus.choices, default=CorrectionStatus.OPEN
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("behandlet"), null=True, blank=True)
    response = models.TextField(_("svar til legen"), blank=True)

    class Meta:
        verbose_name = _("anmodning om retting")
        verbose_name_plural = _("anmodninger om retting")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.trainee}: {self.created_at:%Y-%m-%d}"


class RetentionStatistic(OfficeOwned):
    """What is left of deleted records: counts and sums per office, year of leaving, scheme and
    outcome. No row names or points at a person."""

    year_left = models.PositiveSmallIntegerField(_("år legen gikk ut av ordningen"))
    scheme = models.CharField(_("ordning"), max_length=12)
    outcome = models.CharField(_("utfall"), max_length=12)
    doctors = models.PositiveIntegerField(_("antall leger"), default=0)
    service_years = models.DecimalField(
        _("tjeneste i alt (årsverk)"), max_digits=8, decimal_places=1, default=0
    )
    approved_goals = models.PositiveIntegerField(_("godkjente læringsmål i alt"), default=0)

    class Meta:
        verbose_name = _("anonymisert statistikk")
        verbose_name_plural = _("anonymisert statistikk")
        constraints = [
            models.UniqueConstraint(
                fields=["office", "year_left", "scheme", "outcome"],
                name="retention_statistic_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year_left} {self.scheme} {self.outcome}: {self.doctors}"
