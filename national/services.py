"""Writes of the national workspace. Every service takes the acting member's `office` (the one
whose pages they are on) and checks in one place whether that office may do it on `today`:
the coordinating office calls meetings, writes minutes, assigns tasks and approves routines;
an office follows up what is given to it (its action items, its tasks, the routines it owns).
"""

from datetime import date, datetime, timedelta
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from accounts.language import speaking
from accounts.models import Membership
from notifications.services import Reminder, reminder_queue
from offices import clock
from offices.dates import short_date, short_datetime
from offices.models import Office
from offices.owned import ensure_same_office
from offices.permissions import COORDINATOR_ROLES

from .models import (
    ActionItem,
    Advertisement,
    Attendance,
    Decision,
    Meeting,
    MeetingKind,
    NationalTask,
    Routine,
    RoutineVersion,
)
from .rendering import MAX_CHARS

# A reminder goes to the owner office this many days before a routine's review date.
REVIEW_REMINDER_DAYS = 30


def reminder_window() -> timedelta:
    return timedelta(days=REVIEW_REMINDER_DAYS)


def ensure_coordinating(office: Office, today: date | None = None) -> None:
    """Only the office that holds the coordinating role today may do this."""
    if not office.is_coordinating(today or clock.today()):
        raise ValidationError(
            _(
                "Bare det koordinerende kontoret kan gjøre dette "
                "(%(office)s er ikke koordinerende nå)."
            )
            % {"office": office.name}
        )


def _ensure_own_or_coordinating(office: Office, owner_id: int, today: date | None = None) -> None:
    if office.pk != owner_id and not office.is_coordinating(today or clock.today()):
        raise ValidationError(
            _("Bare det ansvarlige kontoret eller det koordinerende kontoret kan endre dette.")
        )


def _check_length(**texts: str) -> None:
    for field, text in texts.items():
        if text and len(text) > MAX_CHARS:
            raise ValidationError(
                {field: _("Teksten er for lang (høyst %(n)s tegn).") % {"n": f"{MAX_CHARS:,}"}}
            )


# --- Meetings --------------------------------------------------------------------------------


@transaction.atomic
def meeting_create(
    *,
    office: Office,
    acting_user,
    title: str,
    starts_at: datetime,
    kind: str = MeetingKind.JOINT,
    counterpart: str = "",
    counterpart_name: str = "",
    place: str = "",
    agenda: str = "",
    chair: str = "",
) -> Meeting:
    ensure_coordinating(office)
    if kind == MeetingKind.EXTERNAL and not (counterpart or counterpart_name):
        raise ValidationError({"counterpart": _("Velg hvem møtet er med.")})
    _check_length(agenda=agenda)
    meeting = Meeting(
        kind=kind,
        counterpart=counterpart if kind == MeetingKind.EXTERNAL else "",
        counterpart_name=counterpart_name if kind == MeetingKind.EXTERNAL else "",
        title=title,
        starts_at=starts_at,
        place=place,
        agenda=agenda,
        chair=chair,
        secretary_office=office,
        created_by=acting_user,
    )
    meeting.full_clean()
    meeting.save()
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, office=o) for o in Office.objects.order_by("name")
    )
    return meeting


def _coordinator_members(offices=None):
    members = Membership.objects.filter(
        is_active=True, role__in=COORDINATOR_ROLES, user__is_active=True
    ).select_related("user", "office")
    if offices is not None:
        members = members.filter(office__in=offices)
    return members.order_by("office__name", "user__email")


def _remind_coordinators(
    offices, *, url_name: str, pk: int, write, today: date | None = None, urgent=False, **message
) -> int:
    """Queue one e-mail to each active coordinator of `offices` (None: every office), in the
    recipient's own office's outbox, with a link to the row's page in that office. `write()`
    returns (subject, body) and is called in each recipient's language; `message` holds
    Reminder's kind, subject_key and period. Returns how many were new."""
    queued = 0
    for member in _coordinator_members(offices):
        with speaking(member.user):
            message["subject"], message["body"] = write()
        row = reminder_queue(
            office=member.office,
            today=today,
            reminder=Reminder(
                recipient=member.user.email,
                user_id=member.user_id,
                link=reverse(url_name, args=[member.office.slug, pk]),
                urgent=urgent,
                **message,
            ),
        )
        queued += row is not None
    return queued


@transaction.atomic
def meeting_send_notice(*, office: Office, acting_user, meeting: Meeting) -> int:
    """The notice with the agenda to every office's coordinators, through the outbox (once per
    person and meeting time: a second click, or a notice after a moved time, is sent once).
    Returns how many notices were queued."""
    ensure_coordinating(office)
    if meeting.kind == MeetingKind.JOINT and not meeting.agenda.strip():
        raise ValidationError(_("Skriv sakslisten før du sender innkallingen."))
    when = timezone.localtime(meeting.starts_at)

    def write():
        body = "\n".join(
            [
                _("Innkalling til %(title)s") % {"title": meeting.title},
                _("Tid: %(when)s") % {"when": short_datetime(when)},
                _("Sted: %(place)s") % {"place": meeting.place or "–"},
                _("Sekretariat: %(office)s") % {"office": meeting.secretary_office.name},
                "",
                _("Saksliste:"),
                meeting.agenda,
            ]
        )
        subject = _("Innkalling: %(title)s %(day)s") % {
            "title": meeting.title,
            "day": short_date(when),
        }
        return subject, body

    queued = _remind_coordinators(
        None,
        url_name="national_meeting",
        pk=meeting.pk,
        urgent=True,
        kind="nasjonalt_mote",
        subject_key=f"meeting:{meeting.pk}",
        period=when.strftime("%Y-%m-%dT%H:%M"),
        write=write,
    )
    meeting.notice_sent_at = clock.now()
    meeting.save(update_fields=["notice_sent_at"])
    return queued


@transaction.atomic
def meeting_record_minutes(
    *,
    office: Office,
    acting_user,
    meeting: Meeting,
    minutes: str,
    chair: str,
    attendance: dict[int, tuple[bool, str]],
) -> Meeting:
    """Minutes and attendance (office id → (present, names))."""
    ensure_coordinating(office)
    _check_length(minutes=minutes)
    meeting.minutes, meeting.chair = minutes, chair
    meeting.minutes_written_at = clock.now() if minutes.strip() else None
    meeting._history_user = acting_user
    meeting.full_clean()
    meeting.save()
    for row in meeting.attendances.all():
        present, names = attendance.get(row.office_id, (False, ""))
        row.present, row.names = present, names[:300]
        row.save(update_fields=["present", "names"])
    return meeting


@transaction.atomic
def decision_add(*, office: Office, acting_user, meeting: Meeting, text: str) -> Decision:
    ensure_coordinating(office)
    decision = Decision(meeting=meeting, text=text)
    decision.full_clean()
    decision.save()
    return decision


@transaction.atomic
def action_item_add(
    *, office: Office, acting_user, meeting: Meeting, text: str, owner_office: Office, due: date
) -> ActionItem:
    ensure_coordinating(office)
    item = ActionItem(meeting=meeting, text=text, owner_office=owner_office, due=due)
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def action_item_complete(*, office: Office, acting_user, item: ActionItem) -> ActionItem:
    """The owner office (or the coordinating office) marks an action item done."""
    _ensure_own_or_coordinating(office, item.owner_office_id)
    if item.done_at is not None:
        raise ValidationError(_("Punktet er allerede markert som utført."))
    item.done_at, item.done_by = clock.now(), acting_user
    item._history_user = acting_user
    item.save(update_fields=["done_at", "done_by"])
    return item


# --- Tasks -----------------------------------------------------------------------------------


@transaction.atomic
def task_assign(
    *,
    office: Office,
    acting_user,
    title: str,
    responsible_office: Office,
    deadline: date,
    description: str = "",
) -> NationalTask:
    ensure_coordinating(office)
    task = NationalTask(
        title=title,
        description=description,
        responsible_office=responsible_office,
        deadline=deadline,
        assigned_by_office=office,
        assigned_by=acting_user,
    )
    task.full_clean()
    task.save()
    return task


@transaction.atomic
def task_update(
    *,
    office: Office,
    acting_user,
    task: NationalTask,
    status: str,
    status_note: str = "",
    responsible_office: Office | None = None,
    deadline: date | None = None,
) -> NationalTask:
    """The responsible office reports status; only the coordinating office moves the task to
    another office or changes its deadline."""
    _ensure_own_or_coordinating(office, task.responsible_office_id)
    moves = responsible_office is not None and responsible_office.pk != task.responsible_office_id
    redates = deadline is not None and deadline != task.deadline
    if moves or redates:
        ensure_coordinating(office)
        task.responsible_office = responsible_office or task.responsible_office
        task.deadline = deadline or task.deadline
    task.status, task.status_note = status, status_note
    task._history_user = acting_user
    task.full_clean()
    task.save()
    return task


# --- Routines --------------------------------------------------------------------------------


def _refresh_search_text(routine: Routine) -> None:
    current = routine.versions.filter(approved_at__isnull=False).order_by("-number").first()
    current = current or routine.versions.order_by("-number").first()
    routine.search_text = "\n".join([routine.title, current.body if current else ""])
    routine.save(update_fields=["search_text"])


def _version_add(*, routine, office, acting_user, body, attachment, change_note) -> RoutineVersion:
    if not (body or "").strip() and not attachment:
        raise ValidationError({"body": _("Skriv teksten eller legg ved en PDF.")})
    _check_length(body=body)
    last = routine.versions.order_by("-number").first()
    version = RoutineVersion(
        routine=routine,
        number=(last.number + 1) if last else 1,
        body=body or "",
        change_note=change_note,
        written_by=acting_user,
        written_by_office=office,
    )
    if attachment:
        version.attachment = attachment
    version.full_clean()
    version.save()
    return version


@transaction.atomic
def routine_create(
    *,
    office: Office,
    acting_user,
    title: str,
    owner_office: Office,
    review_due: date,
    is_public: bool = False,
    body: str = "",
    attachment=None,
) -> Routine:
    """A new shared routine with its first (unapproved) version: the coordinating office."""
    ensure_coordinating(office)
    routine = Routine(
        title=title, owner_office=owner_office, review_due=review_due, is_public=is_public
    )
    routine.full_clean()
    routine.save()
    _version_add(
        routine=routine,
        office=office,
        acting_user=acting_user,
        body=body,
        attachment=attachment,
        change_note=_("Første versjon"),
    )
    _refresh_search_text(routine)
    return routine


@transaction.atomic
def routine_version_add(
    *, office: Office, acting_user, routine: Routine, body: str, attachment=None, change_note=""
) -> RoutineVersion:
    """A new draft version: the owner office or the coordinating office."""
    _ensure_own_or_coordinating(office, routine.owner_office_id)
    if routine.versions.filter(approved_at__isnull=True).exists():
        raise ValidationError(
            _("Det finnes allerede et utkast som venter på godkjenning. Godkjenn det først.")
        )
    version = _version_add(
        routine=routine,
        office=office,
        acting_user=acting_user,
        body=body,
        attachment=attachment,
        change_note=change_note,
    )
    return version


@transaction.atomic
def routine_version_approve(
    *, office: Office, acting_user, version: RoutineVersion, review_due: date
) -> RoutineVersion:
    """The coordinating office approves a draft and sets the next review date; the approved
    version becomes the current one (earlier versions stay in the archive). Someone other than
    the version's author approves it (four eyes)."""
    ensure_coordinating(office)
    if version.is_approved:
        raise ValidationError(_("Denne versjonen er allerede godkjent."))
    if version.written_by_id is not None and version.written_by_id == getattr(
        acting_user, "pk", None
    ):
        # Four eyes: the author never approves their own text.
        raise ValidationError(
            _("Du skrev denne versjonen selv. En annen koordinator må godkjenne den.")
        )
    if review_due <= clock.today():
        raise ValidationError({"review_due": _("Neste gjennomgang må være etter i dag.")})
    version.approved_at, version.approved_by, version.approved_by_office = (
        clock.now(),
        acting_user,
        office,
    )
    version.save(update_fields=["approved_at", "approved_by", "approved_by_office"])
    routine = version.routine
    routine.review_due = review_due
    routine._history_user = acting_user
    routine.save(update_fields=["review_due"])
    _refresh_search_text(routine)
    return version


@transaction.atomic
def routine_update(
    *,
    office: Office,
    acting_user,
    routine: Routine,
    title: str,
    owner_office: Office,
    is_public: bool,
) -> Routine:
    ensure_coordinating(office)
    routine.title, routine.owner_office, routine.is_public = title, owner_office, is_public
    routine._history_user = acting_user
    routine.full_clean()
    routine.save()
    _refresh_search_text(routine)
    return routine


def _review_message(routine: Routine) -> tuple[str, str]:
    subject = _("Rutinen «%(title)s» skal gjennomgås innen %(day)s") % {
        "title": routine.title,
        "day": short_date(routine.review_due),
    }
    body = _(
        "Kontoret ditt eier rutinen «%(title)s». Gå gjennom den og lag en ny "
        "versjon, eller be det koordinerende kontoret godkjenne den på nytt."
    ) % {"title": routine.title}
    return subject, body


def review_reminders_send(today: date | None = None) -> int:
    """Remind the owner office's coordinators of routines whose review date is within
    REVIEW_REMINDER_DAYS (or passed). Once per routine and review date (the outbox key)."""
    today = today or clock.today()
    due = Routine.objects.filter(review_due__lte=today + timedelta(days=REVIEW_REMINDER_DAYS))
    queued = 0
    for routine in due.select_related("owner_office"):
        queued += _remind_coordinators(
            [routine.owner_office],
            url_name="national_routine",
            pk=routine.pk,
            today=today,
            kind="rutine_gjennomgang",
            subject_key=f"routine:{routine.pk}",
            period=routine.review_due.isoformat(),
            write=partial(_review_message, routine),
        )
    return queued


# --- Advertisements of positions -------------------------------------------------------------


@transaction.atomic
def advertisement_save(
    *, office: Office, acting_user, position, url: str, deadline: date, description: str = ""
) -> Advertisement:
    ensure_same_office(office, position)
    with scope(office=office):
        advertisement = Advertisement.objects.filter(office=office, position=position).first()
        advertisement = advertisement or Advertisement(office=office, position=position)
        advertisement.url, advertisement.deadline = url, deadline
        advertisement.description = description
        advertisement._history_user = acting_user
        advertisement.full_clean()
        advertisement.save()
    return advertisement
