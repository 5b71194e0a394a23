"""Goal progress and sign-off: per doctor and learning goal, the evidence and the decision.

The goals themselves (catalogue, LearningGoal) are plans' reference data: plans measure against
them, so they sit in the layer below.

Workflow (domain.md): the doctor records learning activities → a veileder/supervisør signs them →
the doctor submits the goal → the veileder and at least one supervisør advise → the municipal
leader approves or returns it with a reason. All rows are office-owned (the doctor's office) and
every step is kept in the history.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from offices.owned import OfficeOwned

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


def validate_attachment_size(file) -> None:
    if file and file.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(_("Vedlegget kan være på høyst 10 MB."))


class GoalStatus(models.TextChoices):
    NOT_STARTED = "ikke_startet", _("Ikke startet")
    IN_PROGRESS = "pagar", _("Pågår")
    SUBMITTED = "levert", _("Levert til godkjenning")
    APPROVED = "godkjent", _("Godkjent")
    RETURNED = "returnert", _("Returnert")


class GoalProgress(OfficeOwned):
    """One doctor's progress on one learning goal. Missing row = not started."""

    trainee_path = "trainee"
    trainee = models.ForeignKey(
        "trainees.Trainee", on_delete=models.CASCADE, related_name="goal_progress"
    )
    goal = models.ForeignKey(
        "plans.LearningGoal", on_delete=models.PROTECT, related_name="+", verbose_name=_("mål")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=GoalStatus.choices, default=GoalStatus.NOT_STARTED
    )
    # Advice belongs to one submission: a returned and resubmitted goal needs fresh advice.
    submission = models.PositiveSmallIntegerField(_("innlevering nr."), default=0)
    submitted_at = models.DateTimeField(_("levert"), null=True, blank=True)
    decided_at = models.DateTimeField(_("avgjort"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("avgjort av"),
    )
    decided_by_name = models.CharField(_("godkjent av"), max_length=200, blank=True)
    return_reason = models.TextField(_("begrunnelse for retur"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("måloppnåelse")
        verbose_name_plural = _("måloppnåelse")
        ordering = ["goal__code"]
        indexes = [
            # The progress overview orders every doctor of the office by approved goals: one
            # index-only scan of the approved rows, not a join over every goal row.
            models.Index(
                fields=["office", "trainee"],
                condition=models.Q(status="godkjent"),
                name="progress_approved_per_doctor",
            ),
            # The approval and sign-off queues: submitted goals, oldest first, a page at a
            # time (the doctor id included, so their total is counted from the index alone).
            models.Index(
                fields=["office", "submitted_at", "id"],
                include=["trainee"],
                condition=models.Q(status="levert"),
                name="progress_submitted_queue",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["trainee", "goal"], name="progress_per_trainee_goal"),
            models.CheckConstraint(
                condition=~models.Q(status="returnert") | ~models.Q(return_reason=""),
                name="progress_return_has_reason",
                violation_error_message=_("Skriv hvorfor målet returneres."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.trainee}: {self.goal.code} ({self.get_status_display()})"

    def clean(self) -> None:
        if self.status == GoalStatus.RETURNED and not self.return_reason.strip():
            raise ValidationError({"return_reason": _("Skriv hvorfor målet returneres.")})


class ActivityKind(models.TextChoices):
    CLINICAL = "klinisk", _("Klinisk arbeid")
    COURSE = "kurs", _("Kurs")
    SUPERVISION = "veiledning", _("Veiledning")
    PLACEMENT = "hospitering", _("Hospitering")
    REFLECTION = "refleksjon", _("Refleksjonsnotat")
    OTHER = "annet", _("Annet")


class LearningActivity(OfficeOwned):
    trainee_path = "trainee"
    trainee = models.ForeignKey(
        "trainees.Trainee", on_delete=models.CASCADE, related_name="learning_activities"
    )
    goals = models.ManyToManyField(
        "plans.LearningGoal", related_name="+", verbose_name=_("læringsmål")
    )
    kind = models.CharField(_("type"), max_length=12, choices=ActivityKind.choices)
    date = models.DateField(_("dato"))
    description = models.TextField(_("beskrivelse"))
    attachment = models.FileField(
        _("vedlegg"),
        upload_to="aktiviteter/%Y/",
        blank=True,
        validators=[
            FileExtensionValidator(["pdf", "png", "jpg", "jpeg"]),
            validate_attachment_size,
        ],
        help_text=_("PDF eller bilde (PNG, JPG), høyst 10 MB."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[goals])

    class Meta:
        verbose_name = _("læringsaktivitet")
        verbose_name_plural = _("læringsaktiviteter")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date}"


class ActivitySignoff(OfficeOwned):
    trainee_path = "activity__trainee"
    activity = models.ForeignKey(
        LearningActivity, on_delete=models.CASCADE, related_name="signoffs"
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_by_name = models.CharField(_("signert av"), max_length=200)
    signed_at = models.DateTimeField(_("signert"), auto_now_add=True)
    comment = models.TextField(_("kommentar"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("signering")
        verbose_name_plural = _("signeringer")
        ordering = ["signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "signed_by"], name="one_signoff_per_supervisor"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity}: {self.signed_by_name}"


class AdviceRole(models.TextChoices):
    VEILEDER = "veileder", _("Veileder")
    SUPERVISOR = "supervisor", _("Supervisør")


class GoalAdvice(OfficeOwned):
    """The veileder's or a supervisør's advice on one submission of a goal."""

    trainee_path = "progress__trainee"
    progress = models.ForeignKey(GoalProgress, on_delete=models.CASCADE, related_name="advice")
    submission = models.PositiveSmallIntegerField()
    role = models.CharField(_("rolle"), max_length=12, choices=AdviceRole.choices)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    given_by_name = models.CharField(_("gitt av"), max_length=200)
    given_at = models.DateTimeField(_("gitt"), auto_now_add=True)
    text = models.TextField(_("råd"))
    recommend = models.BooleanField(_("anbefaler godkjenning"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("råd om godkjenning")
        verbose_name_plural = _("råd om godkjenning")
        ordering = ["given_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["progress", "submission", "given_by", "role"],
                name="one_advice_per_submission_and_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.progress}: {self.get_role_display()} {self.given_by_name}"


class DigestLink(OfficeOwned):
    """A single-use link from a supervisor digest to one waiting item. Only the hash is stored."""

    class Kind(models.TextChoices):
        SIGN = "signer", _("Aktivitet til signering")
        ADVISE = "rad", _("Mål som venter på råd")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    activity = models.ForeignKey(
        LearningActivity, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    progress = models.ForeignKey(
        GoalProgress, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.user})"
