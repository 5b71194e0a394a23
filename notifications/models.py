"""Reminders are sent once: every e-mail is first an outbox row keyed by
(recipient, kind, subject, period), written in the same transaction that decides to send it.
A second sweep, or a second worker running the same sweep, hits the unique key and sends nothing.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from offices.owned import OfficeOwned


class Delivery(models.TextChoices):
    PENDING = "venter", _("Venter")
    DIGEST = "samlet", _("Venter på ukentlig samle-e-post")
    SENT = "sendt", _("Sendt")
    HELD = "holdt", _("Holdt tilbake (stille periode)")
    FAILED = "feilet", _("Feilet")


class Outbox(OfficeOwned):
    recipient = models.EmailField(_("mottaker"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("type"), max_length=40)
    subject_key = models.CharField(max_length=80, help_text="The item, e.g. registration:12")
    period = models.CharField(max_length=20, help_text="e.g. 2026-W48: once per period")
    subject = models.CharField(_("emne"), max_length=200)
    body = models.TextField()
    link = models.CharField(max_length=300, blank=True)
    urgent = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    digest = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="items"
    )

    class Meta:
        verbose_name = _("utsendt varsel")
        verbose_name_plural = _("utsendte varsler")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "subject_key", "period"], name="outbox_once_per_period"
            ),
        ]
        indexes = [models.Index(fields=["office", "status"])]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.subject}"


class Preference(models.Model):
    """How a user wants reminders: one by one, or collected in a weekly digest."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    weekly_digest = models.BooleanField(
        _("Samle påminnelsene i én e-post i uken"),
        default=False,
        help_text=_("Hastesaker sendes likevel med en gang."),
    )

    class Meta:
        verbose_name = _("varslingsvalg")
        verbose_name_plural = _("varslingsvalg")

    def __str__(self) -> str:
        return f"{self.user}: {'ukentlig' if self.weekly_digest else 'enkeltvis'}"
