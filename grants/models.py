"""Grant schemes (national reference data) and the office's grant work: claims with their
expense lines, the municipal share invoiced to the municipality, and the yearly settlement.

- `Scheme` / `EligibilityRule`: reference data like the municipality register; a national
  scheme (no office) is read by every office, a regional one (ALIS Vest, ALIS Nord) only by its
  own office. Rules and figures are data with their own validity and their source named.
- `Claim`, `ExpenseLine`, `ShareInvoice` follow the doctor (`trainee_path`) on a transfer;
  `Settlement` stays with the office that reported it; `InvoiceProfile` is the office's own.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from municipalities.models import validate_orgnr
from offices.owned import OfficeOwned
from offices.vocabularies import EmploymentForm
from offices.vocabularies import Scheme as TrainingScheme

from .calculation import Kind, RuleKind

money = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


class SchemeKind(models.TextChoices):
    FLAT = Kind.FLAT.value, _("Fast sats per ALIS-år")
    EXPENSES = (
        Kind.EXPENSES.value,
        _("Refusjon av dokumenterte utgifter, inntil et tak per ALIS-år"),
    )
    SUPERVISION = Kind.SUPERVISION.value, _("Veiledningstilskudd per måned med veiledning")


class Scheme(models.Model):
    """A grant scheme: what it pays, from when to when, on whose word."""

    name = models.CharField(_("navn"), max_length=200, unique=True)
    office = models.ForeignKey(
        "offices.Office",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ALIS-kontor"),
        help_text=_("Kontoret en regional ordning hører til. Tom for nasjonale ordninger."),
    )
    kind = models.CharField(_("type"), max_length=12, choices=SchemeKind.choices)
    description = models.TextField(_("beskrivelse"), blank=True)
    source = models.CharField(
        _("kilde"), max_length=300, help_text=_("Brev, rundskriv eller vedtak ordningen bygger på.")
    )
    example_note = models.CharField(
        _("eksempeltall"),
        max_length=300,
        blank=True,
        help_text=_("Tom når alle tall står i kilden; ellers hvilke tall som er eksempler."),
    )
    valid_from = models.DateField(_("gjelder fra"))
    valid_to = models.DateField(_("gjelder til"), null=True, blank=True)
    year_start_month = models.PositiveSmallIntegerField(
        _("tilskuddsåret begynner i måned"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    amount = models.DecimalField(
        _("beløp"),
        help_text=_(
            "Fast sats og utgiftstak: kr per ALIS-år i full stilling. Veiledning: kr per måned."
        ),
        **money,
    )
    municipal_share = models.DecimalField(
        _("kommunal andel (kr per ALIS-år i full stilling)"), default=Decimal("0"), **money
    )
    excludes_temp_agency = models.BooleanField(_("vikarbyråleger er unntatt"), default=True)
    report_due_month = models.PositiveSmallIntegerField(
        _("revisorrapport: måned året etter"), default=4
    )
    report_due_day = models.PositiveSmallIntegerField(_("revisorrapport: dag"), default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tilskuddsordning")
        verbose_name_plural = _("tilskuddsordninger")
        ordering = ["valid_from", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_national(self) -> bool:
        return self.office_id is None

    def applies_to(self, office) -> bool:
        """A national scheme applies to every office, a regional one to its own office only."""
        return self.office_id is None or self.office_id == getattr(office, "pk", office)

    @property
    def is_example(self) -> bool:
        return bool(self.example_note)

    @property
    def amount_unit(self) -> str:
        if self.kind == SchemeKind.SUPERVISION:
            return str(_("per måned med veiledning"))
        if self.kind == SchemeKind.EXPENSES:
            return str(_("inntil, per ALIS-år"))
        return str(_("per ALIS-år"))


class EligibilityRule(models.Model):
    """One condition of a scheme, valid for a period (a rule change is a new row)."""

    class RuleType(models.TextChoices):
        EMPLOYMENT_FORM = RuleKind.EMPLOYMENT_FORM.value, _("Driftsform")
        RECRUITMENT_TROUBLE = (
            RuleKind.RECRUITMENT_TROUBLE.value,
            _("Kommunen er markert med rekrutteringsproblemer"),
        )
        TRAINING_SCHEME = RuleKind.TRAINING_SCHEME.value, _("Ny eller gammel ordning")
        MAX_MONTHS_IN_POST = (
            RuleKind.MAX_MONTHS_IN_POST.value,
            _("Høyst antall måneder i stillingen"),
        )

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(_("vilkår"), max_length=14, choices=RuleType.choices)
    values = models.CharField(
        _("tillatte verdier"),
        max_length=100,
        blank=True,
        help_text=_("Kommaseparert, f.eks. «fastlonn,naering» eller «ny,konvertert»."),
    )
    number = models.PositiveIntegerField(_("antall"), null=True, blank=True)
    valid_from = models.DateField(_("gjelder fra"), null=True, blank=True)
    valid_to = models.DateField(_("gjelder til"), null=True, blank=True)
    note = models.CharField(_("merknad"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("vilkår for tilskudd")
        verbose_name_plural = _("vilkår for tilskudd")
        ordering = ["scheme", "kind", "valid_from"]

    def __str__(self) -> str:
        return f"{self.scheme}: {self.get_kind_display()}"

    @property
    def value_list(self) -> tuple[str, ...]:
        return tuple(v.strip() for v in self.values.split(",") if v.strip())

    @property
    def value_labels(self) -> str:
        """The allowed values in the users' words ("Fastlønn, Næring"), from the vocabularies
        the values are stored in; a value no vocabulary knows is shown as written."""
        vocabulary = {
            self.RuleType.EMPLOYMENT_FORM: EmploymentForm,
            self.RuleType.TRAINING_SCHEME: TrainingScheme,
        }.get(self.kind)
        labels = dict(vocabulary.choices) if vocabulary else {}
        return ", ".join(str(labels.get(value, value)) for value in self.value_list)


class InvoiceProfile(OfficeOwned):
    """What the office's invoices say about the office itself."""

    org_number = models.CharField(
        _("organisasjonsnummer"), max_length=9, validators=[validate_orgnr]
    )
    invoice_name = models.CharField(_("navn på fakturaen"), max_length=150)
    address = models.CharField(_("adresse"), max_length=200, blank=True)
    account_number = models.CharField(_("kontonummer"), max_length=20)
    payment_days = models.PositiveSmallIntegerField(
        _("betalingsfrist (dager)"), default=30, validators=[MinValueValidator(1)]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fakturaoppsett")
        verbose_name_plural = _("fakturaoppsett")
        constraints = [models.UniqueConstraint(fields=["office"], name="one_invoice_profile")]

    def __str__(self) -> str:
        return self.invoice_name


class ClaimStatus(models.TextChoices):
    DRAFT = "utkast", _("Utkast")
    SUBMITTED = "sendt", _("Sendt inn")
    APPROVED = "godkjent", _("Godkjent")
    PARTLY_APPROVED = "delvis", _("Delvis godkjent")
    PAID = "utbetalt", _("Utbetalt")
    REPORTED = "rapportert", _("Rapportert til revisor")


DECIDED = (ClaimStatus.APPROVED, ClaimStatus.PARTLY_APPROVED)


class Settlement(OfficeOwned):
    """The office's yearly settlement of one scheme: the claims paid in that grant year, with
    totals as they were reported to the auditor."""

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="+")
    year_start = models.DateField(_("tilskuddsår fra"))
    year_end = models.DateField(_("tilskuddsår til"))
    claim_count = models.PositiveIntegerField(_("antall krav"))
    claimed_total = models.DecimalField(_("sum krevd"), **money)
    approved_total = models.DecimalField(_("sum godkjent"), **money)
    share_total = models.DecimalField(_("sum kommunal andel"), **money)
    reported_at = models.DateTimeField(_("rapportert"), default=timezone.now)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("årsoppgjør")
        verbose_name_plural = _("årsoppgjør")
        ordering = ["-year_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "scheme", "year_start"], name="one_settlement_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scheme} {self.year_start:%Y}"


class Claim(OfficeOwned):
    """One doctor's claim under one scheme for one grant year."""

    trainee_path = "trainee"
    municipality_path = "municipality"
    scheme = models.ForeignKey(
        Scheme, on_delete=models.PROTECT, related_name="claims", verbose_name=_("ordning")
    )
    trainee = models.ForeignKey(
        "trainees.Trainee",
        on_delete=models.PROTECT,
        related_name="grant_claims",
        verbose_name=_("ALIS-lege"),
    )
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("kommune"),
    )
    year_start = models.DateField(_("tilskuddsår fra"))
    year_end = models.DateField(_("tilskuddsår til"))
    status = models.CharField(
        _("status"), max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.DRAFT
    )
    claimed_amount = models.DecimalField(_("krevd"), null=True, blank=True, **money)
    share_amount = models.DecimalField(_("kommunal andel"), null=True, blank=True, **money)
    approved_amount = models.DecimalField(_("godkjent"), null=True, blank=True, **money)
    decision_reason = models.TextField(_("begrunnelse"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    paid_on = models.DateField(_("utbetalt dato"), null=True, blank=True)
    settlement = models.ForeignKey(
        Settlement, on_delete=models.PROTECT, null=True, blank=True, related_name="claims"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tilskuddskrav")
        verbose_name_plural = _("tilskuddskrav")
        ordering = ["-year_start", "municipality", "trainee"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "scheme", "trainee", "year_start"],
                name="one_claim_per_doctor_scheme_year",
                violation_error_message=_(
                    "Det finnes allerede et krav for denne legen i denne ordningen og dette året."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(approved_amount__isnull=True)
                | models.Q(approved_amount__lte=models.F("claimed_amount")),
                name="claim_approved_not_above_claimed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme} {self.year_start:%Y}: {self.trainee}"

    @property
    def is_draft(self) -> bool:
        return self.status == ClaimStatus.DRAFT


class ExpenseCategory(models.TextChoices):
    COURSE = "kurs", _("Kursavgift")
    SUPERVISION_GROUP = "veiledningsgruppe", _("Veiledningsgruppe")
    SUBSTITUTE = "vikar", _("Vikar")
    TRAVEL = "reise", _("Reise og opphold")
    OTHER = "annet", _("Annet")


def receipt_upload_to(instance, filename: str) -> str:
    # Unguessable names; the original name is kept on the row for the download.
    return f"tilskudd/kvitteringer/{instance.office_id}/{uuid.uuid4().hex}"


class ExpenseLine(OfficeOwned):
    """One documented expense on a claim, with its receipt."""

    trainee_path = "claim__trainee"
    municipality_path = "claim__municipality"
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="expenses")
    category = models.CharField(_("kategori"), max_length=20, choices=ExpenseCategory.choices)
    day = models.DateField(_("dato"))
    amount = models.DecimalField(_("beløp (kr)"), **money)
    description = models.CharField(_("beskrivelse"), max_length=200)
    covered_by_fund = models.BooleanField(
        _("dekkes av Legeforeningens fond"),
        default=False,
        help_text=_("Utgifter som fondet dekker, gir ikke tilskudd."),
    )
    receipt = models.FileField(_("kvittering"), upload_to=receipt_upload_to)
    receipt_name = models.CharField(max_length=200)
    receipt_kind = models.CharField(max_length=4)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("utgift")
        verbose_name_plural = _("utgifter")
        ordering = ["claim", "day", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="expense_positive")
        ]

    def __str__(self) -> str:
        return f"{self.day}: {self.description}"


class ShareInvoice(OfficeOwned):
    """The municipal share of a claim, invoiced by the office to the municipality."""

    trainee_path = "claim__trainee"
    municipality_path = "municipality"
    claim = models.OneToOneField(Claim, on_delete=models.PROTECT, related_name="invoice")
    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("fakturanummer"), max_length=40)
    amount = models.DecimalField(_("beløp"), **money)
    issued_on = models.DateField(_("fakturadato"))
    due_on = models.DateField(_("forfallsdato"))
    paid_on = models.DateField(_("betalt dato"), null=True, blank=True)
    paid_amount = models.DecimalField(_("innbetalt"), null=True, blank=True, **money)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("faktura for kommunal andel")
        verbose_name_plural = _("fakturaer for kommunal andel")
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["office", "number"], name="invoice_number_unique"),
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("issued_on")), name="invoice_due_order"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_paid(self) -> bool:
        return self.paid_on is not None
