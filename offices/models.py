"""The regional ALIS offices: the tenants. Offices are data, not code."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from offices import clock

from .dates import short_date

# First URL segments that belong to the site, not to an office.
RESERVED_SLUGS = {
    "admin",
    "accounts",
    "konto",
    "healthz",
    "hjem",
    "invitasjon",
    "registrering",
    "static",
    "media",
    "verify",
    "nasjonalt",
    "api",
    "varslingsvalg",
    "arrangementer",
    "stillinger",
    "rutiner",
}


def validate_office_slug(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(
            _("«%(slug)s» er reservert og kan ikke brukes som kortnavn."), params={"slug": value}
        )


class OfficeQuerySet(models.QuerySet):
    def coordinating_on(self, day: date):
        return self.filter(coordinating_periods__start__lte=day, coordinating_periods__end__gte=day)


class Office(models.Model):
    name = models.CharField(_("navn"), max_length=100, unique=True)
    slug = models.SlugField(
        _("kortnavn"), max_length=30, unique=True, validators=[validate_office_slug]
    )
    seat = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sete"),
    )
    contact_email = models.EmailField(_("e-post"), blank=True)
    contact_phone = models.CharField(_("telefon"), max_length=30, blank=True)

    objects = OfficeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ALIS-kontor")
        verbose_name_plural = _("ALIS-kontorer")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def is_coordinating(self, day: date | None = None) -> bool:
        day = day or clock.today()
        return self.coordinating_periods.filter(start__lte=day, end__gte=day).exists()


class CoordinatingPeriod(models.Model):
    """The coordinating role among the offices rotates (every two years, Bodø first)."""

    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="coordinating_periods"
    )
    start = models.DateField(_("fra"))
    end = models.DateField(_("til"))

    class Meta:
        verbose_name = _("periode som koordinerende kontor")
        verbose_name_plural = _("perioder som koordinerende kontor")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="coordinating_period_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.office}: {short_date(self.start)}–{short_date(self.end)}"

    def clean(self) -> None:
        overlapping = CoordinatingPeriod.objects.filter(
            start__lte=self.end, end__gte=self.start
        ).exclude(pk=self.pk)
        if self.start and self.end and overlapping.exists():
            raise ValidationError(
                _("Perioden overlapper en annen periode som koordinerende kontor.")
            )
