"""iCalendar (.ics) for events: one event as an e-mail attachment, or a personal feed."""

from collections.abc import Iterable

from django.conf import settings
from icalendar import Calendar
from icalendar import Event as VEvent

PRODID = "-//ALIS-kontorene//Arrangementer//NO"


def _uid(event) -> str:
    return f"arrangement-{event.pk}@alis-kontorene.no"


def _vevent(event, *, cancelled: bool = False) -> VEvent:
    item = VEvent()
    item.add("uid", _uid(event))
    item.add("dtstamp", event.updated_at or event.created_at)
    item.add("sequence", event.sequence)
    item.add("dtstart", event.starts_at)
    item.add("dtend", event.ends_at)
    item.add("summary", event.title)
    location = event.place or event.online_url
    if location:
        item.add("location", location)
    if event.online_url:
        item.add("url", event.online_url)
    item.add("description", event.activity.programme or event.activity.learning_outcomes or "")
    item.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return item


def _calendar(name: str, method: str | None = None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    if method:
        cal.add("method", method)
    return cal


def event_ics(event, *, cancelled: bool = False) -> bytes:
    """One event, for an e-mail attachment or a download."""
    cal = _calendar(event.title, "PUBLISH")
    cal.add_component(_vevent(event, cancelled=cancelled))
    return cal.to_ical()


def feed_ics(events: Iterable, *, name: str) -> bytes:
    cal = _calendar(name)
    cal.add("x-published-ttl", "PT6H")
    for event in events:
        cal.add_component(_vevent(event))
    return cal.to_ical()


def site_url(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"
