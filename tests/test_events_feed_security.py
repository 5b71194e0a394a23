"""Calendar files and feeds against a cold attacker (issue 16): a title with line breaks must not
add events to an .ics file, and a personal feed stops when the person's roles have ended."""

import pytest
from django_scopes import scope
from icalendar import Calendar

from accounts.models import Membership
from events import services
from events.models import Activity, Event
from offices.permissions import Role

from .event_helpers import make_activity, make_event

EVIL = "Kurs\rBEGIN:VEVENT\rUID:evil@x\rSUMMARY:Phishing: logg inn på evil.example\rEND:VEVENT"


@pytest.fixture(autouse=True)
def rule_sets(db):
    from django.apps import apps

    from plans.reference import seed_rule_sets

    seed_rule_sets(apps)


def assert_one_clean_vevent(body: bytes):
    assert b"\r" not in body.replace(b"\r\n", b"")  # no bare CR: every CR ends a line
    assert b"\n" not in body.replace(b"\r\n", b"")  # nor a bare LF
    calendar = Calendar.from_ical(body)
    [vevent] = calendar.walk("VEVENT")
    assert "evil@x" not in [str(v["UID"]) for v in calendar.walk("VEVENT")]
    return calendar, vevent


def test_a_title_typed_with_line_breaks_is_saved_on_one_line(vest, coordinator_vest, client_for):
    activity = make_activity(vest)
    response = client_for(coordinator_vest).post(
        "/vest/arrangementer/ny/",
        {
            "activity": activity.pk,
            "title": EVIL,
            "starts_at": "2027-01-10T09:00",
            "ends_at": "2027-01-10T16:00",
            "place": "Bergen\r\nSUMMARY:x",
            "capacity": "20",
            "signup_deadline": "2027-01-03T09:00",
            "cancel_deadline": "2027-01-05T09:00",
            "price": "2500",
            "payer": "kommune",
        },
    )
    assert response.status_code == 302
    with scope(office=vest):
        event = Event.objects.get()
    assert event.title == (
        "Kurs BEGIN:VEVENT UID:evil@x SUMMARY:Phishing: logg inn på evil.example END:VEVENT"
    )
    assert event.place == "Bergen SUMMARY:x"


def test_a_catalogue_title_with_line_breaks_is_saved_on_one_line(
    vest, coordinator_vest, client_for
):
    client_for(coordinator_vest).post(
        "/vest/arrangementer/katalog/",
        {"title": "Veiledning\n\x1b[2J\u2028grunnkurs", "kind": "kurs", "hours": "3"},
    )
    with scope(office=vest):
        assert list(Activity.objects.values_list("title", flat=True)) == [
            "Veiledning [2J grunnkurs"
        ]


def test_an_old_title_with_line_breaks_stays_inside_its_properties_in_the_ics(
    vest, alis_masfjorden, client_for
):
    """A title stored before the forms made it one line (or by any other way in): the file for
    the event still holds exactly one event, and no line of it starts with the attacker's text."""
    event = make_event(
        vest,
        make_activity(vest, programme="Dag 1\r\nDag 2\x07"),
        title=EVIL,
        place="Voss\rEND:VCALENDAR",
    )
    response = client_for(alis_masfjorden).get(f"/vest/arrangementer/{event.pk}/kalender.ics")
    assert response.status_code == 200
    calendar, vevent = assert_one_clean_vevent(response.content)
    assert str(vevent["UID"]) == f"arrangement-{event.pk}@alis-kontorene.no"
    one_line = "Kurs BEGIN:VEVENT UID:evil@x SUMMARY:Phishing: logg inn på evil.example END:VEVENT"
    assert str(calendar["X-WR-CALNAME"]) == one_line
    assert str(vevent["SUMMARY"]) == one_line
    assert str(vevent["LOCATION"]) == "Voss END:VCALENDAR"
    assert str(vevent["DESCRIPTION"]) == "Dag 1\nDag 2 "
    lines = response.content.decode().split("\r\n")
    assert lines.count("BEGIN:VEVENT") == 1
    assert not [line for line in lines if line.startswith(("UID:evil", "SUMMARY:Phishing"))]


def feed_address(client) -> str:
    client.post("/vest/arrangementer/kalender/")
    url = client.get("/vest/arrangementer/").context["feed_url"]
    return url.removeprefix("http://testserver")


def test_the_personal_feed_is_private_and_stops_when_the_last_role_ends(
    vest, alis_masfjorden, client_for
):
    event = make_event(vest)
    services.signup_create(
        office=vest, acting_user=alis_masfjorden, event=event, user=alis_masfjorden
    )
    client = client_for(alis_masfjorden)
    url = feed_address(client)
    client.logout()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    [vevent] = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Grunnkurs A"

    Membership.objects.filter(user=alis_masfjorden).update(is_active=False)
    assert client.get(url).status_code == 404


def test_the_feed_goes_on_while_one_role_is_still_active(
    vest, nord, vadso, alis_masfjorden, client_for
):
    Membership.objects.create(user=alis_masfjorden, office=nord, role=Role.ALIS, municipality=vadso)
    url = feed_address(client_for(alis_masfjorden))
    Membership.objects.filter(user=alis_masfjorden, office=vest).update(is_active=False)
    assert client_for(alis_masfjorden).get(url).status_code == 200
