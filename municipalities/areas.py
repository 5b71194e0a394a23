"""Health-trust areas and the municipality name history (national reference data, not scoped).

Coordinators group their recruitment tables by the local health trust (helseforetak, the OSO
area), and write municipalities by the names they had before a merger («Nye Senja»). Both are
reference data with validity dates, loaded from `municipalities/data/` by a data migration and
kept up to date like the register (admin, or a new data file and migration).
"""

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class HealthTrust(models.Model):
    """A local health trust (helseforetak), e.g. «Helse Førde HF»."""

    code = models.CharField(_("kode"), max_length=10, unique=True)
    name = models.CharField(_("navn"), max_length=120)
    region = models.CharField(_("regionalt helseforetak"), max_length=60)

    class Meta:
        verbose_name = _("helseforetak")
        verbose_name_plural = _("helseforetak")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class HealthTrustAreaQuerySet(models.QuerySet):
    def valid_on(self, day: date):
        return self.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gt=day))


class HealthTrustArea(models.Model):
    """A municipality belongs to a health trust's area from `valid_from` until `valid_to`
    (exclusive; empty: still does)."""

    municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.PROTECT,
        related_name="health_trust_areas",
        verbose_name=_("kommune"),
    )
    health_trust = models.ForeignKey(
        HealthTrust, on_delete=models.PROTECT, related_name="areas", verbose_name=_("helseforetak")
    )
    valid_from = models.DateField(_("gyldig fra"))
    valid_to = models.DateField(_("gyldig til"), null=True, blank=True)
    source = models.CharField(_("kilde og merknad"), max_length=300, blank=True)

    objects = HealthTrustAreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("helseforetaksområde")
        verbose_name_plural = _("helseforetaksområder")
        ordering = ["municipality", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality"],
                condition=Q(valid_to__isnull=True),
                name="one_open_health_trust_area_per_municipality",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} → {self.health_trust} fra {self.valid_from}"


class MunicipalityName(models.Model):
    """A name a municipality was known by (before a merger, or while one was planned),
    valid from `valid_from` until `valid_to` (exclusive)."""

    name = models.CharField(_("navn"), max_length=100)
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.PROTECT,
        related_name="former_names",
        verbose_name=_("kommunen i dag"),
    )
    valid_from = models.DateField(_("gyldig fra"))
    valid_to = models.DateField(_("gyldig til"))
    note = models.CharField(_("merknad"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("tidligere kommunenavn")
        verbose_name_plural = _("tidligere kommunenavn")
        ordering = ["name", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "municipality"], name="former_name_unique_per_municipality"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} → {self.municipality}"
