"""`{{ event|event_when }}`: when an event is, its date said once when it starts and ends on the
same day ("10.12.2026 09:00–15:00"), both dates otherwise."""

from django import template
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from events.models import SignupStatus

register = template.Library()


@register.filter
def event_when(event) -> str:
    starts, ends = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
    start = formats.date_format(starts, "SHORT_DATETIME_FORMAT")
    if starts.date() == ends.date():
        return f"{start}–{formats.time_format(ends, 'H:i')}"
    return f"{start}–{formats.date_format(ends, 'SHORT_DATETIME_FORMAT')}"


@register.filter
def signup_status(signup) -> str:
    """The sign-up's status as the participant and organiser read it: once attendance is
    recorded, whether they came ("Møtte" / "Møtte ikke") instead of "Påmeldt"."""
    if signup.status == SignupStatus.CONFIRMED and signup.attended is not None:
        return str(_("Møtte") if signup.attended else _("Møtte ikke"))
    return signup.get_status_display()
