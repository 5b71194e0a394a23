"""National cooperation between the offices: joint meetings, national tasks, shared routines.

These rows belong to the offices together, not to one office, so they are not `OfficeOwned`
(no scope): every office's coordinators read them (`national.view`), the office that holds the
coordinating role on the day writes what the mandate gives it (`national.coordinate`, checked
against `offices.CoordinatingPeriod` on every request), and each row names the offices it
concerns (an action item's owner office, a task's responsible office, a routine's owner office).
Nothing is re-homed when the coordinating role passes on: the rows stay, the next office writes.

The one office-owned row here is the advertisement of a position (the office's own position).
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from offices import clock
from offices.owned import OfficeOwned


class MeetingKind(models.TextChoices):
    JOINT = "felles", _("Fellesmøte mellom kontorene")
    EXTERNAL = "ekstern", _("Møte med ekstern part")


class Counterpart(models.TextChoices):
    HDIR = "helsedirektoratet", _("Helsedirektoratet")
    MEDICAL_ASSOCIATION = "legeforeningen", _("Legeforeningen")
    REGIONAL_CENTRE = "regionalt_senter", _("Regionalt utdanningssenter (RegUt)")
    OTHER = "annen", _("Annen")


class Meeting(models.Model):
    kind = models.CharField(
        _("type møte"), max_length=10, choices=MeetingKind.choices, default=MeetingKind.JOINT
    )
    counterpart = models.CharField(
        _("ekstern part"), max_length=20, choices=Counterpart.choices, blank=True
    )
    counterpart_name = models.CharField(
        _("navn på ekstern part"),
        max_length=150,
        blank=True,
        help_text=_("For eksempel hvilket regionalt senter, eller navnet på en annen part."),
    )
    title = models.CharField(_("tittel"), max_length=200)
    starts_at = models.DateTimeField(_("tidspunkt"))
    place = models.CharField(_("sted eller lenke"), max_length=200, blank=True)
    agenda = models.TextField(
        _("saksliste"), blank=True, help_text=_("Markdown: # overskrift, - punkt, **fet**.")
    )
    minutes = models.TextField(
        _("referat"), blank=True, help_text=_("Markdown: # overskrift, - punkt, **fet**.")
    )
    chair = models.CharField(_("møteleder"), max_length=150, blank=True)
    secretary_office = models.ForeignKey(
        "offices.Office",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("sekretariat"),
        help_text=_("Det koordinerende kontoret da møtet ble opprettet."),
    )
    notice_sent_at = models.DateTimeField(_("innkalling sendt"), null=True, blank=True)
    minutes_written_at = models.DateTimeField(_("referat skrevet"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nasjonalt møte")
        verbose_name_plural = _("nasjonale møter")
        ordering = ["-starts_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def counterpart_label(self) -> str:
        if self.counterpart == Counterpart.OTHER or not self.counterpart:
            return self.counterpart_name
        label = str(self.get_counterpart_display())
        return f"{label} ({self.counterpart_name})" if self.counterpart_name else label


class Attendance(models.Model):
    """Who came to a meeting: one row per office (and named people, as written)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    office = models.ForeignKey(
        "offices.Office", on_delete=models.PROTECT, related_name="+", verbose_name=_("kontor")
    )
    present = models.BooleanField(_("møtte"), default=False)
    names = models.CharField(_("hvem møtte"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("oppmøte")
        verbose_name_plural = _("oppmøte")
        ordering = ["office__name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "office"], name="one_attendance_per_office")
        ]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.office}"


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("vedtak"))
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("vedtak")
        verbose_name_plural = _("vedtak")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text[:60]


class ActionItem(models.Model):
    """Something a meeting asked one office to do by a date: shown on that office's home page."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items")
    text = models.CharField(_("oppfølgingspunkt"), max_length=300)
    owner_office = models.ForeignKey(
        "offices.Office",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ansvarlig kontor"),
    )
    due = models.DateField(_("frist"))
    done_at = models.DateTimeField(_("utført"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("oppfølgingspunkt")
        verbose_name_plural = _("oppfølgingspunkter")
        ordering = ["due", "pk"]

    def __str__(self) -> str:
        return self.text


class TaskStatus(models.TextChoices):
    NEW = "ny", _("Ikke startet")
    IN_PROGRESS = "pagar", _("Pågår")
    DONE = "ferdig", _("Ferdig")


class NationalTask(models.Model):
    """A task the coordinating office gives one office on behalf of all five."""

    title = models.CharField(_("oppgave"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True)
    responsible_office = models.ForeignKey(
        "offices.Office",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ansvarlig kontor"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.NEW
    )
    deadline = models.DateField(_("frist"))
    status_note = models.CharField(_("merknad til status"), max_length=300, blank=True)
    assigned_by_office = models.ForeignKey(
        "offices.Office", on_delete=models.PROTECT, related_name="+", verbose_name=_("tildelt av")
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nasjonal oppgave")
        verbose_name_plural = _("nasjonale oppgaver")
        ordering = ["deadline", "pk"]

    def __str__(self) -> str:
        return self.title


class Routine(models.Model):
    """A shared routine or procedure. Its text lives in versions; the approved ones are kept."""

    title = models.CharField(_("tittel"), max_length=200)
    owner_office = models.ForeignKey(
        "offices.Office",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("eierkontor"),
        help_text=_("Kontoret som holder rutinen oppdatert."),
    )
    review_due = models.DateField(_("skal gjennomgås innen"))
    is_public = models.BooleanField(
        _("offentlig"),
        default=False,
        help_text=_("Vises på de åpne nettsidene når den er godkjent."),
    )
    # The title and the text of the current version, kept for search (see services).
    search_text = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(default=clock.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("felles rutine")
        verbose_name_plural = _("felles rutiner")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


def routine_upload_to(instance, filename: str) -> str:
    return f"nasjonalt/rutiner/{instance.routine_id}/v{instance.number}.pdf"


class RoutineVersion(models.Model):
    routine = models.ForeignKey(Routine, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("versjon"), validators=[MinValueValidator(1)])
    body = models.TextField(
        _("tekst"), blank=True, help_text=_("Markdown: # overskrift, - punkt, **fet**.")
    )
    attachment = models.FileField(_("PDF-vedlegg"), upload_to=routine_upload_to, blank=True)
    change_note = models.CharField(_("hva er endret"), max_length=300, blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    written_by_office = models.ForeignKey(
        "offices.Office", on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(default=clock.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("godkjent av"),
    )
    approved_by_office = models.ForeignKey(
        "offices.Office", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("godkjent"), null=True, blank=True)

    class Meta:
        verbose_name = _("versjon av rutine")
        verbose_name_plural = _("versjoner av rutiner")
        ordering = ["routine", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["routine", "number"], name="routine_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.routine} v{self.number}"

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None


class Advertisement(OfficeOwned):
    """The public advertisement of an office's position (shown while the position is
    advertised): the link to the advertisement and the application deadline."""

    municipality_path = "position__municipality"
    position = models.OneToOneField(
        "positions.Position", on_delete=models.CASCADE, related_name="advertisement"
    )
    url = models.URLField(_("lenke til utlysningen"), max_length=400)
    deadline = models.DateField(_("søknadsfrist"))
    description = models.TextField(
        _("kort om stillingen"),
        blank=True,
        max_length=2000,
        help_text=_("Vises på den åpne stillingssiden. Ingen personopplysninger."),
    )
    published_at = models.DateTimeField(default=clock.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("utlysning")
        verbose_name_plural = _("utlysninger")

    def __str__(self) -> str:
        return self.url
