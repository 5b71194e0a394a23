"""The hospital period (sykehusåret): health trusts' hospitals and departments, agreements with
a trust, module places, and requests and bookings of a place for a doctor.

The trusts themselves are national reference data (`municipalities.HealthTrust`); an office
keeps the hospitals and departments of the trusts of its area, its agreements with them, the
calendar of places, and the bookings. A booking is the doctor's data: it follows the doctor to
another office (`trainee_path`). What a doctor needs is computed, never stored
(`hospital.needs`, from the rules engine through `plans.standing`).
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from municipalities.models import validate_pdf
from offices.dates import short_date
from offices.owned import OfficeOwned
from offices.vocabularies import SCHEMES_NEW_OR_OLD
from plans.models import CODE_PATTERNS, code_error
from plans.rules import add_months

ONE_DAY = timedelta(days=1)


class ModuleLength(models.IntegerChoices):
    FOUR = 4, _("4 måneder")
    SIX = 6, _("6 måneder")


class InstitutionRule(models.Model):
    """How the institution service is taken, per scheme and period (national reference data,
    like the rule sets): the module lengths made for GPs. Where in the programme the service
    may lie is the rule set's (`plans.RuleSet.institution_from_month`), read from there so
    the requirement page and the booking say the same."""

    scheme = models.CharField(_("ordning"), max_length=10, choices=SCHEMES_NEW_OR_OLD)
    valid_from = models.DateField(_("gyldig fra"))
    valid_to = models.DateField(_("gyldig til"), null=True, blank=True)
    module_lengths = models.CharField(
        _("modullengder (mnd)"), max_length=20, default="4,6", help_text=_("For eksempel 4,6.")
    )
    source = models.TextField(_("kilde og merknad"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("regel for institusjonstjeneste")
        verbose_name_plural = _("regler for institusjonstjeneste")
        ordering = ["scheme", "-valid_from"]

    def __str__(self) -> str:
        return f"{self.get_scheme_display()} fra {self.valid_from}"

    @property
    def lengths(self) -> list[int]:
        return sorted(int(x) for x in self.module_lengths.split(",") if x.strip().isdigit())


class Hospital(OfficeOwned):
    """A hospital (or other institution) of a health trust, as the office keeps it."""

    trust = models.ForeignKey(
        "municipalities.HealthTrust",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("helseforetak"),
    )
    name = models.CharField(_("navn"), max_length=150)

    class Meta:
        verbose_name = _("sykehus")
        verbose_name_plural = _("sykehus")
        ordering = ["trust__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "trust", "name"],
                name="hospital_name_per_trust",
                violation_error_message=_("Sykehuset er allerede registrert for helseforetaket."),
            )
        ]

    def __str__(self) -> str:
        return self.name


def validate_goal_codes(value) -> None:
    bad = [
        code
        for code in value or []
        if code.split("-")[0] not in CODE_PATTERNS or code_error(code, code.split("-")[0])
    ]
    if bad:
        raise ValidationError(
            _("Ukjent form på læringsmål: %(codes)s (skriv for eksempel ALM-055)."),
            params={"codes": ", ".join(bad)},
        )


class Department(OfficeOwned):
    """A department that takes GPs in training, with the learning goals it typically covers
    (codes from the catalogue: they stay the same across catalogue versions)."""

    hospital = models.ForeignKey(
        Hospital, on_delete=models.PROTECT, related_name="departments", verbose_name=_("sykehus")
    )
    name = models.CharField(_("avdeling"), max_length=150)
    goal_codes = models.JSONField(
        _("læringsmål avdelingen typisk dekker"),
        default=list,
        blank=True,
        validators=[validate_goal_codes],
    )

    class Meta:
        verbose_name = _("avdeling")
        verbose_name_plural = _("avdelinger")
        ordering = ["hospital__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "hospital", "name"],
                name="department_name_per_hospital",
                violation_error_message=_("Avdelingen finnes allerede på sykehuset."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.hospital.name}"


def trust_agreement_upload_to(instance, filename: str) -> str:
    return f"sykehusavtaler/{instance.office_id}/{uuid.uuid4().hex}.pdf"


class TrustAgreement(OfficeOwned):
    """An agreement on GP training places between the office (or some of its municipalities)
    and a health trust. A change is a new version (`previous`); the old one is kept."""

    # An agreement of named municipalities moves with them when all of them move.
    municipality_path = "municipalities"
    trust = models.ForeignKey(
        "municipalities.HealthTrust",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("helseforetak"),
    )
    municipalities = models.ManyToManyField(
        "municipalities.Municipality",
        blank=True,
        related_name="+",
        verbose_name=_("kommuner som er part"),
        help_text=_("Tom: avtalen er inngått av ALIS-kontoret for hele regionen."),
    )
    title = models.CharField(_("tittel"), max_length=200)
    start = models.DateField(_("gjelder fra"))
    end = models.DateField(_("gjelder til"))
    places_four = models.PositiveSmallIntegerField(
        _("plasser på 4-månedersmoduler per halvår"), default=0
    )
    places_six = models.PositiveSmallIntegerField(
        _("plasser på 6-månedersmoduler per halvår"), default=0
    )
    contacts = models.TextField(
        _("kontaktpersoner"), blank=True, help_text=_("Navn, rolle, e-post og telefon.")
    )
    document = models.FileField(
        _("signert avtale (PDF)"), upload_to=trust_agreement_upload_to, validators=[validate_pdf]
    )
    document_name = models.CharField(max_length=200, blank=True)
    version = models.PositiveSmallIntegerField(_("versjon"), default=1)
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_version",
        verbose_name=_("forrige versjon"),
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("avtale med helseforetak")
        verbose_name_plural = _("avtaler med helseforetak")
        ordering = ["trust__name", "-start", "-version"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="trust_agreement_period_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("Sluttdatoen kan ikke være før startdatoen.")})


class TrustContact(OfficeOwned):
    """A health trust's contact person, invited by the office. Signed in (role
    «helseforetak»), they see the requests and bookings for this trust only."""

    trust = models.ForeignKey(
        "municipalities.HealthTrust",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("helseforetak"),
    )
    name = models.CharField(_("navn"), max_length=150)
    email = models.EmailField(_("e-post"))
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("kontaktperson i helseforetak")
        verbose_name_plural = _("kontaktpersoner i helseforetak")
        ordering = ["trust__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "trust", "email"],
                name="trust_contact_once",
                violation_error_message=_("Personen er allerede kontakt for helseforetaket."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.trust})"


class Place(OfficeOwned):
    """Places for one module: a department, a start day, 4 or 6 months, how many doctors."""

    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="places", verbose_name=_("avdeling")
    )
    start = models.DateField(_("start"))
    months = models.PositiveSmallIntegerField(_("modul"), choices=ModuleLength.choices)
    capacity = models.PositiveSmallIntegerField(
        _("antall plasser"), default=1, validators=[MinValueValidator(1)]
    )
    agreement = models.ForeignKey(
        TrustAgreement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="places",
        verbose_name=_("avtale"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("modulplass")
        verbose_name_plural = _("modulplasser")
        ordering = ["start", "department__hospital__name", "department__name", "months"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "department", "start", "months"],
                name="place_once_per_department_start",
                violation_error_message=_(
                    "Det finnes allerede en modul med samme avdeling, start og lengde."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.department} {short_date(self.start)}–{short_date(self.end)}"

    @property
    def end(self):
        """The module's last day (inclusive)."""
        return add_months(self.start, self.months) - ONE_DAY

    @property
    def trust(self):
        return self.department.hospital.trust

    @property
    def free(self) -> int:
        """Seats not held by a confirmed or served booking (needs `taken` from the selector)."""
        return max(0, self.capacity - getattr(self, "taken", 0))


class BookingStatus(models.TextChoices):
    REQUESTED = "sendt", _("Sendt til helseforetaket")
    PROPOSED = "foreslatt", _("Helseforetaket foreslår en annen modul")
    CONFIRMED = "bekreftet", _("Bekreftet")
    DECLINED = "avslatt", _("Avslått")
    WITHDRAWN = "trukket", _("Trukket")
    SERVED = "gjennomfort", _("Registrert som tjeneste")


# A booking in these statuses holds (or asks for) the doctor's time.
ACTIVE_STATUSES = (
    BookingStatus.REQUESTED,
    BookingStatus.PROPOSED,
    BookingStatus.CONFIRMED,
    BookingStatus.SERVED,
)
# ... in these it is open: asked for or held, not yet served (at most one per need).
OPEN_STATUSES = (BookingStatus.REQUESTED, BookingStatus.PROPOSED, BookingStatus.CONFIRMED)
# ... and in these it takes one of the place's seats.
HOLDS_SEAT = (BookingStatus.CONFIRMED, BookingStatus.SERVED)


class Booking(OfficeOwned):
    """A request for a module place for a doctor, which the trust's contact confirms, answers
    with another module, or declines. Confirmed, it is the plan's institution arena; served,
    a service period."""

    trainee_path = "trainee"
    trainee = models.ForeignKey(
        "trainees.Trainee",
        on_delete=models.CASCADE,
        related_name="hospital_bookings",
        verbose_name=_("ALIS-lege"),
    )
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("modul")
    )
    proposed_place = models.ForeignKey(
        Place,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("foreslått modul"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=BookingStatus.choices, default=BookingStatus.REQUESTED
    )
    wishes = models.TextField(
        _("ønsker"), blank=True, help_text=_("Ønsker om avdeling, tidspunkt eller annet.")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("bestilt"), default=timezone.now)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("besvart"), null=True, blank=True)
    answer = models.TextField(_("svar fra helseforetaket"), blank=True)
    plan_version = models.ForeignKey(
        "plans.PlanVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("planversjon"),
    )
    service_period = models.ForeignKey(
        "trainees.ServicePeriod",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tjenesteperiode"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bestilling av sykehusplass")
        verbose_name_plural = _("bestillinger av sykehusplass")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.trainee} – {self.place}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @classmethod
    def transfer_blockers(cls, trainee) -> list[str]:
        """An open booking holds (or asks for) a place the old office keeps: the doctor cannot
        move to another office with it (the trust would lose sight of it)."""
        open_ones = (
            cls.objects.filter(office=trainee.office_id, trainee=trainee, status__in=OPEN_STATUSES)
            .select_related("place__department__hospital")
            .order_by("place__start")
        )
        return [
            _(
                "Legen har en åpen sykehusbestilling (%(place)s, %(status)s). Trekk tilbake "
                "eller avslutt sykehusbestillingen først."
            )
            % {"place": booking.place, "status": booking.get_status_display().lower()}
            for booking in open_ones
        ]
