"""The municipality register (reference data) and each municipality's office history.

The register is not office-scoped: it is national reference data. Which office serves a
municipality is stored on it and in `OfficeAssignment`, so moving municipalities between
offices keeps the whole history.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Municipality(models.Model):
    number = models.CharField(_("kommunenummer"), max_length=4, unique=True)
    name = models.CharField(_("navn"), max_length=100)
    county = models.CharField(_("fylke"), max_length=60)
    office = models.ForeignKey(
        "offices.Office",
        on_delete=models.PROTECT,
        related_name="municipalities",
        verbose_name=_("ALIS-kontor"),
    )
    is_active = models.BooleanField(
        _("aktiv"), default=True, help_text=_("Kommuner som er slått sammen eller delt beholdes.")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kommune")
        verbose_name_plural = _("kommuner")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.name} ({self.number})"

    @property
    def county_number(self) -> str:
        return self.number[:2]


class OfficeAssignment(models.Model):
    """Which office served a municipality, from when to when (`end` empty: still does)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="office_assignments"
    )
    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="+")
    start = models.DateField(_("fra"))
    end = models.DateField(_("til"), null=True, blank=True)
    note = models.CharField(_("merknad"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("kontortilknytning")
        verbose_name_plural = _("kontortilknytninger")
        ordering = ["municipality", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality"],
                condition=models.Q(end__isnull=True),
                name="one_open_assignment_per_municipality",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} → {self.office} fra {self.start}"
