"""ALIS doctors (trainees), their service periods and their supervisors.

A trainee and all their rows belong to the office that serves their current municipality (`office`),
so after a transfer to another region the new office gets everything. Each service period also
records the office that served the doctor at the time (`served_by`): the old office keeps read
access to exactly those periods through an explicit cross-office selector.
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from offices.owned import OfficeOwned
from offices.vocabularies import EMPLOYMENT_FORMS_SETTLED, ArenaType, Scheme

hpr_validator = RegexValidator(r"^\d{7,9}$", _("HPR-nummeret skal ha 7–9 sifre (bare tall)."))


def normalize_hpr(value: str) -> str:
    """HPR numbers are stored as text, left-padded to 9 digits."""
    value = (value or "").strip().replace(" ", "")
    return value.zfill(9) if value.isdigit() and 7 <= len(value) <= 9 else value


class TraineeStatus(models.TextChoices):
    ACTIVE = "aktiv", _("Aktiv")
    ON_LEAVE = "permisjon", _("I permisjon")
    COMPLETED = "fullfort", _("Fullført")
    LEFT = "sluttet", _("Sluttet")


class Trainee(OfficeOwned):
    """An ALIS doctor. No national identity number is stored anywhere."""

    trainee_path = ""
    municipality_path = "municipality"
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
        _("driftsform"), max_length=10, choices=EMPLOYMENT_FORMS_SETTLED, blank=True
    )
    position = models.ForeignKey(
        "positions.Position",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="holders",
        verbose_name=_("ALIS-stilling"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ALIS-lege")
        verbose_name_plural = _("ALIS-leger")
        ordering = ["last_name", "first_name"]
        constraints = [
            # One record per doctor in the country: a doctor who moves region is transferred
            # (with the receiving office's acceptance), never registered twice.
            models.UniqueConstraint(
                fields=["hpr_number"],
                name="trainee_hpr_national",
                violation_error_message=_(
                    "Det finnes allerede en ALIS-lege med dette HPR-nummeret."
                ),
            ),
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


class ServicePeriod(OfficeOwned):
    """A period of actual service (or leave) in the doctor's training history.

    Concurrent periods may add up to at most 100 % on any day. Leave (`is_leave`) is recorded
    as its own period but is not service: it takes no share of the 100 % and does not count in
    service totals, so a leave can lie over the service it interrupts. (Checked in
    `services.period_create/period_update`, which need the doctor's other periods.)
    """

    trainee_path = "trainee"
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

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tjenesteperiode")
        verbose_name_plural = _("tjenesteperioder")
        ordering = ["trainee", "start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="service_period_order",
                violation_error_message=_("Sluttdatoen kan ikke være før startdatoen."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.trainee}: {self.get_arena_display()} {self.start}–{self.end or ''}"

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("Sluttdatoen kan ikke være før startdatoen.")})


class SupervisorRole(models.TextChoices):
    VEILEDER = "veileder", _("Veileder")
    SUPERVISOR = "supervisor", _("Supervisør")


class Specialty(models.TextChoices):
    GENERAL_PRACTICE = "allmennmedisin", _("Spesialist i allmennmedisin")
    OTHER = "annen", _("Annen spesialitet")


class Supervisor(OfficeOwned):
    """A veileder or supervisør in the office's pool: who they are, what they are qualified
    for, how many ALIS doctors they can take as veileder, and where they can serve.

    The person may have a user account (`user`) or be known by name and e-mail only.
    """

    municipality_path = "municipalities"
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supervisor_profiles",
        verbose_name=_("brukerkonto"),
    )
    name = models.CharField(_("navn"), max_length=200)
    email = models.EmailField(_("e-post"), blank=True)
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    workplace = models.CharField(_("arbeidssted"), max_length=200, blank=True)
    specialty = models.CharField(
        _("spesialitet"),
        max_length=20,
        choices=Specialty.choices,
        default=Specialty.GENERAL_PRACTICE,
    )
    other_specialty = models.CharField(_("annen spesialitet (hvilken)"), max_length=100, blank=True)
    course_completed = models.DateField(
        _("veilederkurs fullført"),
        null=True,
        blank=True,
        help_text=_("Tom: har ikke tatt veilederkurs ennå."),
    )
    capacity = models.PositiveSmallIntegerField(
        _("kapasitet (antall ALIS-leger som veileder)"),
        default=2,
        validators=[MaxValueValidator(20)],
    )
    municipalities = models.ManyToManyField(
        "municipalities.Municipality",
        related_name="+",
        blank=True,
        verbose_name=_("kommuner veilederen kan betjene"),
    )
    is_active = models.BooleanField(_("aktiv i poolen"), default=True)
    note = models.CharField(_("merknad"), max_length=300, blank=True)

    history = HistoricalRecords(m2m_fields=[municipalities])

    class Meta:
        verbose_name = _("veileder i poolen")
        verbose_name_plural = _("veilederpool")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_specialist(self) -> bool:
        return self.specialty == Specialty.GENERAL_PRACTICE

    def clean(self) -> None:
        if self.specialty == Specialty.OTHER and not self.other_specialty.strip():
            raise ValidationError({"other_specialty": _("Skriv hvilken spesialitet.")})


class SupervisorAssignment(OfficeOwned):
    """Who supervises a trainee, from when to when. One veileder at a time (history kept);
    any number of supervisører.

    A veileder must be a specialist in general practice. The exception the regulation allows
    (another specialty, e.g. during longer service elsewhere) needs a reason and an end date:
    the assignment's own `start`–`end` are the dates of the exception.
    """

    trainee_path = "trainee"
    trainee = models.ForeignKey(Trainee, on_delete=models.CASCADE, related_name="supervisors")
    supervisor = models.ForeignKey(
        Supervisor,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("veileder/supervisør"),
    )
    # A copy of the name when assigned: the doctor's history stays readable after a transfer
    # to another office, without reaching into the old office's pool.
    supervisor_name = models.CharField(_("navn"), max_length=200, blank=True)
    role = models.CharField(_("rolle"), max_length=12, choices=SupervisorRole.choices)
    start = models.DateField(_("fra"))
    end = models.DateField(_("til"), null=True, blank=True)
    exception_reason = models.CharField(
        _("begrunnelse for unntak"),
        max_length=300,
        blank=True,
        help_text=_("Når veilederen ikke er spesialist i allmennmedisin."),
    )

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
                violation_error_message=_("Legen har allerede en veileder."),
            ),
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="supervisor_assignment_order",
                violation_error_message=_("Sluttdatoen kan ikke være før startdatoen."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supervisor_name} – {self.get_role_display()} for {self.trainee}"

    def is_current(self, day: date) -> bool:
        return self.start <= day and (self.end is None or self.end >= day)


class SupervisionGroup(OfficeOwned):
    """Group supervision (veiledningsgruppe): 2 years and 120 hours in the training."""

    municipality_path = "members__municipality"
    name = models.CharField(_("navn"), max_length=200)
    leader_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gruppeleder (bruker)"),
    )
    leader_name = models.CharField(
        _("gruppeleder"),
        max_length=200,
        blank=True,
        help_text=_("Navnet på gruppelederen hvis hen ikke har brukerkonto."),
    )
    members = models.ManyToManyField(
        Trainee, related_name="supervision_groups", blank=True, verbose_name=_("deltakere")
    )
    start = models.DateField(_("fra"))
    end = models.DateField(_("til"), null=True, blank=True)
    hours_held = models.DecimalField(
        _("timer gjennomført"),
        max_digits=6,
        decimal_places=1,
        default=0,
        validators=[MinValueValidator(0)],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords(m2m_fields=[members])

    class Meta:
        verbose_name = _("veiledningsgruppe")
        verbose_name_plural = _("veiledningsgrupper")
        ordering = ["-start", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="supervision_group_order",
                violation_error_message=_("Sluttdatoen kan ikke være før startdatoen."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def leader_display(self) -> str:
        if self.leader_user_id:
            return str(self.leader_user)
        return self.leader_name

    def clean(self) -> None:
        if not self.leader_user_id and not self.leader_name.strip():
            raise ValidationError({"leader_name": _("Oppgi gruppelederen.")})


class SupervisionSession(OfficeOwned):
    """One individual supervision session (veiledning). The minutes are private to the doctor
    and the veileder (see `selectors.can_read_minutes`); the leader and the office see the
    date, hours and topics only."""

    trainee_path = "trainee"
    trainee = models.ForeignKey(
        Trainee, on_delete=models.CASCADE, related_name="supervision_sessions"
    )
    assignment = models.ForeignKey(
        SupervisorAssignment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("veileder"),
    )
    day = models.DateField(_("dato"))
    hours = models.DecimalField(
        _("varighet (timer)"),
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.25")), MaxValueValidator(Decimal("24"))],
    )
    topics = models.CharField(_("tema"), max_length=400, blank=True)
    goals = models.ManyToManyField(
        "plans.LearningGoal", blank=True, related_name="+", verbose_name=_("læringsmål drøftet")
    )
    minutes = models.TextField(
        _("referat"),
        blank=True,
        help_text=_("Bare legen og veilederen kan lese referatet."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["minutes"])

    class Meta:
        verbose_name = _("veiledningstime")
        verbose_name_plural = _("veiledningstimer")
        # No default ordering: ordering by trainee sorted every read by the doctor's name
        # (a join and a sort of the whole office's sessions in the overviews). Readers that
        # show sessions order them themselves (newest first, see sessions_for_trainee).
        indexes = [
            models.Index(fields=["office", "trainee", "day"], name="session_office_trainee_day"),
        ]

    def __str__(self) -> str:
        return f"{self.trainee}: {self.day} {self.hours} t"


class GroupMeeting(OfficeOwned):
    """A meeting of a supervision group, and which members attended."""

    municipality_path = "group__members__municipality"
    group = models.ForeignKey(SupervisionGroup, on_delete=models.CASCADE, related_name="meetings")
    day = models.DateField(_("dato"))
    hours = models.DecimalField(
        _("timer"),
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.25")), MaxValueValidator(Decimal("24"))],
    )
    attendees = models.ManyToManyField(
        Trainee, blank=True, related_name="group_meetings", verbose_name=_("til stede")
    )

    history = HistoricalRecords(m2m_fields=[attendees])

    class Meta:
        verbose_name = _("gruppemøte")
        verbose_name_plural = _("gruppemøter")
        ordering = ["group", "-day"]

    def __str__(self) -> str:
        return f"{self.group}: {self.day}"


COURSE_KINDS = [
    ("A", _("Grunnkurs A")),
    ("B", _("Grunnkurs B")),
    ("C", _("Grunnkurs C")),
    ("D", _("Grunnkurs D")),
    ("akutt", _("Kurs i akuttmedisin")),
    ("vold", _("Kurs i vold og overgrep")),
    ("emne", _("Emnekurs")),
]


class CourseRecord(OfficeOwned):
    """A course the doctor has taken (grunnkurs A–D, akuttmedisin, vold og overgrep, emnekurs),
    counted by the rules engine against the rule set's course requirements."""

    trainee_path = "trainee"
    trainee = models.ForeignKey(Trainee, on_delete=models.CASCADE, related_name="courses")
    kind = models.CharField(_("type kurs"), max_length=10, choices=COURSE_KINDS)
    title = models.CharField(_("kursnavn"), max_length=200)
    hours = models.DecimalField(
        _("timer"), max_digits=5, decimal_places=1, validators=[MinValueValidator(0)]
    )
    completed_on = models.DateField(_("fullført"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("gjennomført kurs")
        verbose_name_plural = _("gjennomførte kurs")
        ordering = ["trainee", "completed_on"]

    def __str__(self) -> str:
        return f"{self.trainee}: {self.title} ({self.completed_on})"


class TransferStatus(models.TextChoices):
    PENDING = "venter", _("Venter på svar")
    ACCEPTED = "godtatt", _("Godtatt")
    DECLINED = "avslatt", _("Avslått")
    WITHDRAWN = "trukket", _("Trukket tilbake")


class TransferRequest(OfficeOwned):
    """A request to move a doctor to a municipality served by another office.

    Nothing moves until the receiving office (`to_office`) accepts; then the move
    (`services.trainee_transfer`) runs in the same transaction. The row is the sending office's
    record of what it asked (`office`) and stays there after the move, so the sender sees the
    outcome; the receiving office reads it through `selectors.transfers_incoming`. It names the
    doctor by id and by what the receiver needs to decide (name, HPR number), not by a key:
    after the move the doctor's record is no longer the sender's to read.
    """

    trainee_id = models.BigIntegerField(_("lege-id"), db_index=True)
    trainee_name = models.CharField(_("lege"), max_length=201)
    hpr_number = models.CharField(_("HPR-nummer"), max_length=9)
    from_municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("fra kommune"),
    )
    to_municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("til kommune"),
    )
    to_office = models.ForeignKey(
        "offices.Office", on_delete=models.PROTECT, related_name="+", verbose_name=_("til kontor")
    )
    on = models.DateField(_("første dag i ny kommune"))
    note = models.CharField(_("merknad"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=TransferStatus.choices, default=TransferStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("sendt"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("besvart"), null=True, blank=True)
    decline_reason = models.TextField(_("begrunnelse for avslag"), blank=True)

    class Meta:
        verbose_name = _("overføring til annet kontor")
        verbose_name_plural = _("overføringer til andre kontorer")
        ordering = ["-requested_at"]
        constraints = [
            # One open request per doctor: a second one waits for the first answer.
            models.UniqueConstraint(
                fields=["trainee_id"],
                condition=models.Q(status="venter"),
                name="transfer_one_pending_per_trainee",
                violation_error_message=_("Det finnes allerede en overføring av legen som venter."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.trainee_name}: {self.from_municipality} → {self.to_municipality}"

    @property
    def is_pending(self) -> bool:
        return self.status == TransferStatus.PENDING
