"""Builders for the events tests: a catalogue entry and an event through the services."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from events import services

OSLO = ZoneInfo("Europe/Oslo")


def at(year, month, day, hour=9, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=OSLO)


def make_activity(office, *, goals=(), **kwargs):
    data = {
        "title": "Grunnkurs A",
        "kind": "kurs",
        "course_kind": "A",
        "hours": Decimal("15"),
        "audience": ["leger"],
        "programme": "Dag 1: kommunikasjon. Dag 2: etikk.",
        "learning_outcomes": "Deltakerne kjenner grunnlaget for allmennmedisin.",
        "evaluation_questions": "Nytte for arbeidet\nFaglig innhold",
        **kwargs,
    }
    return services.activity_save(office=office, acting_user=None, goals=goals, **data)


def make_event(office, activity=None, *, start=None, capacity=2, **kwargs):
    """An event on 10 December 2026 (the suite's clock stands on 23 November 2026)."""
    activity = activity or make_activity(office)
    start = start or at(2026, 12, 10)
    data = {
        "title": "",
        "starts_at": start,
        "ends_at": start + timedelta(hours=7),
        "place": "Bergen, Scandic Ørnen",
        "capacity": capacity,
        "signup_deadline": start - timedelta(days=7),
        "cancel_deadline": start - timedelta(days=3),
        "price": Decimal("2500.00"),
        "payer": "kommune",
        **kwargs,
    }
    return services.event_create(office=office, acting_user=None, activity=activity, **data)
