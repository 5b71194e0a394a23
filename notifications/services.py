"""Deciding to remind someone, and delivering it exactly once."""

import logging
import smtplib
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage, send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_scopes import scope

from events.notices import attachment_for
from offices import clock

from .models import Delivery, Outbox, Preference

log = logging.getLogger(__name__)

QUIET_MONTHS = {7}  # no e-mails in July unless urgent


@dataclass(frozen=True)
class Reminder:
    recipient: str
    kind: str
    subject_key: str
    period: str
    subject: str
    body: str
    link: str = ""
    user_id: int | None = None
    urgent: bool = False


def week_period(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _wants_digest(user_id: int | None) -> bool:
    if user_id is None:
        return False
    return Preference.objects.filter(user_id=user_id, weekly_digest=True).exists()


def reminder_queue(*, office, reminder: Reminder, today: date | None = None) -> Outbox | None:
    """Write the outbox row for a reminder, unless it was already decided in this period.
    Returns the new row (its e-mail is queued after commit), or None for a duplicate."""
    from .tasks import deliver

    today = today or clock.today()
    if reminder.urgent or today.month not in QUIET_MONTHS:
        status = (
            Delivery.DIGEST
            if (_wants_digest(reminder.user_id) and not reminder.urgent)
            else Delivery.PENDING
        )
    else:
        status = Delivery.HELD
    try:
        with transaction.atomic(), scope(office=office):
            row = Outbox.objects.create(
                office=office,
                recipient=reminder.recipient,
                user_id=reminder.user_id,
                kind=reminder.kind,
                subject_key=reminder.subject_key,
                period=reminder.period,
                subject=reminder.subject,
                body=reminder.body,
                link=reminder.link,
                urgent=reminder.urgent,
                status=status,
            )
    except IntegrityError:
        return None  # this reminder went out (or was decided) already in this period
    if status == Delivery.PENDING:
        deliver.delay_on_commit(office.pk, row.pk)
    return row


# SMTP answers that will not get better by trying again.
PERMANENT_ERRORS = (
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPSenderRefused,
    smtplib.SMTPNotSupportedError,
    smtplib.SMTPAuthenticationError,
)


class TemporaryMailError(Exception):
    pass


def outbox_deliver(*, office, outbox_id: int) -> str:
    """Send one outbox e-mail. Raises TemporaryMailError for errors worth retrying (after
    recording the attempt); records permanent errors and returns. A row that is not pending is
    left alone, and the row lock keeps two workers from sending the same e-mail."""
    temporary = None
    with transaction.atomic(), scope(office=office):
        row = (
            Outbox.objects.select_for_update(skip_locked=True)
            .filter(pk=outbox_id, office=office, status=Delivery.PENDING)
            .first()
        )
        if row is None:
            return "skipped"
        row.attempts += 1
        try:
            _send(row)
        except PERMANENT_ERRORS as error:
            row.status, row.last_error = Delivery.FAILED, repr(error)[:1000]
            log.warning("Permanent e-postfeil for %s: %s", row.recipient, error)
        except (smtplib.SMTPException, OSError) as error:
            row.last_error, temporary = repr(error)[:1000], error
        else:
            row.status, row.sent_at = Delivery.SENT, timezone.now()
        row.save(update_fields=["status", "sent_at", "last_error", "attempts"])
    if temporary is not None:
        raise TemporaryMailError(str(temporary)) from temporary
    return row.status


def _send(row: Outbox) -> None:
    # E-mails about an event carry it as an .ics attachment (events.notices decides which).
    attachment = attachment_for(subject_key=row.subject_key, kind=row.kind)
    if attachment is None:
        send_mail(row.subject, _with_link(row), settings.DEFAULT_FROM_EMAIL, [row.recipient])
        return
    message = EmailMessage(
        row.subject, _with_link(row), settings.DEFAULT_FROM_EMAIL, [row.recipient]
    )
    message.attach(*attachment)
    message.send()


def _with_link(row: Outbox) -> str:
    if not row.link:
        return row.body
    return f"{row.body}\n\n{settings.SITE_URL.rstrip('/')}{row.link}\n"


def preference_set(*, user, weekly_digest: bool) -> Preference:
    preference, _created = Preference.objects.update_or_create(
        user=user, defaults={"weekly_digest": weekly_digest}
    )
    return preference
