"""Signed documents the municipality issues for a doctor, issued once, never edited: confirmations
of achieved learning goals (bekreftelser) and service certificates per employment
(tjenesteattester). Both go through the same making, signing, verification, supersede and revoke.

A correction issues a new confirmation that supersedes the old one; a confirmation can be revoked
with a reason. Every step is an event row (who, what, when).
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from offices.owned import OfficeOwned

# 31 symbols without look-alikes (0/O, 1/I/L); 16 of them ≈ 79 bits: guessing is hopeless.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 16


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(raw: str) -> str:
    return "".join(ch for ch in raw.upper() if ch in CODE_ALPHABET)


class Status(models.TextChoices):
    PENDING = "venter", _("Lages")
    ISSUED = "utstedt", _("Gyldig")
    SUPERSEDED = "erstattet", _("Erstattet av en nyere bekreftelse")
    REVOKED = "tilbakekalt", _("Tilbakekalt")
    FAILED = "feilet", _("Feilet")


class Kind(models.TextChoices):
    GOALS = "laeringsmal", _("Bekreftelse på oppnådde læringsmål")
    SERVICE = "tjenesteattest", _("Tjenesteattest")


# Set once when the document is made; never changed afterwards.
CONTENT_FIELDS = (
    "kind",
    "trainee_id",
    "municipality_id",
    "serial",
    "code",
    "goals",
    "facts",
    "pdf",
    "sha256",
    "issued_at",
    "signer_name",
)


class Confirmation(OfficeOwned):
    trainee_path = "trainee"
    municipality_path = "municipality"
    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.PROTECT, related_name="+"
    )
    trainee = models.ForeignKey(
        "trainees.Trainee", on_delete=models.PROTECT, related_name="confirmations"
    )
    kind = models.CharField(_("dokument"), max_length=16, choices=Kind.choices, default=Kind.GOALS)
    # A service certificate is about one employment (a service period); the facts printed on it
    # are a copy, so the certificate stays as issued if the period is later changed or removed.
    service_period = models.ForeignKey(
        "trainees.ServicePeriod",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="certificates",
    )
    serial = models.CharField(_("løpenummer"), max_length=40, unique=True)
    code = models.CharField(
        _("kontrollkode"), max_length=CODE_LENGTH, unique=True, default=new_code
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    goals = models.JSONField(default=list)
    facts = models.JSONField(default=dict)
    signer_name = models.CharField(_("signert av"), max_length=200)
    pdf = models.FileField(upload_to="bekreftelser/%Y/", blank=True)
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.TextField(blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("bekreftelse")
        verbose_name_plural = _("bekreftelser")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return self.serial

    def save(self, *args, **kwargs):
        if not self._state.adding:
            # _base_manager is unscoped: this guard must hold wherever the save comes from.
            stored = type(self)._base_manager.filter(pk=self.pk).values("status", *CONTENT_FIELDS)
            stored = stored.first()
            if stored and stored["status"] != Status.PENDING:
                mine = {f: getattr(self, f) for f in CONTENT_FIELDS}
                mine["pdf"] = self.pdf.name or ""
                if any(
                    mine[f] != (stored[f] or ("" if f == "pdf" else stored[f]))
                    for f in CONTENT_FIELDS
                ):
                    raise ValidationError(
                        _("En utstedt bekreftelse kan ikke endres. Utsted en ny som erstatter den.")
                    )
        super().save(*args, **kwargs)

    @property
    def is_service_certificate(self) -> bool:
        return self.kind == Kind.SERVICE

    @property
    def display_code(self) -> str:
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))


class Event(OfficeOwned):
    """Who issued, superseded or revoked what, and when."""

    class Kind(models.TextChoices):
        REQUESTED = "bestilt", _("Bestilt")
        ISSUED = "utstedt", _("Utstedt")
        SUPERSEDED = "erstattet", _("Erstattet")
        REVOKED = "tilbakekalt", _("Tilbakekalt")
        FAILED = "feilet", _("Feilet")
        DOWNLOADED = "lastet_ned", _("Lastet ned")

    trainee_path = "confirmation__trainee"
    municipality_path = "confirmation__municipality"
    confirmation = models.ForeignKey(Confirmation, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.confirmation}: {self.get_kind_display()}"
