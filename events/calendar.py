"""iCalendar (.ics) for events: one event as an e-mail attachment, or a personal feed."""

import re
from collections.abc import Iterable

from django.conf import settings
from icalendar import Calendar, vText
from icalendar import Event as VEvent

from offices.forms import single_line

PRODID = "-//ALIS-kontorene//Arrangementer//NO"


# Control characters other than the line feed (which vText writes as the escape "\\n").
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def _line(value: str) -> vText:
    """A one-line text property, escaped by icalendar (a title typed before the forms made
    titles one line may still hold a line break: it must never start a line of its own)."""
    return vText(single_line(value or ""))


def _text(value: str) -> vText:
    """A text property that may have several lines (written as escaped "\\n")."""
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    return vText(_CONTROL.sub(" ", text))


def _uid(event) -> str:
    return f"arrangement-{event.pk}@alis-kontorene.no"


def _vevent(event, *, cancelled: bool = False) -> VEvent:
    item = VEvent()
    item.add("uid", _uid(event))
    item.add("dtstamp", event.updated_at or event.created_at)
    item.add("sequence", event.sequence)
    item.add("dtstart", event.starts_at)
    item.add("dtend", event.ends_at)
    item.add("summary", _line(event.title))
    location = event.place or event.online_url
    if location:
        item.add("location", _line(location))
    if event.online_url:
        item.add("url", single_line(event.online_url))
    item.add(
        "description", _text(event.activity.programme or event.activity.learning_outcomes or "")
    )
    item.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return item


def _calendar(name: str, method: str | None = None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    # Set as vText: a plain str on an X- property is written as it is, unescaped.
    cal.add("x-wr-calname", _line(str(name)))
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
