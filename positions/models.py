"""ALIS positions (stillinger/hjemler), the medical offices they sit at, and the office's rules.

Every table here is office-owned: a direct `office` foreign key and a scoped manager. Status
changes are kept as rows of their own so the overview can say when a position was advertised,
filled or left vacant, and the audit trail (simple-history) records every edit.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from offices.owned import OfficeOwned
from offices.vocabularies import SCHEMES_NEW_OR_OLD, EmploymentForm, Scheme

LIST_CEILING_MIN = 100
LIST_CEILING_MAX = 2500


class Ownership(models.TextChoices):
    MUNICIPAL = "kommunal", _("Kommunalt")
    PRIVATE = "privat", _("Privat")


class Status(models.TextChoices):
    PLANNED = "planlagt", _("Planlagt")
    ADVERTISED = "utlyst", _("Utlyst")
    FILLED = "besatt", _("Besatt")
    VACANT = "ledig", _("Ledig")
    ENDED = "avsluttet", _("Avsluttet")


class Fact(models.TextChoices):
    """What the coordinator knows about group supervision, the individual veileder and the
    individual plan of a position (empty: not known)."""

    YES = "ja", _("Ja")
    NO = "nei", _("Nei")
    DONE = "ferdig", _("Ferdig")
    ONGOING = "pagar", _("Pågår")


# planned → advertised → filled → vacant/ended; a vacant position is advertised (or filled)
# again. Ended is final: the position stays for the history, and no longer counts.
STATUS_TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.PLANNED: (Status.ADVERTISED, Status.ENDED),
    Status.ADVERTISED: (Status.FILLED, Status.PLANNED, Status.ENDED),
    Status.FILLED: (Status.VACANT, Status.ENDED),
    Status.VACANT: (Status.ADVERTISED, Status.FILLED, Status.ENDED),
    Status.ENDED: (),
}
# Statuses that count against the office's most-positions-per-municipality rule.
ACTIVE_STATUSES = [s for s in Status.values if s != Status.ENDED]


class OfficeRules(OfficeOwned):
    """Rules an office sets as data (one row per office; defaults apply until it exists)."""

    office = models.OneToOneField(
        "offices.Office", on_delete=models.PROTECT, related_name="position_rules"
    )
    max_positions_per_municipality = models.PositiveSmallIntegerField(
        _("høyeste antall ALIS-stillinger per kommune"),
        default=2,
        validators=[MinValueValidator(1)],
        help_text=_("Stillinger som er avsluttet, teller ikke. ALIS Nord brukte 2."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kontorets regler for stillinger")
        verbose_name_plural = _("kontorenes regler for stillinger")

    def __str__(self) -> str:
        return f"{self.office}: {self.max_positions_per_municipality} per kommune"


class MunicipalityGroup(OfficeOwned):
    """An inter-municipal cooperation sharing positions, e.g. «Tana + Lebesby»."""

    name = models.CharField(_("navn"), max_length=100)
    municipalities = models.ManyToManyField(
        "municipalities.Municipality", related_name="position_groups", verbose_name=_("kommuner")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("interkommunalt samarbeid")
        verbose_name_plural = _("interkommunale samarbeid")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["office", "name"], name="group_name_unique_in_office")
        ]

    def __str__(self) -> str:
        return self.name


class MedicalOffice(OfficeOwned):
    """A legekontor in one municipality, where positions sit."""

    municipality_path = "municipality"
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.PROTECT,
        related_name="medical_offices",
        verbose_name=_("kommune"),
    )
    name = models.CharField(_("navn"), max_length=150)
    ownership = models.CharField(
        _("drift"), max_length=10, choices=Ownership.choices, default=Ownership.MUNICIPAL
    )
    address = models.CharField(_("adresse"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("legekontor")
        verbose_name_plural = _("legekontor")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="medical_office_name_unique_in_municipality"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def validate_unique(self, exclude=None):
        try:
            super().validate_unique(exclude)
        except ValidationError as error:
            if "__all__" in error.message_dict:
                raise ValidationError(
                    {"name": _("Kommunen har allerede et legekontor med dette navnet.")}
                ) from error
            raise

    def clean(self) -> None:
        if (
            self.municipality_id
            and self.office_id
            and self.municipality.office_id != self.office_id
        ):
            raise ValidationError({"municipality": _("Kommunen hører ikke til dette kontoret.")})


class Position(OfficeOwned):
    """An ALIS position (stilling/hjemmel) in a municipality or an inter-municipal group.

    The ALIS doctor who holds the position: `holders` (trainees.Trainee.position).
    """

    municipality_path = "municipality"
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="alis_positions",
        verbose_name=_("kommune"),
    )
    group = models.ForeignKey(
        MunicipalityGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="positions",
        verbose_name=_("interkommunalt samarbeid"),
    )
    medical_office = models.ForeignKey(
        MedicalOffice,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="positions",
        verbose_name=_("legekontor"),
    )
    list_ceiling = models.PositiveIntegerField(
        _("listetak"),
        null=True,
        blank=True,
        validators=[MinValueValidator(LIST_CEILING_MIN), MaxValueValidator(LIST_CEILING_MAX)],
        help_text=_("Antall pasienter på listen, vanligvis 600–1100."),
    )
    employment_form = models.CharField(
        _("driftsform ved ansettelse"),
        max_length=10,
        choices=EmploymentForm.choices,
        default=EmploymentForm.SALARIED,
    )
    scheme = models.CharField(
        _("ordning"), max_length=10, choices=SCHEMES_NEW_OR_OLD, default=Scheme.NEW
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    status_date = models.DateField(_("status fra"), default=timezone.localdate)
    applicants = models.PositiveIntegerField(
        _("antall søkere"), null=True, blank=True, default=0, help_text=_("Tomt: ukjent.")
    )
    # What the coordinator wrote, kept beside its interpretation («1 + 3», «Skal bli utlyst»).
    applicants_text = models.CharField(_("søkere slik det ble skrevet"), max_length=100, blank=True)
    applicants_shared = models.BooleanField(
        _("søkerne er felles med en annen stilling"), default=False
    )
    list_note = models.CharField(_("merknad til listen"), max_length=100, blank=True)
    employment_uncertain = models.BooleanField(_("driftsformen er usikker"), default=False)
    employment_note = models.CharField(_("merknad til driftsform"), max_length=100, blank=True)
    employment_note_date = models.DateField(_("dato i merknaden"), null=True, blank=True)
    scheme_uncertain = models.BooleanField(_("ordningen er usikker"), default=False)
    # The coordinator's facts, shown until the doctor's own records exist (see selectors).
    group_supervision = models.CharField(
        _("gruppeveiledning"), max_length=10, choices=Fact.choices, blank=True
    )
    group_supervision_note = models.CharField(_("merknad"), max_length=100, blank=True)
    individual_supervisor = models.CharField(
        _("individuell veileder"), max_length=10, choices=Fact.choices, blank=True
    )
    individual_supervisor_note = models.CharField(_("merknad"), max_length=100, blank=True)
    individual_plan = models.CharField(
        _("individuell plan"), max_length=10, choices=Fact.choices, blank=True
    )
    individual_plan_note = models.CharField(_("merknad"), max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ALIS-stilling")
        verbose_name_plural = _("ALIS-stillinger")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(municipality__isnull=False, group__isnull=True)
                | models.Q(municipality__isnull=True, group__isnull=False),
                name="position_municipality_xor_group",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.place_name} – {self.medical_office or _('uten legekontor')}"

    @property
    def place_name(self) -> str:
        return self.municipality.name if self.municipality_id else self.group.name

    def municipality_ids(self) -> set[int]:
        if self.municipality_id:
            return {self.municipality_id}
        return set(self.group.municipalities.values_list("pk", flat=True))

    def clean(self) -> None:
        if bool(self.municipality_id) == bool(self.group_id):
            raise ValidationError(
                {"municipality": _("Velg enten en kommune eller et interkommunalt samarbeid.")}
            )
        if self.municipality_id and self.municipality.office_id != self.office_id:
            raise ValidationError({"municipality": _("Kommunen hører ikke til dette kontoret.")})
        if self.group_id and self.group.office_id != self.office_id:
            raise ValidationError({"group": _("Samarbeidet hører ikke til dette kontoret.")})
        if self.medical_office_id and self.medical_office.municipality_id not in (
            self.municipality_ids()
        ):
            raise ValidationError(
                {"medical_office": _("Legekontoret ligger ikke i kommunen stillingen hører til.")}
            )


class PositionStatusChange(OfficeOwned):
    """One step of a position's status history: what it became, from when, set by whom."""

    municipality_path = "position__municipality"
    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    date = models.DateField(_("dato"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    note = models.CharField(_("merknad"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("statusendring")
        verbose_name_plural = _("statusendringer")
        ordering = ["date", "created_at"]

    def __str__(self) -> str:
        return f"{self.position}: {self.get_status_display()} {self.date}"


# The status survey lives in its own module; imported here so Django sees the models.
from .survey import StatusSurvey, SurveyAnswer  # noqa: E402, F401
