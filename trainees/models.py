"""ALIS doctors (trainees), their service periods and their supervisors.

A trainee and all their rows belong to the office that serves their current municipality (`office`),
so after a transfer to another region the new office gets everything. Each service period also
records the office that served the doctor at the time (`served_by`): the old office keeps read
access to exactly those periods through an explicit cross-office selector.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from simple_history.models import HistoricalRecords

from plans.arenas import ArenaType

hpr_validator = RegexValidator(r"^\d{7,9}$", _("HPR-nummeret skal ha 7–9 sifre (bare tall)."))


def normalize_hpr(value: str) -> str:
    """HPR numbers are stored as text, left-padded to 9 digits."""
    value = (value or "").strip().replace(" ", "")
    return value.zfill(9) if value.isdigit() and 7 <= len(value) <= 9 else value


class Scheme(models.TextChoices):
    NEW = "ny", _("Ny ordning (fra 1. mars 2019)")
    OLD = "gammel", _("Gammel ordning")
    CONVERTED = "konvertert", _("Konvertert fra gammel ordning")


class TraineeStatus(models.TextChoices):
    ACTIVE = "aktiv", _("Aktiv")
    ON_LEAVE = "permisjon", _("I permisjon")
    COMPLETED = "fullfort", _("Fullført")
    LEFT = "sluttet", _("Sluttet")


class EmploymentForm(models.TextChoices):
    SALARIED = "fastlonn", _("Fastlønn")
    SELF_EMPLOYED = "naering", _("Næring")


class Trainee(models.Model):
    """An ALIS doctor. No national identity number is stored anywhere."""

    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="+")
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.PROTECT,
        related_name="trainees",
        verbose_name=_("kommune"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="trainee",
        verbose_name=_("brukerkonto"),
    )
    first_name = models.CharField(_("fornavn"), max_length=100)
    last_name = models.CharField(_("etternavn"), max_length=100)
    email = models.EmailField(_("e-post"))
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    hpr_number = models.CharField(
        _("HPR-nummer"),
        max_length=9,
        validators=[hpr_validator],
        help_text=_("Helsepersonellnummer, 7–9 sifre."),
    )
    scheme = models.CharField(
        _("ordning"), max_length=12, choices=Scheme.choices, default=Scheme.NEW
    )
    conversion_date = models.DateField(_("konvertert dato"), null=True, blank=True)
    lis1_completed = models.DateField(_("del 1 (LIS1) fullført"), null=True, blank=True)
    specialisation_start = models.DateField(_("start i spesialisering"))
    status = models.CharField(
        _("status"), max_length=12, choices=TraineeStatus.choices, default=TraineeStatus.ACTIVE
    )
    employment_form = models.CharField(
        _("driftsform"), max_length=10, choices=EmploymentForm.choices, blank=True
    )

    objects = ScopedManager(office="office")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ALIS-lege")
        verbose_name_plural = _("ALIS-leger")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(fields=["office", "hpr_number"], name="trainee_hpr_per_office"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def clean(self) -> None:
        self.hpr_number = normalize_hpr(self.hpr_number)
        if self.scheme == Scheme.CONVERTED and not self.conversion_date:
            raise ValidationError({"conversion_date": _("Oppgi datoen for konverteringen.")})
        if (
            self.municipality_id
            and self.office_id
            and self.municipality.office_id != self.office_id
        ):
            raise ValidationError({"municipality": _("Kommunen hører til et annet ALIS-kontor.")})


class ServicePeriod(models.Model):
    """A period of actual service (or leave) in the doctor's training history."""

    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="+")
    trainee = models.ForeignKey(Trainee, on_delete=models.CASCADE, related_name="service_periods")
    served_by = models.ForeignKey(
        "offices.Office",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ALIS-kontor i perioden"),
    )
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kommune"),
    )
    place = models.CharField(
        _("tjenestested"),
        max_length=200,
        help_text=_("Legekontor, legevakt, sykehus eller annen institusjon."),
    )
    arena = models.CharField(_("læringsarena"), max_length=20, choices=ArenaType.choices)
    percentage = models.PositiveSmallIntegerField(
        _("stillingsprosent"),
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        default=100,
    )
    start = models.DateField(_("fra"))
    end = models.DateField(_("til"), null=True, blank=True, help_text=_("Tom: pågår."))
    is_leave = models.BooleanField(
        _("permisjon"), default=False, help_text=_("Permisjon teller ikke som tjeneste.")
    )
    credited = models.BooleanField(
        _("godskrevet tidligere tjeneste"),
        default=False,
        help_text=_("Tjeneste fra før legen startet i ALIS-løpet her."),
    )
    note = models.CharField(_("merknad"), max_length=300, blank=True)

    objects = ScopedManager(office="office")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tjenesteperiode")
        verbose_name_plural = _("tjenesteperioder")
        ordering = ["trainee", "start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="service_period_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.trainee}: {self.get_arena_display()} {self.start}–{self.end or ''}"


class SupervisorRole(models.TextChoices):
    VEILEDER = "veileder", _("Veileder")
    SUPERVISOR = "supervisor", _("Supervisør")


class SupervisorAssignment(models.Model):
    """Who supervises a trainee, from when to when. One veileder at a time (history kept);
    any number of supervisører."""

    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="+")
    trainee = models.ForeignKey(Trainee, on_delete=models.CASCADE, related_name="supervisors")
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supervises"
    )
    role = models.CharField(_("rolle"), max_length=12, choices=SupervisorRole.choices)
    start = models.DateField(_("fra"))
    end = models.DateField(_("til"), null=True, blank=True)
    exception_reason = models.CharField(
        _("begrunnelse for unntak"),
        max_length=300,
        blank=True,
        help_text=_("Når veilederen ikke er spesialist i allmennmedisin."),
    )

    objects = ScopedManager(office="office")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("veileder/supervisør")
        verbose_name_plural = _("veiledere og supervisører")
        ordering = ["trainee", "role", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["trainee"],
                condition=models.Q(role="veileder", end__isnull=True),
                name="one_current_veileder_per_trainee",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supervisor} – {self.get_role_display()} for {self.trainee}"
