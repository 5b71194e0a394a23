"""The logs a data protection officer asks for (Normen): security events and read access.

`SecurityEvent` is about accounts, not about one office's data, so it is not office-scoped
(an event such as a failed login has no office); it is read in the admin. `ReadAccess` records
who opened a doctor's personal data and belongs to the doctor's office (scoped). Both are
deleted after a configurable period by `audit.tasks.purge_old_logs` (beat, every night).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from offices.owned import OfficeOwned
from offices.permissions import Role


class SecurityEvent(models.Model):
    class Kind(models.TextChoices):
        LOGIN = "innlogging", _("Innlogging")
        LOGIN_FAILED = "innlogging_feilet", _("Mislykket innlogging")
        LOCKOUT = "sperret", _("Sperret etter for mange forsøk")
        LOGOUT = "utlogging", _("Utlogging")
        PASSWORD_CHANGED = "passord_endret", _("Passord endret")
        MFA_ADDED = "tofaktor_lagt_til", _("Tofaktor lagt til")
        MFA_REMOVED = "tofaktor_fjernet", _("Tofaktor fjernet")
        ROLE_GRANTED = "rolle_gitt", _("Rolle gitt")
        ROLE_REVOKED = "rolle_fjernet", _("Rolle fjernet")
        INVITATION_ACCEPTED = "invitasjon_godtatt", _("Invitasjon godtatt")
        EXPORT = "eksport", _("Eksport av personopplysninger")
        TRANSFER_REQUESTED = "overforing_bedt", _("Overføring til annet kontor bedt om")
        TRANSFER_ACCEPTED = "overforing_godtatt", _("Overføring godtatt")
        TRANSFER_DECLINED = "overforing_avslatt", _("Overføring avslått")
        TRANSFER_WITHDRAWN = "overforing_trukket", _("Overføring trukket tilbake")

    at = models.DateTimeField(_("tidspunkt"), default=timezone.now, db_index=True)
    kind = models.CharField(_("hendelse"), max_length=30, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bruker"),
    )
    # What the user typed (failed logins) or the account's address when the event happened.
    email = models.CharField(_("e-post"), max_length=254, blank=True)
    ip = models.GenericIPAddressField(_("IP-adresse"), null=True, blank=True)
    office = models.ForeignKey(
        "offices.Office", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    detail = models.CharField(_("detaljer"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("sikkerhetshendelse")
        verbose_name_plural = _("sikkerhetshendelser")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.email}"


class ReadAccess(OfficeOwned):
    """Someone opened a doctor's record, plan, supervision log or confirmation.

    The office is the one whose users read (it answers for the log), so a row stays there when
    the doctor moves: no `trainee_path` (the doctor is kept by id and name, not by a key)."""

    at = models.DateTimeField(_("tidspunkt"), default=timezone.now, db_index=True)
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("lest av"),
    )
    reader_email = models.CharField(_("e-post"), max_length=254)
    reader_roles = models.CharField(_("roller"), max_length=200, blank=True)
    # The doctor: the record's id and name as they were, and their account (for their own page).
    trainee_id = models.BigIntegerField(_("lege-id"), db_index=True)
    trainee_name = models.CharField(_("lege"), max_length=250)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    what = models.CharField(_("hva"), max_length=100)
    path = models.CharField(_("adresse"), max_length=500)
    ip = models.GenericIPAddressField(_("IP-adresse"), null=True, blank=True)

    class Meta:
        verbose_name = _("innsyn i personopplysninger")
        verbose_name_plural = _("innsyn i personopplysninger")
        ordering = ["-at"]

    @property
    def reader_name(self) -> str:
        """The reader's name (their address when the account is gone or has no name)."""
        return str(self.reader) if self.reader_id and self.reader else self.reader_email

    @property
    def reader_roles_text(self) -> str:
        """The roles as the interface names them ("Kommunal leder"), not their codes."""
        codes = [c.strip() for c in self.reader_roles.split(",") if c.strip()]
        return ", ".join(str(Role(c).label) if c in Role.values else c for c in codes)

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.reader_email} – {self.what} ({self.trainee_name})"
