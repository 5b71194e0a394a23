"""Learning activities and gatherings: the catalogue (with reusable templates), events, sign-ups
with a waiting list, attendance and evaluations.

Ownership: an activity and an event belong to the office that organises them. A sign-up belongs
to the office of the participant (a doctor of Vest signing up for a national event run by Nord is
Vest's personal data; the course record it becomes is written in Vest). Joint national events are
readable by every office (see selectors, the one place that reads across offices for them).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from offices.owned import OfficeOwned
from trainees.models import COURSE_KINDS


class ActivityKind(models.TextChoices):
    COURSE = "kurs", _("Kurs")
    GATHERING = "samling", _("Samling")
    SUPERVISOR_TRAINING = "veilederkurs", _("Veilederutdanning")
    INFO_MEETING = "infomote", _("Informasjonsmøte")
    WEBINAR = "webinar", _("Webinar")


class Audience(models.TextChoices):
    DOCTORS = "leger", _("ALIS-leger")
    SUPERVISORS = "veiledere", _("Veiledere")
    LEADERS = "ledere", _("Ledere")
    COORDINATORS = "koordinatorer", _("Koordinatorer")


class Activity(OfficeOwned):
    """A catalogue entry and its reusable template (programme, learning outcomes, evaluation
    form). National entries are shared with every office, which may copy them."""

    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="+")
    is_national = models.BooleanField(
        _("nasjonal mal"),
        default=False,
        help_text=_("Synlig for alle kontorene, som kan kopiere den."),
    )
    title = models.CharField(_("tittel"), max_length=200)
    kind = models.CharField(_("type"), max_length=14, choices=ActivityKind.choices)
    course_kind = models.CharField(
        _("kurskrav det dekker"),
        max_length=10,
        choices=COURSE_KINDS,
        blank=True,
        help_text=_("Gjennomført deltakelse blir et kurs av denne typen hos legen."),
    )
    hours = models.DecimalField(
        _("timer"), max_digits=5, decimal_places=1, default=0, validators=[MinValueValidator(0)]
    )
    goals = models.ManyToManyField(
        "plans.LearningGoal", blank=True, related_name="+", verbose_name=_("læringsmål")
    )
    audience = models.JSONField(_("målgruppe"), default=list, blank=True)
    programme = models.TextField(_("program"), blank=True)
    learning_outcomes = models.TextField(_("læringsutbytte"), blank=True)
    evaluation_questions = models.TextField(
        _("evalueringsskjema"),
        blank=True,
        help_text=_("Ett spørsmål per linje; deltakerne svarer 1–5."),
    )
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("læringsaktivitet")
        verbose_name_plural = _("læringsaktiviteter")
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def questions(self) -> list[str]:
        return [q.strip() for q in self.evaluation_questions.splitlines() if q.strip()]

    def audience_labels(self) -> list[str]:
        return [str(Audience(a).label) for a in self.audience if a in Audience.values]


class Payer(models.TextChoices):
    FREE = "gratis", _("Gratis")
    PARTICIPANT = "deltaker", _("Deltakeren")
    MUNICIPALITY = "kommune", _("Kommunen")
    OFFICE = "kontor", _("ALIS-kontoret")


class Event(OfficeOwned):
    office = models.ForeignKey(
        "offices.Office", on_delete=models.PROTECT, related_name="+", verbose_name=_("arrangør")
    )
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="events")
    title = models.CharField(_("tittel"), max_length=200)
    starts_at = models.DateTimeField(_("starter"))
    ends_at = models.DateTimeField(_("slutter"))
    place = models.CharField(_("sted"), max_length=200, blank=True)
    online_url = models.URLField(_("lenke til nettmøte"), blank=True)
    capacity = models.PositiveIntegerField(_("antall plasser"), validators=[MinValueValidator(1)])
    signup_deadline = models.DateTimeField(_("påmeldingsfrist"))
    cancel_deadline = models.DateTimeField(_("frist for avmelding"))
    price = models.DecimalField(
        _("pris (kr)"), max_digits=9, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    payer = models.CharField(_("hvem betaler"), max_length=10, choices=Payer.choices)
    co_offices = models.ManyToManyField(
        "offices.Office", blank=True, related_name="+", verbose_name=_("medarrangører")
    )
    is_national = models.BooleanField(
        _("felles nasjonalt arrangement"), default=False, help_text=_("Synlig for alle kontorene.")
    )
    is_public = models.BooleanField(
        _("åpent for alle"),
        default=False,
        help_text=_("Vises på kontorets offentlige side, med påmelding uten innlogging."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Bumped by every change the participants are told about, so their calendars update.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("arrangement")
        verbose_name_plural = _("arrangementer")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="event_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class SignupStatus(models.TextChoices):
    UNVERIFIED = "ubekreftet", _("Venter på bekreftelse av e-post")
    CONFIRMED = "pameldt", _("Påmeldt")
    OFFERED = "tilbudt", _("Tilbudt plass")
    WAITING = "venteliste", _("På venteliste")
    CANCELLED = "avmeldt", _("Avmeldt")
    EXPIRED = "utlopt", _("Tilbudet gikk ut")


# Statuses that hold one of the event's places.
HOLDS_PLACE = (SignupStatus.CONFIRMED, SignupStatus.OFFERED)
# Statuses of a sign-up that is still alive (one per person and event).
ACTIVE = (
    SignupStatus.UNVERIFIED,
    SignupStatus.CONFIRMED,
    SignupStatus.OFFERED,
    SignupStatus.WAITING,
)


class Signup(OfficeOwned):
    # A sign-up is the participant's personal data: it follows the doctor to a new office.
    trainee_path = "trainee"

    office = models.ForeignKey(
        "offices.Office",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The participant's office (whose personal data this is).",
    )
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="signups")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    trainee = models.ForeignKey(
        "trainees.Trainee", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("navn"), max_length=200)
    email = models.EmailField(_("e-post"))
    status = models.CharField(max_length=12, choices=SignupStatus.choices)
    offered_until = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(_("møtte"), null=True, blank=True)
    signed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # What attendance wrote elsewhere, so recording it again never writes twice.
    course_record = models.ForeignKey(
        "trainees.CourseRecord", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    learning_activity = models.ForeignKey(
        "goals.LearningActivity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    qualified_supervisor = models.ForeignKey(
        "trainees.Supervisor", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("påmelding")
        verbose_name_plural = _("påmeldinger")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=Q(status__in=[s.value for s in ACTIVE]),
                name="signup_once_per_person",
                violation_error_message=_("Denne e-postadressen er allerede påmeldt."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.event}"


class EvaluationAnswer(OfficeOwned):
    """One participant's evaluation: an answer 1–5 per question of the activity's form."""

    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="+")
    signup = models.OneToOneField(Signup, on_delete=models.CASCADE, related_name="evaluation")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="evaluations")
    scores = models.JSONField(default=list)
    overall = models.PositiveSmallIntegerField(
        _("samlet vurdering"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("kommentar"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evaluering")
        verbose_name_plural = _("evalueringer")

    def __str__(self) -> str:
        return f"{self.event}: {self.overall}"


class CalendarFeed(models.Model):
    """A personal calendar feed: the secret token in the URL is the only key. Belongs to the
    user (across offices), not to an office."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_calendar"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kalenderabonnement")
        verbose_name_plural = _("kalenderabonnementer")

    def __str__(self) -> str:
        return str(self.user)
