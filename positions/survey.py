"""The periodic status survey: the office asks each participating municipality to confirm or
correct what it knows about the municipality's ALIS positions (office-owned rows)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from offices.owned import OfficeOwned


class StatusSurvey(OfficeOwned):
    """One round of the survey («status for your ALIS positions»), e.g. for 2026-11."""

    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("periode"), max_length=20)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("statusundersøkelse")
        verbose_name_plural = _("statusundersøkelser")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["office", "period"], name="one_survey_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.office}: {self.period}"


class SurveyAnswer(OfficeOwned):
    # A round stays with the office that sent it (it is not moved with the municipality).
    municipality_path = None

    """A municipality's answer to one survey round (empty `answered_at`: not answered yet)."""

    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="+")
    survey = models.ForeignKey(StatusSurvey, on_delete=models.CASCADE, related_name="answers")
    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("svart"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("merknad"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("svar på statusundersøkelse")
        verbose_name_plural = _("svar på statusundersøkelser")
        ordering = ["municipality__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "municipality"], name="one_answer_per_municipality"
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey}: {self.municipality}"
