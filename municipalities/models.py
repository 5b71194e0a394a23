"""The municipality register (reference data) and each municipality's office history.

The register is not office-scoped: it is national reference data. Which office serves a
municipality is stored on it and in `OfficeAssignment`, so moving municipalities between
offices keeps the whole history.
"""

import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from stdnum.exceptions import InvalidChecksum
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.no import orgnr

from offices.numbers import format_decimal
from offices.owned import OfficeOwned
from offices.vocabularies import ArenaType


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


# --- Education units (utdanningsvirksomhet, spesialistforskriften §19) -------------------------
# Office-owned: each row has its own `office` (the municipality's office when written; moved with
# the municipality through their `municipality_path`, see offices.owned).


def validate_orgnr(value: str) -> None:
    """Norwegian organisation number: nine digits, modulus-11 check digit (python-stdnum)."""
    try:
        orgnr.validate(value)
    except InvalidChecksum as error:
        raise ValidationError(
            _("Organisasjonsnummeret er ikke gyldig (kontrollsifferet stemmer ikke)."),
            code="orgnr_checksum",
        ) from error
    except StdnumError as error:
        raise ValidationError(
            _("Organisasjonsnummeret må være ni sifre, for eksempel 974 760 673."),
            code="orgnr_format",
        ) from error


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("Venter på behandling")
    APPROVED = "approved", _("Godkjent")
    REJECTED = "rejected", _("Avslått")


class EducationUnitRegistration(OfficeOwned):
    """A municipality's application to be an education unit. At most one is approved per
    municipality; the approved one *is* the unit."""

    municipality_path = "municipality"
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="unit_registrations",
        verbose_name=_("kommune"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.PENDING,
    )
    org_number = models.CharField(
        _("organisasjonsnummer"), max_length=9, validators=[validate_orgnr]
    )
    leader_name = models.CharField(_("navn på leder"), max_length=150)
    leader_title = models.CharField(_("stillingstittel"), max_length=150)
    leader_email = models.EmailField(_("e-post til leder"))
    contact_name = models.CharField(_("navn på kontaktperson"), max_length=150)
    contact_email = models.EmailField(_("e-post til kontaktperson"))
    contact_phone = models.CharField(_("telefon til kontaktperson"), max_length=30)
    hdir_registered_on = models.DateField(
        _("registrert hos Helsedirektoratet"), null=True, blank=True
    )
    hdir_reference = models.CharField(_("Helsedirektoratets referanse"), max_length=60, blank=True)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="unit_registrations",
        verbose_name=_("innsendt av"),
    )
    submitted_at = models.DateTimeField(_("sendt inn"), default=timezone.now)
    decided_at = models.DateTimeField(_("behandlet"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("behandlet av"),
    )
    rejection_reason = models.TextField(_("begrunnelse for avslag"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("registrering som utdanningsvirksomhet")
        verbose_name_plural = _("registreringer som utdanningsvirksomhet")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality"],
                condition=models.Q(status="approved"),
                name="one_approved_unit_per_municipality",
            ),
            models.UniqueConstraint(
                fields=["municipality", "applicant"],
                condition=models.Q(status="pending"),
                name="one_pending_registration_per_applicant",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="rejected") | ~models.Q(rejection_reason=""),
                name="rejection_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} – {self.get_status_display()}"

    @property
    def is_pending(self) -> bool:
        return self.status == RegistrationStatus.PENDING


ARENA_LABELS = dict(ArenaType.choices)

# Free learning-goal codes until the catalogue lands: ALM-nnn or FKM-nn.
GOAL_CODE_RE = re.compile(r"^(ALM-\d{3}|FKM-\d{2})$")


def validate_goal_codes(value) -> None:
    if not isinstance(value, list):
        raise ValidationError(_("Læringsmålene må være en liste med koder."))
    bad = [code for code in value if not isinstance(code, str) or not GOAL_CODE_RE.match(code)]
    if bad:
        raise ValidationError(
            _(
                "Disse kodene er ikke gyldige: %(codes)s. Bruk ALM- og tre sifre "
                "(ALM-001) eller FKM- og to sifre (FKM-12)."
            ),
            params={"codes": ", ".join(map(str, bad))},
            code="goal_code",
        )


def validate_arena_types(value) -> None:
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Velg minst én læringsarena."))
    bad = [v for v in value if v not in ARENA_LABELS]
    if bad:
        raise ValidationError(_("Ukjent læringsarena: %(v)s."), params={"v": ", ".join(bad)})


MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


def validate_pdf(file) -> None:
    """A signed agreement: a PDF (by extension and by content) of at most 10 MB."""
    name = getattr(file, "name", "") or ""
    if not name.lower().endswith(".pdf"):
        raise ValidationError(
            _("Dokumentet må være en PDF-fil (filnavnet skal slutte på .pdf)."), code="pdf_ext"
        )
    if file.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            _("Filen er for stor (%(size)s MB). Største tillatte størrelse er 10 MB."),
            params={"size": format_decimal(file.size / (1024 * 1024), 1)},
            code="pdf_size",
        )
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(5)
    file.seek(position)
    if head != b"%PDF-":
        raise ValidationError(
            _(
                "Filen er ikke en PDF, selv om navnet slutter på .pdf. Last opp den signerte "
                "avtalen som PDF."
            ),
            code="pdf_content",
        )


def agreement_upload_to(instance, filename: str) -> str:
    # Unguessable names; the original name is kept on the row for the download.
    return f"samarbeidsavtaler/{instance.office_id}/{uuid.uuid4().hex}.pdf"


class CounterpartyType(models.TextChoices):
    HEALTH_TRUST = "helseforetak", _("Helseforetak")
    MUNICIPALITY = "kommune", _("Annen kommune")
    OTHER = "annen", _("Annen virksomhet")


class CooperationAgreement(OfficeOwned):
    """Samarbeidsavtale: gives the municipality's ALIS arenas it lacks itself."""

    municipality_path = "municipality"
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="cooperation_agreements",
        verbose_name=_("kommune"),
    )
    counterparty_type = models.CharField(
        _("avtalepart er"), max_length=15, choices=CounterpartyType.choices
    )
    counterparty_name = models.CharField(_("navn på avtalepart"), max_length=150, blank=True)
    counterparty_municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kommune som er avtalepart"),
    )
    arena_types = models.JSONField(
        _("læringsarenaer"), default=list, validators=[validate_arena_types]
    )
    start = models.DateField(_("gjelder fra"))
    end = models.DateField(_("gjelder til"), null=True, blank=True)
    document = models.FileField(
        _("signert avtale (PDF)"), upload_to=agreement_upload_to, validators=[validate_pdf]
    )
    document_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("samarbeidsavtale")
        verbose_name_plural = _("samarbeidsavtaler")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="agreement_period_order",
            ),
        ]

    def __str__(self) -> str:
        return self.counterparty

    @property
    def counterparty(self) -> str:
        if self.counterparty_municipality_id:
            return f"{self.counterparty_municipality.name} kommune"
        return self.counterparty_name

    @property
    def arena_labels(self) -> list[str]:
        return [ARENA_LABELS.get(a, a) for a in self.arena_types]

    def clean(self) -> None:
        errors = {}
        if self.counterparty_type == CounterpartyType.MUNICIPALITY:
            if not self.counterparty_municipality_id:
                errors["counterparty_municipality"] = _("Velg kommunen avtalen er inngått med.")
            elif self.counterparty_municipality_id == self.municipality_id:
                errors["counterparty_municipality"] = _(
                    "En kommune kan ikke inngå samarbeidsavtale med seg selv."
                )
        elif not self.counterparty_name.strip():
            errors["counterparty_name"] = _("Skriv navnet på avtaleparten.")
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("Sluttdatoen kan ikke være før startdatoen.")
        if errors:
            raise ValidationError(errors)


class EducationPlan(OfficeOwned):
    """One version of a municipality's general education plan. Versions are never changed:
    every edit writes a new one, so old versions stay readable as they were."""

    municipality_path = "municipality"
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="education_plans",
        verbose_name=_("kommune"),
    )
    version = models.PositiveIntegerField(_("versjon"))
    note = models.CharField(_("hva er endret"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("opprettet"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("opprettet av"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("generell utdanningsplan")
        verbose_name_plural = _("generelle utdanningsplaner")
        ordering = ["municipality", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "version"], name="one_plan_version_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality.name}, versjon {self.version}"


class LearningArena(OfficeOwned):
    """A learning arena in one version of the general education plan."""

    municipality_path = "plan__municipality"
    plan = models.ForeignKey(EducationPlan, on_delete=models.CASCADE, related_name="arenas")
    position = models.PositiveSmallIntegerField(default=0)
    arena_type = models.CharField(_("type arena"), max_length=20, choices=ArenaType.choices)
    name = models.CharField(_("navn"), max_length=150)
    description = models.TextField(_("beskrivelse"), blank=True)
    agreement = models.ForeignKey(
        CooperationAgreement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="arenas",
        verbose_name=_("gjennom samarbeidsavtale"),
        help_text=_("Tom: arenaen er i kommunen."),
    )
    goal_codes = models.JSONField(
        _("læringsmål"), default=list, blank=True, validators=[validate_goal_codes]
    )

    class Meta:
        verbose_name = _("læringsarena")
        verbose_name_plural = _("læringsarenaer")
        ordering = ["plan", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.get_arena_type_display()}: {self.name}"


class MunicipalityProfile(OfficeOwned):
    """What the office knows and flags about a municipality of its region."""

    municipality_path = "municipality"
    municipality = models.OneToOneField(
        Municipality, on_delete=models.PROTECT, related_name="profile"
    )
    recruitment_trouble = models.BooleanField(_("rekrutteringsproblemer"), default=False)
    recruitment_reason = models.CharField(
        _("hvorfor"),
        max_length=300,
        blank=True,
        help_text=_("Kort begrunnelse, f.eks. «tre ubesatte hjemler siste år»."),
    )
    sami_area = models.BooleanField(_("i forvaltningsområdet for samisk språk"), default=False)
    cooperation = models.CharField(
        _("interkommunalt samarbeid"),
        max_length=200,
        blank=True,
        help_text=_("Navnet på samarbeidet, f.eks. «Tana + Lebesby»."),
    )
    note = models.TextField(_("merknad"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kommuneprofil")
        verbose_name_plural = _("kommuneprofiler")

    def __str__(self) -> str:
        return f"Profil for {self.municipality}"

    def clean(self) -> None:
        if self.recruitment_trouble and not self.recruitment_reason.strip():
            raise ValidationError(
                {"recruitment_reason": _("Skriv kort hvorfor kommunen har rekrutteringsproblemer.")}
            )


class ContactChannel(models.TextChoices):
    MEETING = "mote", _("Møte")
    VISIT = "besok", _("Besøk i kommunen")
    VIDEO = "video", _("Videomøte")
    PHONE = "telefon", _("Telefon")
    EMAIL = "epost", _("E-post")
    NETWORK = "samling", _("Nettverkssamling")


class ContactLogEntry(OfficeOwned):
    """The office's contact network with a municipality: who talked, about what, what's next."""

    municipality_path = "municipality"
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="contact_log"
    )
    date = models.DateField(_("dato"))
    channel = models.CharField(_("kanal"), max_length=10, choices=ContactChannel.choices)
    people = models.CharField(
        _("hvem"),
        max_length=300,
        help_text=_("Navn og roller, f.eks. «Kari Nordmann, kommuneoverlege»."),
    )
    notes = models.TextField(_("notater"))
    follow_up_on = models.DateField(_("følg opp"), null=True, blank=True)
    follow_up_done = models.BooleanField(_("fulgt opp"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kontakt")
        verbose_name_plural = _("kontaktlogg")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["office", "municipality", "-date"])]

    def __str__(self) -> str:
        return f"{self.municipality} {self.date}: {self.get_channel_display()}"

    def clean(self) -> None:
        if self.follow_up_on and self.date and self.follow_up_on < self.date:
            raise ValidationError({"follow_up_on": _("Oppfølgingen kan ikke være før kontakten.")})


# Health-trust areas and former names live in their own module; imported here so Django sees them.
from .areas import HealthTrust, HealthTrustArea, MunicipalityName  # noqa: E402, F401
