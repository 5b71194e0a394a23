"""What the organiser finds after an event: past events on the office's list (newest first,
paginated) with a link to record attendance, and the coordinator's inbox card while attendance
is missing. The standard event (tests/event_helpers.py) is on 10 December 2026 09:00–16:00."""

import re
from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django_scopes import scope

from events import services
from plans.reference import seed_rule_sets

from .event_helpers import at, make_activity, make_event
from .trainee_factories import make_trainee


@pytest.fixture(autouse=True)
def rule_sets(db):
    from django.apps import apps

    seed_rule_sets(apps)


@pytest.fixture
def doctor(vest, masfjorden, alis_masfjorden):
    trainee = make_trainee(
        vest, masfjorden, email=alis_masfjorden.email, specialisation_start=date(2025, 1, 1)
    )
    with scope(office=vest):
        trainee.user = alis_masfjorden
        trainee.save(update_fields=["user"])
    return trainee


def section(html: str, heading: str) -> str:
    """The part of the page from the heading to the next h2."""
    start = html.index(heading)
    end = html.find("<h2", start)
    return re.sub(r"\s+", " ", html[start : end if end > 0 else None])


def inbox_card(html: str, key: str) -> str:
    match = re.search(rf'data-inbox="{key}">(.*?)</div>', html, re.S)
    assert match, f"no card {key}"
    return re.sub(r"\s+", " ", match.group(1))


def test_past_events_are_listed_newest_first_with_a_link_to_record_attendance(
    vest, doctor, coordinator_vest, client_for
):
    course = make_event(vest, make_activity(vest, title="Grunnkurs A"))
    earlier = make_event(
        vest, make_activity(vest, title="Grunnkurs B", course_kind="B"), start=at(2026, 12, 1)
    )
    later = make_event(
        vest, make_activity(vest, title="Grunnkurs C", course_kind="C"), start=at(2027, 1, 14)
    )
    signup = services.signup_create(
        office=vest, acting_user=coordinator_vest, event=course, trainee=doctor
    )
    attendance_url = f"/vest/arrangementer/{course.pk}/oppmote/"
    with time_machine.travel(at(2026, 12, 11, 10), tick=False):
        client = client_for(coordinator_vest)
        html = client.get("/vest/arrangementer/").content.decode()
        past = section(html, "Tidligere arrangementer")
        upcoming = section(html, "Kommende arrangementer")
        assert "Grunnkurs C" in upcoming and "Grunnkurs C" not in past
        # Newest first: the course of 10 December before the one of 1 December.
        assert past.index("Grunnkurs A") < past.index("Grunnkurs B")
        assert "10.12.2026 09:00–16:00" in past
        assert f'href="{attendance_url}">Registrer oppmøte' in past
        # The course on 1 December had nobody signed up: nothing to record.
        assert past.count("Registrer oppmøte") == 1
        card = inbox_card(
            client.get(reverse("inbox", args=["vest"])).content.decode(), "attendance_missing"
        )
        assert "1 tidligere arrangement mangler oppmøte" in card
        assert 'href="/vest/arrangementer/#tidligere"' in card

        client.post(attendance_url, {"attended": [str(signup.pk)]})
        past = section(client.get("/vest/arrangementer/").content.decode(), "Tidligere")
        assert "Registrer oppmøte" not in past and "Oppmøte registrert" in past
        card = inbox_card(
            client.get(reverse("inbox", args=["vest"])).content.decode(), "attendance_missing"
        )
        assert "Ingenting venter" in card
    assert earlier.pk and later.pk


def test_a_doctor_sees_past_events_without_the_attendance_column(
    vest, doctor, alis_masfjorden, client_for
):
    make_event(vest)
    with time_machine.travel(at(2026, 12, 11, 10), tick=False):
        html = client_for(alis_masfjorden).get("/vest/arrangementer/").content.decode()
    past = section(html, "Tidligere arrangementer")
    assert "Grunnkurs A" in past and "Registrer oppmøte" not in past and "Oppmøte" not in past


def test_past_events_are_paginated(vest, coordinator_vest, client_for):
    activity = make_activity(vest)
    for day in range(1, 53):  # 52 events, one a day from 1 December 2026
        make_event(vest, activity, start=at(2026, 12, 1) + timedelta(days=day - 1))
    with time_machine.travel(at(2027, 3, 1, 10), tick=False):
        client = client_for(coordinator_vest)
        first = client.get("/vest/arrangementer/")
        second = client.get("/vest/arrangementer/?tidligere=2")
    assert len(first.context["past"]) == 50 and len(second.context["past"]) == 2
    assert "rad 1–50 av 52" in first.content.decode()
    # Newest first: the last event (21 January 2027) opens the first page.
    assert first.context["past"][0].starts_at.date() == date(2027, 1, 21)


def test_attendance_page_before_the_event_says_when_it_opens(
    vest, doctor, coordinator_vest, client_for
):
    event = make_event(vest)
    services.signup_create(office=vest, acting_user=coordinator_vest, event=event, trainee=doctor)
    html = client_for(coordinator_vest).get(f"/vest/arrangementer/{event.pk}/oppmote/")
    html = html.content.decode()
    assert "Oppmøte kan registreres fra arrangementet starter (10.12.2026)." in html
    assert "Lagre oppmøte" not in html and 'name="attended"' not in html
    assert "Anna Aase" in html  # the participants are still listed


def test_recorded_attendance_shows_as_came_or_did_not_come(
    vest, doctor, alis_masfjorden, coordinator_vest, client_for
):
    event = make_event(vest)
    came = services.signup_create(
        office=vest, acting_user=coordinator_vest, event=event, trainee=doctor
    )
    other = make_trainee(
        vest,
        doctor.municipality,
        first_name="Bo",
        last_name="Berg",
        email="bo@example.no",
        hpr_number="7654321",
    )
    services.signup_create(office=vest, acting_user=coordinator_vest, event=event, trainee=other)
    with time_machine.travel(at(2026, 12, 11, 10), tick=False):
        client = client_for(coordinator_vest)
        url = f"/vest/arrangementer/{event.pk}/oppmote/"
        client.post(url, {"attended": [str(came.pk)]})
        rows = re.sub(r"\s+", " ", client.get(url).content.decode())
        assert re.search(r"Anna Aase</td>.*?<td>Møtte</td>", rows)
        assert re.search(r"Bo Berg</td>.*?<td>Møtte ikke</td>", rows)
        mine = section(
            client_for(alis_masfjorden).get("/vest/arrangementer/").content.decode(),
            "Mine påmeldinger",
        )
    assert "Grunnkurs A</a> – 10.12.2026 09:00: Møtte" in mine
    assert "Påmeldt" not in mine


def test_event_times_say_the_date_once_on_the_same_day(vest, coordinator_vest, client_for):
    event = make_event(vest)
    two_days = make_event(
        vest,
        make_activity(vest, title="Samling", course_kind=""),
        start=at(2026, 12, 14),
        ends_at=at(2026, 12, 15, 15),
    )
    client = client_for(coordinator_vest)
    html = client.get(f"/vest/arrangementer/{event.pk}/").content.decode()
    assert "10.12.2026 09:00–16:00" in html and "10.12.2026 16:00" not in html
    html = client.get(f"/vest/arrangementer/{two_days.pk}/").content.decode()
    assert "14.12.2026 09:00–15.12.2026 15:00" in html


def test_public_list_says_free_and_that_a_full_event_means_the_waiting_list(
    vest, client, coordinator_vest
):
    free = make_event(vest, price=0, payer="gratis", is_public=True, capacity=1)
    paid = make_event(
        vest, make_activity(vest, title="Grunnkurs B", course_kind="B"), is_public=True
    )
    services.signup_create(
        office=vest, acting_user=coordinator_vest, event=free, user=coordinator_vest
    )
    html = re.sub(r"\s+", " ", client.get("/arrangementer/kontor/vest/").content.decode())
    free_card = html[html.index(f'id="arr-{free.pk}"') : html.index(f'id="arr-{paid.pk}"')]
    paid_card = html[html.index(f'id="arr-{paid.pk}"') :]
    assert "Gratis." in free_card and "0,00 kr" not in free_card
    assert "Fullt – du settes på venteliste" in free_card
    assert "Sett meg på venteliste til Grunnkurs A" in free_card
    assert "Pris: 2 500,00 kr" in paid_card or "Pris: 2\xa0500,00 kr" in paid_card
    assert "venteliste" not in paid_card and "Meld meg på Grunnkurs B" in paid_card
