"""Recruitment rounds: how an office takes municipalities into its programme.

A `Round` invites the municipalities of the region (`Invitation`), states its criteria
(`Criterion`: weighted or must-have) and the questions the application asks (`Question`), and
has a programme cap (how many ALIS in all) and a most-per-municipality rule. A leader writes an
`Application`, alone or with other municipalities (one lead), which is a draft until it is
submitted and locked. The office scores each application against the criteria (`Score`, one
row per assessor and criterion), and the steering group's decision gives `Offer`s per
municipality; an accepted offer creates the planned positions (positions/).

`PopulationFigure` is reference data (like the municipality register): inhabitants per
municipality and year, with the source named, so an application's inhabitants are summed from
data, never typed.
"""

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from offices.owned import OfficeOwned
from offices.vocabularies import EmploymentForm

# Scores are whole numbers on this scale; a must-have criterion is scored 0 (not met) or 1 (met).
SCORE_MAX = 5

# Longest free texts (characters): the invitation goes into every e-mail and letter, a note
# onto the application page and the letters.
INVITATION_MAX = 10_000
NOTE_MAX = 4_000
DESCRIPTION_MAX = 2_000
TITLE_MAX = 150
REASON_MAX = 300


def too_long(limit: int) -> MaxLengthValidator:
    """The length check of a free text, with the error the user sees."""
    return MaxLengthValidator(
        limit,
        message=_(
            "Teksten er for lang: høyst %(limit_value)s tegn er tillatt, du har skrevet "
            "%(show_value)s."
        ),
    )


class PopulationFigure(models.Model):
    """Inhabitants of a municipality on 1 January of `year` (national reference data)."""

    municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.PROTECT,
        related_name="population_figures",
        verbose_name=_("kommune"),
    )
    year = models.PositiveSmallIntegerField(_("år"))
    population = models.PositiveIntegerField(_("innbyggere"))
    source = models.CharField(_("kilde"), max_length=300)
    is_example = models.BooleanField(
        _("eksempeltall"), default=False, help_text=_("Tallet er et eksempel, ikke fra kilden.")
    )

    class Meta:
        verbose_name = _("folketall")
        verbose_name_plural = _("folketall")
        ordering = ["municipality", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year"], name="one_population_figure_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality}: {self.population} ({self.year})"

    @property
    def shown_source(self) -> str:
        """The source as users read it: example figures say only that they are examples."""
        return str(_("Eksempeltall (ikke fra SSB)")) if self.is_example else self.source


class RoundStatus(models.TextChoices):
    DRAFT = "utkast", _("Utkast")
    OPEN = "apen", _("Åpen for søknader")
    ASSESSMENT = "vurdering", _("Til vurdering")
    DECIDED = "vedtatt", _("Vedtatt")


class Round(OfficeOwned):
    """One recruitment round of an office («Opptak 2027»)."""

    title = models.CharField(_("tittel"), max_length=TITLE_MAX)
    invitation_text = models.TextField(
        _("invitasjonstekst"),
        max_length=INVITATION_MAX,
        validators=[too_long(INVITATION_MAX)],
        help_text=_("Teksten kommunene får i e-posten og brevet."),
    )
    deadline = models.DateField(_("søknadsfrist"))
    programme_cap = models.PositiveSmallIntegerField(
        _("tak for programmet (antall ALIS)"), validators=[MinValueValidator(1)]
    )
    max_per_municipality = models.PositiveSmallIntegerField(
        _("høyest antall ALIS per kommune"),
        default=2,
        validators=[MinValueValidator(1)],
        help_text=_("Aktive stillinger kommunen har fra før, teller med."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    opened_on = models.DateField(_("invitert"), null=True, blank=True)
    decided_on = models.DateField(_("vedtaksdato"), null=True, blank=True)
    decision_reference = models.CharField(
        _("møtereferanse"),
        max_length=150,
        blank=True,
        help_text=_("F.eks. «Styringsgruppemøte 12.3.2027, sak 4/27»."),
    )
    decision_note = models.TextField(
        _("merknad til vedtaket"),
        blank=True,
        max_length=NOTE_MAX,
        validators=[too_long(NOTE_MAX)],
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("opptaksrunde")
        verbose_name_plural = _("opptaksrunder")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.status == RoundStatus.DRAFT

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN

    @property
    def is_decided(self) -> bool:
        return self.status == RoundStatus.DECIDED


class Criterion(OfficeOwned):
    """A selection criterion of a round: weighted (scored 0–5) or must-have (met or not)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("kriterium"), max_length=150)
    description = models.TextField(
        _("beskrivelse"),
        blank=True,
        max_length=DESCRIPTION_MAX,
        validators=[too_long(DESCRIPTION_MAX)],
    )
    weight = models.PositiveSmallIntegerField(
        _("vekt"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("Brukes ikke for absolutte krav."),
    )
    must_have = models.BooleanField(_("absolutt krav"), default=False)
    order = models.PositiveSmallIntegerField(_("rekkefølge"), default=0)

    class Meta:
        verbose_name = _("kriterium")
        verbose_name_plural = _("kriterier")
        ordering = ["round", "order", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def max_score(self) -> int:
        return 1 if self.must_have else SCORE_MAX


class QuestionKind(models.TextChoices):
    YES_NO = "janei", _("Ja eller nei")
    NUMBER = "tall", _("Tall")
    TEXT = "tekst", _("Tekst")


class Question(OfficeOwned):
    """A question the application asks (what the invitation asks the municipality to state)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("spørsmål"), max_length=200)
    kind = models.CharField(
        _("svartype"), max_length=6, choices=QuestionKind.choices, default=QuestionKind.YES_NO
    )
    required = models.BooleanField(_("må besvares"), default=True)
    order = models.PositiveSmallIntegerField(_("rekkefølge"), default=0)

    class Meta:
        verbose_name = _("spørsmål")
        verbose_name_plural = _("spørsmål")
        ordering = ["round", "order", "pk"]

    def __str__(self) -> str:
        return self.text


class InvitationChannel(models.TextChoices):
    EMAIL = "epost", _("E-post til kommunal leder")
    LETTER = "brev", _("Brev i posten (kommunen har ingen bruker)")


class Invitation(OfficeOwned):
    """A municipality invited to a round, and how the invitation reached it."""

    municipality_path = "municipality"
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="invitations")
    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(_("kanal"), max_length=5, choices=InvitationChannel.choices)
    recipients = models.CharField(_("mottakere"), max_length=500, blank=True)
    sent_on = models.DateField(_("sendt"))

    class Meta:
        verbose_name = _("invitasjon til opptak")
        verbose_name_plural = _("invitasjoner til opptak")
        ordering = ["round", "municipality__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "municipality"], name="intake_one_invitation_per_municipality"
            )
        ]

    def __str__(self) -> str:
        return f"{self.round}: {self.municipality}"


class ApplicationStatus(models.TextChoices):
    DRAFT = "utkast", _("Utkast")
    SUBMITTED = "sendt", _("Sendt inn")
    WITHDRAWN = "trukket", _("Trukket")


class Application(OfficeOwned):
    """One application, from one municipality or several together; the lead writes it."""

    municipality_path = "lead"
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="applications")
    lead = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ansvarlig kommune"),
    )
    partners = models.ManyToManyField(
        "municipalities.Municipality",
        blank=True,
        related_name="+",
        verbose_name=_("samarbeidskommuner"),
        help_text=_("Kommunene som søker sammen med den ansvarlige kommunen."),
    )
    positions_requested = models.PositiveSmallIntegerField(
        _("antall ALIS dere søker om"), validators=[MinValueValidator(1)], default=1
    )
    employment_form = models.CharField(
        _("driftsform"),
        max_length=10,
        choices=[
            (EmploymentForm.SALARIED.value, _("Fastlønn")),
            (EmploymentForm.SELF_EMPLOYED.value, _("Næring")),
            (EmploymentForm.APPLICANT_CHOOSES.value, _("Begge (fastlønn eller næring)")),
        ],
        default=EmploymentForm.SALARIED,
    )
    answers = models.JSONField(_("svar"), default=dict, blank=True)
    note = models.TextField(
        _("utfyllende opplysninger"),
        blank=True,
        max_length=NOTE_MAX,
        validators=[too_long(NOTE_MAX)],
    )
    status = models.CharField(
        _("status"),
        max_length=7,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("sendt inn"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("trukket"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawn_reason = models.CharField(_("begrunnelse"), max_length=REASON_MAX, blank=True)

    history = HistoricalRecords(m2m_fields=[partners])

    class Meta:
        verbose_name = _("søknad om ALIS")
        verbose_name_plural = _("søknader om ALIS")
        ordering = ["round", "lead__name", "pk"]
        constraints = [
            # A withdrawn application does not stop the municipality from applying again.
            models.UniqueConstraint(
                fields=["round", "lead"],
                condition=~Q(status="trukket"),
                name="intake_one_application_per_lead",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """«Tana + Lebesby»: the lead first, then the partners by name."""
        partners = sorted(self.partners.all(), key=lambda m: m.name)
        return " + ".join([self.lead.name, *(m.name for m in partners)])

    @property
    def is_joint(self) -> bool:
        return bool(self.partners.all())

    @property
    def is_draft(self) -> bool:
        return self.status == ApplicationStatus.DRAFT

    @property
    def is_withdrawn(self) -> bool:
        return self.status == ApplicationStatus.WITHDRAWN

    def municipalities(self) -> list:
        return [self.lead, *sorted(self.partners.all(), key=lambda m: m.name)]

    @property
    def shown_status(self) -> str:
        """The status as the applicant reads it: a draft left when the round closed is «Ikke
        sendt inn»; after the decision, one sent in is «Tilbud gitt» or «Ikke tilbud»."""
        if self.is_draft and self.round.status in (RoundStatus.ASSESSMENT, RoundStatus.DECIDED):
            return str(_("Ikke sendt inn"))
        if self.status == ApplicationStatus.SUBMITTED and self.round.is_decided:
            offered = any(o.positions for o in self.offers.all())
            return str(_("Tilbud gitt") if offered else _("Ikke tilbud"))
        return self.get_status_display()


class PartnerConfirmation(OfficeOwned):
    """A partner municipality's yes to being in a joint application: its leader confirmed, or
    the office did on its behalf (a municipality with no leader user answers by letter or
    phone). Until it confirms, the partner is only named: the application cannot be sent in,
    and the municipality is free to apply on its own."""

    municipality_path = "municipality"
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="confirmations"
    )
    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("bekreftet"), default=timezone.now)
    # None: confirmed before confirmations were recorded (sent in before this rule).
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    on_behalf = models.BooleanField(_("registrert av kontoret"), default=False)
    note = models.CharField(_("merknad"), max_length=REASON_MAX, blank=True)

    class Meta:
        verbose_name = _("bekreftelse fra samarbeidskommune")
        verbose_name_plural = _("bekreftelser fra samarbeidskommuner")
        ordering = ["application", "municipality__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "municipality"], name="intake_one_confirmation_each"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.municipality}"


class ApplicationEventKind(models.TextChoices):
    CONFIRMED = "bekreftet", _("Samarbeid bekreftet")
    CONFIRMED_BY_OFFICE = "bekreftet_kontor", _("Samarbeid bekreftet av kontoret")
    PARTNER_LEFT = "trakk_seg", _("Samarbeidskommunen trakk seg")
    PARTNER_REMOVED = "fjernet", _("Kommunen fjernet av kontoret")
    WITHDRAWN = "trukket", _("Søknaden trukket av kontoret")
    OFFER_RECORDED = "svar_registrert", _("Svar på tilbud registrert av kontoret")


class ApplicationEvent(OfficeOwned):
    """The application's log: who confirmed, left, removed or withdrew what, when, and why."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("hendelse"), max_length=20, choices=ApplicationEventKind.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("tidspunkt"), default=timezone.now)
    reason = models.CharField(_("begrunnelse"), max_length=REASON_MAX, blank=True)

    class Meta:
        verbose_name = _("hendelse i søknad")
        verbose_name_plural = _("hendelser i søknader")
        ordering = ["application", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.municipality or ''}"


class Score(OfficeOwned):
    """One assessor's score of one application on one criterion."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    value = models.PositiveSmallIntegerField(_("poeng"), validators=[MaxValueValidator(SCORE_MAX)])
    comment = models.CharField(_("kommentar"), max_length=300, blank=True)
    scored_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("poeng")
        verbose_name_plural = _("poeng")
        ordering = ["application", "criterion", "assessor"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "criterion", "assessor"], name="intake_one_score_each"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} / {self.criterion}: {self.value}"


class OfferStatus(models.TextChoices):
    OFFERED = "tilbudt", _("Tilbudt")
    ACCEPTED = "akseptert", _("Akseptert")
    DECLINED = "avslatt", _("Avslått av kommunen")


class Offer(OfficeOwned):
    """The decision's offer to one municipality: how many ALIS, in which employment form."""

    municipality_path = "municipality"
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="offers")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="offers")
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("kommune"),
    )
    positions = models.PositiveSmallIntegerField(
        _("antall ALIS"), validators=[MinValueValidator(1)]
    )
    employment_form = models.CharField(
        _("driftsform"), max_length=10, choices=EmploymentForm.choices
    )
    status = models.CharField(
        _("status"), max_length=10, choices=OfferStatus.choices, default=OfferStatus.OFFERED
    )
    answered_at = models.DateTimeField(_("svart"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_by_office = models.BooleanField(_("svaret registrert av kontoret"), default=False)
    answer_note = models.CharField(
        _("hvordan svaret kom"),
        max_length=REASON_MAX,
        blank=True,
        help_text=_("F.eks. «Brev fra kommunen datert 3.12.2026» eller «Telefon med helsesjefen»."),
    )
    created_positions = models.ManyToManyField(
        "positions.Position", blank=True, related_name="+", verbose_name=_("stillinger")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tilbud om ALIS")
        verbose_name_plural = _("tilbud om ALIS")
        ordering = ["round", "municipality__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "municipality"], name="intake_one_offer_per_municipality"
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality}: {self.positions}"

    @property
    def is_open(self) -> bool:
        return self.status == OfferStatus.OFFERED
