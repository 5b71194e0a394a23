"""What the notifications app asks of events (it sits above events in the layers and calls
these; events never imports it): the reminders due today, and the .ics attachment of an e-mail.
"""

from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from accounts.language import speaking

from .calendar import event_ics
from .models import Signup, SignupStatus
from .services import event_text, signup_link

# Kinds of e-mail that carry the event as an .ics attachment.
WITH_CALENDAR = {"arr_pameldt", "arr_paaminnelse", "arr_tilbud", "arr_endret"}


def reminder_notices(office, today: date) -> list[dict]:
    """Reminders for the office's participants whose event starts tomorrow or the day after.
    Called by the notifications sweep; the outbox key (sign-up, event day) sends each once."""
    start = timezone.make_aware(datetime.combine(today + timedelta(days=1), datetime.min.time()))
    end = start + timedelta(days=2)
    signups = Signup.objects.filter(
        office=office,
        status=SignupStatus.CONFIRMED,
        event__starts_at__gte=start,
        event__starts_at__lt=end,
    ).select_related("event", "office", "user")
    notices = []
    for signup in signups:
        event = signup.event
        with speaking(signup.user if signup.user_id else None, email=signup.email):
            subject = _("Påminnelse: %(title)s") % {"title": event.title}
            body = _("Velkommen til %(event)s") % {"event": event_text(event)}
        notices.append(
            {
                "recipient": signup.email,
                "kind": "arr_paaminnelse",
                "subject_key": f"signup:{signup.pk}",
                "period": timezone.localdate(event.starts_at).isoformat(),
                "subject": subject,
                "body": body,
                "link": signup_link(signup),
                "user_id": signup.user_id,
                "urgent": True,
            }
        )
    return notices


def attachment_for(*, subject_key: str, kind: str):
    """The .ics attachment for an outbox e-mail about a sign-up: (file name, bytes, type)."""
    if not subject_key.startswith("signup:") or kind not in WITH_CALENDAR:
        return None
    # The sign-up named by the outbox row, whichever office organises its event.
    with scopes_disabled():
        signup = (
            Signup.objects.select_related("event", "event__activity")
            .filter(pk=int(subject_key.split(":")[1]))
            .first()
        )
    if signup is None:
        return None
    return ("arrangement.ics", event_ics(signup.event), "text/calendar")
