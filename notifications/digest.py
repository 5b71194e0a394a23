"""The weekly digest: one e-mail per person instead of many single reminders."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_scopes import scope

from accounts.language import speaking_id

from .models import Delivery, Outbox
from .services import Reminder, reminder_queue, week_period


def send_digests(*, office, today: date) -> int:
    """Collect each recipient's waiting reminders of this office into one e-mail (sent once a
    week: the digest itself is an outbox row keyed by the week). Returns digests queued."""
    with scope(office=office):
        waiting = list(
            Outbox.objects.filter(office=office, status=Delivery.DIGEST).order_by(
                "recipient", "created_at"
            )
        )
    by_recipient: dict[str, list[Outbox]] = {}
    for row in waiting:
        by_recipient.setdefault(row.recipient, []).append(row)
    queued = 0
    for recipient, rows in by_recipient.items():
        lines = [f"- {row.subject}" + (f"\n  {row.link}" if row.link else "") for row in rows]
        with speaking_id(rows[0].user_id):
            subject = ngettext(
                "Ukens påminnelse fra %(office)s (%(n)s)",
                "Ukens påminnelser fra %(office)s (%(n)s)",
                len(rows),
            ) % {"office": office.name, "n": len(rows)}
            body = (
                _("Dette venter på deg:")
                + "\n\n"
                + "\n".join(lines)
                + "\n\n"
                + _("Du kan velge enkeltvise e-poster under Varslingsvalg.")
            )
        with transaction.atomic():
            digest = reminder_queue(
                office=office,
                today=today,
                reminder=Reminder(
                    recipient=recipient,
                    user_id=rows[0].user_id,
                    kind="ukesoppsummering",
                    subject_key="digest",
                    period=week_period(today),
                    subject=subject,
                    body=body,
                    urgent=True,  # already held for the week; the digest itself is not held again
                ),
            )
            if digest is None:
                continue
            with scope(office=office):
                Outbox.objects.filter(pk__in=[r.pk for r in rows]).update(
                    status=Delivery.SENT, digest=digest
                )
        queued += 1
    return queued
