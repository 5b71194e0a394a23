"""ALIS agreements, their templates, experience with the measures, and grant schemes.

Ownership:
- `Agreement` and `MeasureExperience` belong to one office (direct `office` FK, scoped manager).
- `AgreementTemplate` / `AgreementTemplateVersion` are owned by an office *or* national
  (`office` empty). National templates are shared by every office, so these two models use a
  plain manager and every selector filters explicitly on `office=<current> OR office IS NULL`.
  A scoped manager cannot express "mine or nobody's", and a second model for national
  templates would duplicate the versioning for no gain.
- Grant schemes and claims live in grants/.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from offices.owned import OfficeOwned
from offices.vocabularies import EMPLOYMENT_FORMS_SETTLED


class PositionType(models.TextChoices):
    GP_LIST = "fastlege", _("Fastlegestilling (åpen uselektert allmennpraksis)")
    COMBINED = "kombinert", _("Kombinert stilling (fastlege og annen kommunal legetjeneste)")
    OTHER_SERVICE = "annen", _("Annen allmennlegetjeneste (legevakt, sykehjem o.l.)")


class OnCallLoad(models.TextChoices):
    EXEMPT = "fritatt", _("Fritatt for legevakt")
    REDUCED = "redusert", _("Redusert legevaktbelastning")
    ORDINARY = "ordinaer", _("Ordinær legevaktdeltakelse")


class MeasureType(models.TextChoices):
    """The structured measures of an agreement (one per field on `Agreement`)."""

    EXTRA_SUPERVISION = "ekstra_veiledning", _("Ekstra veiledning")
    REDUCED_LIST = "redusert_liste", _("Redusert liste")
    INCOME_GUARANTEE = "inntektsgaranti", _("Inntektsgaranti")
    PRACTICE_COMPENSATION = "praksiskompensasjon", _("Praksiskompensasjon")
    COURSE_BUDGET = "kursbudsjett", _("Kursbudsjett")
    NETWORK_GATHERINGS = "nettverkssamlinger", _("Nettverkssamlinger")
    OWN_OFFICE = "eget_kontor", _("Eget kontor")
    BACKUP_ON_CALL = "bakvakt", _("Bakvakt på legevakt")
    ON_CALL_LOAD = "vaktbelastning", _("Tilpasset legevaktbelastning")


# Which field of Agreement carries each measure, and the lookup that means "in use".
MEASURE_FIELDS: dict[str, tuple[str, dict]] = {
    MeasureType.EXTRA_SUPERVISION: ("extra_supervision_hours", {"extra_supervision_hours__gt": 0}),
    MeasureType.REDUCED_LIST: ("reduced_list_to", {"reduced_list_to__gt": 0}),
    MeasureType.INCOME_GUARANTEE: ("income_guarantee", {"income_guarantee__gt": 0}),
    MeasureType.PRACTICE_COMPENSATION: (
        "practice_compensation",
        {"practice_compensation__gt": 0},
    ),
    MeasureType.COURSE_BUDGET: ("course_budget", {"course_budget__gt": 0}),
    MeasureType.NETWORK_GATHERINGS: (
        "network_gatherings_per_year",
        {"network_gatherings_per_year__gt": 0},
    ),
    MeasureType.OWN_OFFICE: ("own_office", {"own_office": True}),
    MeasureType.BACKUP_ON_CALL: ("backup_on_call", {"backup_on_call": True}),
    MeasureType.ON_CALL_LOAD: ("on_call_load", {"on_call_load__in": ["fritatt", "redusert"]}),
}

money = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


class AgreementTemplate(models.Model):
    """A named agreement template of one office, or national when `office` is empty.

    The text lives in versions: every change creates a new `AgreementTemplateVersion`, and an
    agreement points at the version it was made from, so old agreements keep their wording.
    """

    office = models.ForeignKey(
        "offices.Office",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ALIS-kontor"),
        help_text=_("Tom: nasjonal mal som alle kontorene kan bruke."),
    )
    name = models.CharField(_("navn"), max_length=150)
    description = models.CharField(_("beskrivelse"), max_length=300, blank=True)
    is_active = models.BooleanField(_("i bruk"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("avtalemal")
        verbose_name_plural = _("avtalemaler")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_national(self) -> bool:
        return self.office_id is None


class AgreementTemplateVersion(models.Model):
    """One immutable wording of a template. Numbered 1, 2, 3 … per template."""

    template = models.ForeignKey(
        AgreementTemplate, on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("versjon"))
    body = models.TextField(
        _("maltekst"),
        help_text=_(
            "Ren tekst med plassholdere som {{ lege }} og {{ kommune }}. "
            "Tom linje gir nytt avsnitt."
        ),
    )
    change_note = models.CharField(_("hva er endret"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("malversjon")
        verbose_name_plural = _("malversjoner")
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="template_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.template.name}, versjon {self.number}"


class AgreementStatus(models.TextChoices):
    DRAFT = "utkast", _("Utkast")
    SIGNED = "signert", _("Signert")
    SUPERSEDED = "erstattet", _("Erstattet av endringsavtale")


class Agreement(OfficeOwned):
    """An ALIS agreement between a municipality and a doctor.

    Draft → signed. A signed agreement is never edited: changes are made in an amendment
    (a new agreement that `supersedes` it); once the amendment is signed the old one is marked
    superseded. For grants, an agreement counts from its signing date, never before.
    """

    trainee_path = "trainee"
    municipality_path = "municipality"
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("kommune"),
    )
    trainee = models.ForeignKey(
        "trainees.Trainee",
        on_delete=models.PROTECT,
        related_name="agreements",
        verbose_name=_("ALIS-lege"),
    )
    template_version = models.ForeignKey(
        AgreementTemplateVersion,
        on_delete=models.PROTECT,
        related_name="agreements",
        verbose_name=_("malversjon"),
    )
    supersedes = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amendments",
        verbose_name=_("endrer avtale"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )

    # Position and period
    position_type = models.CharField(
        _("stillingstype"), max_length=12, choices=PositionType.choices
    )
    employment_form = models.CharField(
        _("driftsform"), max_length=10, choices=EMPLOYMENT_FORMS_SETTLED
    )
    percentage = models.PositiveSmallIntegerField(
        _("stillingsprosent"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    start = models.DateField(_("gjelder fra"))
    end = models.DateField(_("gjelder til"))
    hired_through_temp_agency = models.BooleanField(
        _("innleid gjennom vikarbyrå"),
        default=False,
        help_text=_("Leger som er leid inn gjennom vikarbyrå, gir ikke rett til tilskudd."),
    )

    # Structured measures
    extra_supervision_hours = models.DecimalField(
        _("ekstra veiledning (timer per måned)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    reduced_list_to = models.PositiveIntegerField(
        _("redusert liste (antall pasienter)"), null=True, blank=True
    )
    income_guarantee = models.DecimalField(
        _("inntektsgaranti (kr per år)"), null=True, blank=True, **money
    )
    practice_compensation = models.DecimalField(
        _("praksiskompensasjon (kr)"), null=True, blank=True, **money
    )
    course_budget = models.DecimalField(_("kursbudsjett (kr)"), null=True, blank=True, **money)
    network_gatherings_per_year = models.PositiveSmallIntegerField(
        _("nettverkssamlinger (antall per år)"), null=True, blank=True
    )
    own_office = models.BooleanField(_("eget kontor"), default=False)
    backup_on_call = models.BooleanField(_("bakvakt på legevakt"), default=False)
    on_call_load = models.CharField(
        _("legevaktbelastning"), max_length=10, choices=OnCallLoad.choices, blank=True
    )
    other_measures = models.TextField(_("andre tiltak"), blank=True)

    # Signing
    signed_on = models.DateField(_("signert dato"), null=True, blank=True)
    municipality_signatory_name = models.CharField(
        _("signert for kommunen av"), max_length=150, blank=True
    )
    municipality_signatory_title = models.CharField(
        _("tittel for kommunens signatar"), max_length=150, blank=True
    )
    doctor_signatory_name = models.CharField(_("signert av legen"), max_length=150, blank=True)
    signed_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    pdf = models.FileField(_("PDF"), upload_to="avtaler/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ALIS-avtale")
        verbose_name_plural = _("ALIS-avtaler")
        ordering = ["municipality", "trainee", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="alis_agreement_period_order"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="signert") | models.Q(signed_on__isnull=False),
                name="agreement_signed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return _("ALIS-avtale for %(name)s") % {"name": self.trainee.full_name}

    def clean(self) -> None:
        errors = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("Sluttdatoen kan ikke være før startdatoen.")
        if self.trainee_id and self.office_id and self.trainee.office_id != self.office_id:
            errors["trainee"] = _("ALIS-legen hører til et annet ALIS-kontor.")
        if (
            self.municipality_id
            and self.office_id
            and self.municipality.office_id != self.office_id
        ):
            errors["municipality"] = _("Kommunen hører til et annet ALIS-kontor.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_draft(self) -> bool:
        return self.status == AgreementStatus.DRAFT

    def measures_in_use(self) -> list[str]:
        """The measure types this agreement uses, in the order of MeasureType."""
        used = []
        for measure, (field_name, lookup) in MEASURE_FIELDS.items():
            value = getattr(self, field_name)
            ((_key, wanted),) = lookup.items()
            if isinstance(wanted, bool):
                in_use = value is wanted
            elif isinstance(wanted, list):
                in_use = value in wanted
            else:
                in_use = value is not None and value > wanted
            if in_use:
                used.append(measure)
        return used


class MeasureExperience(OfficeOwned):
    """How one measure of one agreement worked, recorded by the municipal leader."""

    trainee_path = "agreement__trainee"
    municipality_path = "agreement__municipality"
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="experiences")
    measure = models.CharField(_("tiltak"), max_length=24, choices=MeasureType.choices)
    rating = models.PositiveSmallIntegerField(
        _("vurdering (1–5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    notes = models.TextField(_("erfaringer"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("erfaring med tiltak")
        verbose_name_plural = _("erfaringer med tiltak")
        ordering = ["agreement", "measure"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "measure"], name="one_experience_per_measure"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_measure_display()}: {self.rating}"
