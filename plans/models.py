"""The learning-goal catalogue and the rule sets of the training.

Both are national reference data, not office-owned: no office foreign key, plain managers.
A catalogue is one imported version of a specialty's ALM or FKM goals; a new import adds a new
catalogue beside the old ones, so plans made on an old version keep pointing at its goals.
Goals are never edited in place (a change is a new version), so only the catalogue's own note
and validity carry history.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from offices.owned import OfficeOwned
from offices.vocabularies import SCHEMES_NEW_OR_OLD, ArenaType


class CatalogueKind(models.TextChoices):
    ALM = "ALM", _("ALM – allmennmedisinske læringsmål")
    FKM = "FKM", _("FKM – felles kompetansemål")


# ALM-nnn (three digits) and FKM-nn (two digits).
CODE_PATTERNS = {
    CatalogueKind.ALM: re.compile(r"^ALM-\d{3}$"),
    CatalogueKind.FKM: re.compile(r"^FKM-\d{2}$"),
}
CODE_EXAMPLES = {CatalogueKind.ALM: "ALM-001", CatalogueKind.FKM: "FKM-01"}


def code_error(code: str, kind: str) -> str | None:
    """Why `code` is not a valid code for a catalogue of `kind`, or None."""
    pattern = CODE_PATTERNS.get(kind)
    if pattern is None or pattern.match(code or ""):
        return None
    return _("Koden «%(code)s» har feil format; riktig format er som %(example)s.") % {
        "code": code,
        "example": CODE_EXAMPLES[kind],
    }


class Catalogue(models.Model):
    specialty = models.CharField(_("spesialitet"), max_length=60, default="allmennmedisin")
    kind = models.CharField(_("type"), max_length=3, choices=CatalogueKind.choices)
    version = models.CharField(_("versjon"), max_length=60)
    name = models.CharField(_("navn"), max_length=200)
    valid_from = models.DateField(_("gyldig fra"))
    valid_to = models.DateField(_("gyldig til"), null=True, blank=True)
    imported_at = models.DateTimeField(_("importert"), default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("importert av"),
    )
    source_filename = models.CharField(_("fil"), max_length=255, blank=True)
    note = models.TextField(_("merknad"), blank=True)
    is_sample = models.BooleanField(
        _("eksempeldata"),
        default=False,
        help_text=_("Eksempelkatalog laget for demo og test – ikke den offisielle listen."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("læringsmålkatalog")
        verbose_name_plural = _("læringsmålkataloger")
        ordering = ["specialty", "kind", "-valid_from", "-imported_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["specialty", "kind", "version"], name="catalogue_version_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="catalogue_validity_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} – {self.kind} {self.version}"

    def clean(self) -> None:
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("«Gyldig til» kan ikke være før «gyldig fra».")})


class LearningGoal(models.Model):
    catalogue = models.ForeignKey(
        Catalogue, on_delete=models.PROTECT, related_name="goals", verbose_name=_("katalog")
    )
    code = models.CharField(_("kode"), max_length=7)
    title = models.CharField(_("tittel"), max_length=400)
    theme = models.CharField(_("tema"), max_length=150, blank=True)
    learning_activities = models.TextField(_("anbefalte læringsaktiviteter"), blank=True)
    typical_arena = models.CharField(
        _("typisk arena"), max_length=20, choices=ArenaType.choices, blank=True
    )
    valid_from = models.DateField(_("gyldig fra"), null=True, blank=True)
    valid_to = models.DateField(_("gyldig til"), null=True, blank=True)

    class Meta:
        verbose_name = _("læringsmål")
        verbose_name_plural = _("læringsmål")
        ordering = ["catalogue", "code"]
        constraints = [
            models.UniqueConstraint(fields=["catalogue", "code"], name="goal_code_per_catalogue"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def clean(self) -> None:
        errors = {}
        if self.catalogue_id:
            message = code_error(self.code, self.catalogue.kind)
            if message:
                errors["code"] = message
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            errors["valid_to"] = _("«Gyldig til» kan ikke være før «gyldig fra».")
        if errors:
            raise ValidationError(errors)


def _months(verbose: str, default: int, **kwargs):
    return models.PositiveSmallIntegerField(verbose, default=default, **kwargs)


class RuleSet(models.Model):
    """The requirements of one scheme for a period of time. Every number is data: the rules have
    changed almost every year, so a change is a new rule set with its own validity."""

    name = models.CharField(_("navn"), max_length=150)
    scheme = models.CharField(_("ordning"), max_length=10, choices=SCHEMES_NEW_OR_OLD)
    valid_from = models.DateField(_("gyldig fra"))
    valid_to = models.DateField(_("gyldig til"), null=True, blank=True)
    note = models.TextField(_("merknad"), blank=True)

    total_service_months = _months(_("samlet tjeneste, minst (mnd)"), 60)
    open_practice_min_months = _months(_("åpen uselektert allmennpraksis, minst (mnd)"), 24)
    open_practice_max_months = _months(
        _("åpen uselektert allmennpraksis, høyst (mnd)"), 54, null=True, blank=True
    )
    other_practice_max_months = _months(
        _("annen allmennmedisinsk tjeneste, høyst (mnd)"), 30, null=True, blank=True
    )
    institution_min_months = _months(_("institusjonstjeneste, minst (mnd)"), 6)
    institution_from_month = models.PositiveSmallIntegerField(
        _("institusjonstjeneste tidligst fra måned"),
        null=True,
        blank=True,
        help_text=_(
            "Tom: institusjonstjenesten kan ligge hvor som helst i løpet. Ellers tidligste "
            "start, i kalendermåneder etter start i spesialisering. Sykehusbestillingen "
            "følger dette feltet."
        ),
    )
    min_percentage = models.PositiveSmallIntegerField(
        _("laveste stillingsprosent som teller"),
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    min_percentage_scope = models.CharField(
        _("laveste stillingsprosent gjelder"),
        max_length=10,
        choices=[
            ("total", _("legens samlede stillingsprosent den dagen")),
            ("post", _("hver stilling")),
        ],
        default="total",
    )
    # Where the regulations leave a reading open, the reading this rule set uses, as data:
    # a list of {"question", "reading", "source"}; the requirement page shows each reading.
    readings = models.JSONField(_("valgte tolkninger"), default=list, blank=True)
    supervision_hours_per_month = models.DecimalField(
        _("individuell veiledning, timer per måned"), max_digits=4, decimal_places=1, default=4
    )
    supervision_months_per_year = models.DecimalField(
        _("veiledningsmåneder per år"), max_digits=4, decimal_places=1, default=10.5
    )
    group_supervision_months = _months(_("gruppeveiledning, varighet (mnd)"), 24)
    group_supervision_hours = _months(_("gruppeveiledning, timer"), 120)
    group_open_practice_months = _months(
        _("gruppeveiledning i åpen uselektert allmennpraksis, minst (mnd)"), 12
    )
    # Recommended courses: shown with their progress, never a requirement.
    basic_courses = models.CharField(
        _("anbefalte grunnkurs"), max_length=40, default="A,B,C,D", blank=True
    )
    topic_courses_min = _months(_("anbefalte emnekurs, antall"), 6)
    topic_course_min_hours = _months(_("anbefalte emnekurs, timer per kurs"), 15)
    # Required courses.
    acute_course_required = models.BooleanField(
        _("kurs i akuttmedisin kreves av alle"),
        default=False,
        help_text=_("Av: kurset er anbefalt, og kreves bare ved legevaktarbeid."),
    )
    out_of_hours_courses = models.CharField(
        _("kurs som kreves ved legevaktarbeid"),
        max_length=40,
        default="akutt,vold",
        blank=True,
        help_text=_("Kurstypene, kommaseparert: akutt (akuttmedisin), vold (vold og overgrep)."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("regelsett")
        verbose_name_plural = _("regelsett")
        ordering = ["scheme", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="ruleset_validity_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        known = set(PlannedCourseKind.values)
        unknown = [k for k in _kinds(self.out_of_hours_courses) if k not in known]
        if unknown:
            raise ValidationError(
                {
                    "out_of_hours_courses": _("Ukjent kurstype: %(kinds)s. Bruk %(known)s.")
                    % {"kinds": ", ".join(unknown), "known": ", ".join(sorted(known))}
                }
            )

    def values(self):
        """The rule values as the rules engine's plain dataclass."""
        from .rules import RuleValues

        return RuleValues(
            name=self.name,
            total_service_months=self.total_service_months,
            open_practice_min_months=self.open_practice_min_months,
            open_practice_max_months=self.open_practice_max_months,
            other_practice_max_months=self.other_practice_max_months,
            institution_min_months=self.institution_min_months,
            min_percentage=self.min_percentage,
            min_percentage_scope=self.min_percentage_scope,
            supervision_hours_per_month=self.supervision_hours_per_month,
            supervision_months_per_year=self.supervision_months_per_year,
            group_supervision_months=self.group_supervision_months,
            group_supervision_hours=self.group_supervision_hours,
            group_open_practice_months=self.group_open_practice_months,
            basic_courses=_kinds(self.basic_courses),
            topic_courses_min=self.topic_courses_min,
            topic_course_min_hours=self.topic_course_min_hours,
            acute_course_required=self.acute_course_required,
            out_of_hours_courses=_kinds(self.out_of_hours_courses),
            institution_from_month=self.institution_from_month,
        )


def _kinds(text: str) -> tuple[str, ...]:
    return tuple(c.strip() for c in text.split(",") if c.strip())


# --- Individual education plans -------------------------------------------------------------------


class PlanStatus(models.TextChoices):
    DRAFT = "utkast", _("Utkast")
    ACKNOWLEDGED = "bekreftet", _("Bekreftet av legen")
    APPROVED = "godkjent", _("Godkjent av leder")


class InstitutionModule(models.IntegerChoices):
    FOUR = 4, _("4 måneder")
    SIX = 6, _("6 måneder")


class PlannedCourseKind(models.TextChoices):
    BASIC_A = "A", _("Grunnkurs A")
    BASIC_B = "B", _("Grunnkurs B")
    BASIC_C = "C", _("Grunnkurs C")
    BASIC_D = "D", _("Grunnkurs D")
    ACUTE = "akutt", _("Kurs i akuttmedisin")
    TOPIC = "emne", _("Emnekurs")
    VIOLENCE = "vold", _("Kurs i vold og overgrep")


class IndividualPlan(OfficeOwned):
    """One individual education plan per ALIS doctor. Its content lives in versions: each
    revision is a new `PlanVersion`, and old versions are never changed."""

    trainee_path = "trainee"
    trainee = models.OneToOneField(
        "trainees.Trainee", on_delete=models.CASCADE, related_name="individual_plan"
    )
    created_at = models.DateTimeField(_("opprettet"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("individuell utdanningsplan")
        verbose_name_plural = _("individuelle utdanningsplaner")

    def __str__(self) -> str:
        return str(self.trainee)


class PlanVersion(OfficeOwned):
    """One revision of an individual plan: the content is fixed once saved; only the doctor's
    acknowledgement and the leader's approval are added afterwards."""

    trainee_path = "plan__trainee"
    plan = models.ForeignKey(IndividualPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("versjon"))
    created_at = models.DateTimeField(_("laget"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("laget av"),
    )
    prior_competence = models.TextField(
        _("tidligere kompetanse"),
        blank=True,
        help_text=_("Tidligere tjeneste og oppnådde læringsmål som godskrives, med merknader."),
    )
    credited_goals = models.ManyToManyField(
        LearningGoal, blank=True, related_name="+", verbose_name=_("godskrevne læringsmål")
    )
    institution_module = models.PositiveSmallIntegerField(
        _("institusjonsmodul"), choices=InstitutionModule.choices, null=True, blank=True
    )
    institution_place = models.CharField(_("institusjon (hvor)"), max_length=200, blank=True)
    institution_start = models.DateField(_("institusjonstjeneste fra"), null=True, blank=True)
    veileder = models.ForeignKey(
        "trainees.SupervisorAssignment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("veileder (oppnevnt)"),
    )
    veileder_name = models.CharField(
        _("veileder (navn)"), max_length=200, blank=True, help_text=_("Hvis ikke oppnevnt ennå.")
    )
    supervisors = models.CharField(_("supervisører"), max_length=400, blank=True)
    group = models.ForeignKey(
        "trainees.SupervisionGroup",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("veiledningsgruppe"),
    )
    group_text = models.CharField(_("gruppeveiledning (tekst)"), max_length=300, blank=True)
    target_completion = models.DateField(_("planlagt ferdig"), null=True, blank=True)
    note = models.TextField(_("merknad"), blank=True)
    acknowledged_at = models.DateTimeField(_("bekreftet av legen"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("godkjent av leder"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("planversjon")
        verbose_name_plural = _("planversjoner")
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_number"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} v{self.number}"

    @property
    def status(self) -> str:
        if self.approved_at:
            return PlanStatus.APPROVED
        if self.acknowledged_at:
            return PlanStatus.ACKNOWLEDGED
        return PlanStatus.DRAFT

    @property
    def status_label(self) -> str:
        return PlanStatus(self.status).label

    @property
    def veileder_display(self) -> str:
        if self.veileder_id:
            return self.veileder.supervisor_name or str(self.veileder.supervisor)
        return self.veileder_name

    @property
    def group_display(self) -> str:
        if self.group_id:
            return self.group.name
        return self.group_text


class PlannedArena(OfficeOwned):
    trainee_path = "version__plan__trainee"
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="arenas")
    arena = models.CharField(_("læringsarena"), max_length=20, choices=ArenaType.choices)
    place = models.CharField(_("sted"), max_length=200, blank=True)
    start = models.DateField(_("fra"))
    end = models.DateField(_("til"))
    percentage = models.PositiveSmallIntegerField(
        _("stillingsprosent"),
        default=100,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    goals = models.ManyToManyField(
        LearningGoal, blank=True, related_name="+", verbose_name=_("læringsmål på arenaen")
    )

    class Meta:
        verbose_name = _("planlagt arena")
        verbose_name_plural = _("planlagte arenaer")
        ordering = ["version", "start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")),
                name="planned_arena_order",
                violation_error_message=_("Sluttdatoen kan ikke være før startdatoen."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_arena_display()} {self.start}–{self.end} {self.percentage} %"

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("Sluttdatoen kan ikke være før startdatoen.")})


class PlannedCourse(OfficeOwned):
    trainee_path = "version__plan__trainee"
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="courses")
    kind = models.CharField(_("kurs"), max_length=10, choices=PlannedCourseKind.choices)
    title = models.CharField(_("tittel"), max_length=200, blank=True)
    hours = models.DecimalField(
        _("timer"), max_digits=5, decimal_places=1, default=0, validators=[MinValueValidator(0)]
    )
    planned = models.DateField(_("planlagt"), null=True, blank=True)

    class Meta:
        verbose_name = _("planlagt kurs")
        verbose_name_plural = _("planlagte kurs")
        ordering = ["version", "kind", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.title}".strip()


class StoredStanding(OfficeOwned):
    """A doctor's standing on a day, as the rules engine (`plans.standing`) answered it, kept so
    that the regional and national reports count stored rows instead of running the engine for
    every doctor of the country (`plans.stored`).

    A row is *fresh* for the day `on` when `stale` is false. Every change to one of the
    standing's inputs (the doctor, service periods, supervision, group attendance, courses, the
    approved plan, the rule sets) marks the doctor's row stale and raises `version` in the same
    transaction (`plans.stored.invalidate`); a refresh writes its answer only where `version` is
    still the one it read before reading the inputs, so an answer computed from inputs that
    changed meanwhile is never stored as fresh. The nightly refresh computes every doctor in
    training for the new day; a report computes and stores whatever is not fresh."""

    trainee = models.OneToOneField(
        "trainees.Trainee", on_delete=models.CASCADE, related_name="stored_standing"
    )
    on = models.DateField(_("beregnet for dag"), null=True)
    stale = models.BooleanField(default=True)
    version = models.PositiveBigIntegerField(default=0)
    computed_at = models.DateTimeField(null=True)
    status = models.CharField(max_length=20, blank=True)
    at_risk = models.BooleanField(default=False)
    # The supervision compliance is known (the doctor has a rule set) and not behind.
    supervision_compliant = models.BooleanField(default=False)
    projected_completion = models.DateField(null=True)

    trainee_path = "trainee"

    class Meta:
        verbose_name = _("lagret status")
        verbose_name_plural = _("lagrede statuser")
        indexes = [models.Index(fields=["office", "on", "stale"], name="stored_standing_day")]

    def __str__(self):
        return f"{self.trainee_id} {self.on} {self.status}"
