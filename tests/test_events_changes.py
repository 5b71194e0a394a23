"""Events after they are made: the organiser office changes one (same checks as when it was
made; those signed up are told, with the updated calendar entry), co-organising offices record
attendance at a joint event, a leader cancels a sign-up made for a doctor, and the demo's
SQLite takes concurrent sign-ups without «database is locked» or overbooking."""

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django_scopes import scope
from icalendar import Calendar

from events import services
from events.models import Event, Signup, SignupStatus
from municipalities.models import Municipality
from offices.models import Office
from offices.permissions import Role
from plans.reference import seed_rule_sets
from trainees.models import CourseRecord

from .conftest import member
from .event_helpers import at, make_activity, make_event
from .factories import UserFactory
from .trainee_factories import make_trainee


@pytest.fixture(autouse=True)
def rule_sets(db):
    from django.apps import apps

    seed_rule_sets(apps)


def person(email):
    return UserFactory(email=email, first_name=email.split("@")[0].title(), last_name="Testesen")


def statuses(event):
    with scope(office=event.office):
        return [s.status for s in Signup.objects.filter(event=event).order_by("pk")]


def edit_form(event, **changes):
    data = {
        "title": event.title,
        "starts_at": "2026-12-10T09:00",
        "ends_at": "2026-12-10T16:00",
        "place": event.place,
        "online_url": "",
        "capacity": str(event.capacity),
        "signup_deadline": "2026-12-03T09:00",
        "cancel_deadline": "2026-12-07T09:00",
        "price": "2500.00",
        "payer": "kommune",
    }
    data.update(changes)
    return data


# --- Changing an event ---------------------------------------------------------------------------


def test_organiser_changes_the_event_and_everyone_signed_up_is_told(
    vest, coordinator_vest, client_for, django_capture_on_commit_callbacks
):
    event = make_event(vest, capacity=1)
    ada, bo = person("ada@example.no"), person("bo@example.no")
    services.signup_create(office=vest, acting_user=ada, event=event, user=ada)
    services.signup_create(office=vest, acting_user=bo, event=event, user=bo)
    client = client_for(coordinator_vest)
    page = client.get(f"/vest/arrangementer/{event.pk}/endre/").content.decode()
    assert 'value="2026-12-10T09:00"' in page  # the start, in Oslo time
    assert 'name="activity"' not in page  # the activity stays
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/vest/arrangementer/{event.pk}/endre/",
            edit_form(
                event,
                place="Voss",
                starts_at="2026-12-11T09:00",
                capacity="2",
                ends_at="2026-12-11T16:00",
            ),
            follow=True,
        )
    assert "Endringene er lagret. 2 påmeldte har fått beskjed." in response.content.decode()
    with scope(office=vest):
        event = Event.objects.get(pk=event.pk)
    assert (event.place, event.capacity, event.sequence) == ("Voss", 2, 1)
    # A second place: Bo, first on the waiting list, is offered it.
    assert statuses(event) == [SignupStatus.CONFIRMED, SignupStatus.OFFERED]
    changed = {m.to[0]: m for m in mail.outbox if m.subject.startswith("Endret:")}
    assert sorted(changed) == ["ada@example.no", "bo@example.no"]
    body = changed["ada@example.no"].body
    assert "Sted: Bergen, Scandic Ørnen → Voss" in body
    assert "Starter: 10.12.2026 kl. 09.00 → 11.12.2026 kl. 09.00" in body
    assert "Du er påmeldt." in body
    assert "Du er tilbudt plass." in changed["bo@example.no"].body
    # The calendar entry that comes with it replaces the old one (same UID, higher SEQUENCE).
    [(_name, ics, _type)] = changed["ada@example.no"].attachments
    [vevent] = Calendar.from_ical(ics).walk("VEVENT")
    assert (str(vevent["uid"]), int(vevent["sequence"]), str(vevent["location"])) == (
        f"arrangement-{event.pk}@alis-kontorene.no",
        1,
        "Voss",
    )
    assert vevent.decoded("dtstart") == at(2026, 12, 11)
    assert any(m.subject.startswith("Ledig plass til deg") for m in mail.outbox)

    # Saving again without changes tells nobody.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/vest/arrangementer/{event.pk}/endre/",
            edit_form(
                event, starts_at="2026-12-11T09:00", ends_at="2026-12-11T16:00", capacity="2"
            ),
            follow=True,
        )
    assert "0 påmeldte har fått beskjed." in response.content.decode()
    assert mail.outbox == []


def test_a_change_has_the_checks_of_a_new_event_and_keeps_what_was_typed(
    vest, coordinator_vest, client_for
):
    event = make_event(vest, capacity=2)
    for email in ("ada@example.no", "bo@example.no"):
        user = person(email)
        services.signup_create(office=vest, acting_user=user, event=event, user=user)
    client = client_for(coordinator_vest)
    url = f"/vest/arrangementer/{event.pk}/endre/"
    html = client.post(
        url, edit_form(event, signup_deadline="2026-12-11T09:00", title="Grunnkurs A, Voss")
    ).content.decode()
    assert "Påmeldingsfristen må være før arrangementet starter." in html
    assert 'value="Grunnkurs A, Voss"' in html
    html = client.post(url, edit_form(event, capacity="1")).content.decode()
    assert "2 plasser er allerede tatt; antall plasser kan ikke bli lavere enn det." in html
    html = client.post(url, edit_form(event, ends_at="2026-12-09T16:00")).content.decode()
    assert "Slutten kan ikke være før starten." in html
    with scope(office=vest):
        unchanged = Event.objects.get(pk=event.pk)
    assert (unchanged.title, unchanged.capacity, unchanged.sequence) == ("Grunnkurs A", 2, 0)


def test_only_the_organiser_office_changes_an_event(vest, nord, coordinator_nord, client_for):
    joint = make_event(vest, make_activity(vest, title="ALIS-konferansen"), is_national=True)
    with scope(office=vest):
        joint.co_offices.set([nord])
    client = client_for(coordinator_nord)
    assert client.get(f"/nord/arrangementer/{joint.pk}/").status_code == 200
    assert client.get(f"/nord/arrangementer/{joint.pk}/endre/").status_code == 404
    assert (
        client.post(f"/nord/arrangementer/{joint.pk}/endre/", edit_form(joint)).status_code == 404
    )


# --- Attendance by the co-organisers of a joint event --------------------------------------------


def test_a_co_organising_office_records_attendance_at_a_joint_event(
    vest, nord, vadso, coordinator_nord, alis_vadso, client_for
):
    joint = make_event(vest, make_activity(vest, title="ALIS-konferansen"), capacity=5)
    with scope(office=vest):
        joint.co_offices.set([nord])
    doctor = make_trainee(
        nord,
        vadso,
        email=alis_vadso.email,
        hpr_number="7654321",
        specialisation_start=date(2025, 1, 1),
    )
    with scope(office=nord):
        doctor.user = alis_vadso
        doctor.save(update_fields=["user"])
    signup = services.signup_create(
        office=nord, acting_user=coordinator_nord, event=joint, trainee=doctor
    )
    client = client_for(coordinator_nord)
    page = client.get(f"/nord/arrangementer/{joint.pk}/").content.decode()
    assert "For medarrangøren" in page and "Endre arrangementet" not in page
    url = f"/nord/arrangementer/{joint.pk}/oppmote/"
    assert alis_vadso.email in client.get(url).content.decode()
    with time_machine.travel(at(2026, 12, 10, 17), tick=False):
        client = client_for(coordinator_nord)
        response = client.post(url, {"attended": [str(signup.pk)]})
    assert response.status_code == 302
    with scope(office=nord):
        assert CourseRecord.objects.filter(trainee=doctor, kind="A").count() == 1
    # An office that neither organises nor co-organises it cannot.
    midt = Office.objects.get(slug="midt")
    outsider = client_for(member(midt, Role.COORDINATOR, email="k@midt.example.no"))
    assert outsider.get(f"/midt/arrangementer/{joint.pk}/oppmote/").status_code == 404


# --- A leader cancels what they signed up ---------------------------------------------------------


def test_leader_cancels_a_sign_up_made_for_a_doctor_on_the_event_page(
    vest, masfjorden, leader_masfjorden, client_for
):
    event = make_event(vest, capacity=1)
    doctor = make_trainee(vest, masfjorden)
    client = client_for(leader_masfjorden)
    client.post(f"/vest/arrangementer/{event.pk}/meld-pa-lege/", {"trainee": doctor.pk})
    waiting = person("venter@example.no")
    services.signup_create(office=vest, acting_user=waiting, event=event, user=waiting)
    page = " ".join(client.get(f"/vest/arrangementer/{event.pk}/").content.decode().split())
    assert "ALIS-leger du har meldt på" in page
    assert "<td>Anna Aase</td><td>Masfjorden</td><td>Påmeldt</td>" in page
    with scope(office=vest):
        signup = Signup.objects.get(event=event, trainee=doctor)
    assert f"/vest/arrangementer/pameldinger/{signup.pk}/meld-av/" in page
    response = client.post(
        f"/vest/arrangementer/pameldinger/{signup.pk}/meld-av/", {"bekreft": "ja"}, follow=True
    )
    assert "Anna Aase er meldt av." in response.content.decode()
    # The freed place goes to the first on the waiting list.
    assert statuses(event) == [SignupStatus.CANCELLED, SignupStatus.OFFERED]
    # Another municipality's leader sees nothing of it and cannot cancel it.
    gulen = Municipality.objects.get(number="4635")
    gulen_leader = member(vest, Role.MUNICIPAL_LEADER, gulen, email="leder@gulen.example.no")
    other = client_for(gulen_leader)
    assert (
        "ALIS-leger du har meldt på"
        not in other.get(f"/vest/arrangementer/{event.pk}/").content.decode()
    )


# --- The demo's SQLite under concurrent sign-ups --------------------------------------------------


def test_concurrent_sign_ups_on_the_demo_sqlite_neither_lock_nor_overbook(tmp_path):
    """Twelve people press «Meld meg på» at once for three places, on a SQLite file with the
    demo's settings (IMMEDIATE transactions and a busy timeout): no «database is locked», and
    exactly three places taken."""
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "alis.settings.base",
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        "CELERY_BROKER_URL": "",
    }
    result = subprocess.run(
        [sys.executable, str(Path(settings.BASE_DIR) / "tests" / "sqlite_signups.py"), "12", "3"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["errors"] == []
    assert sorted(outcome["statuses"]) == ["pameldt"] * 3 + ["venteliste"] * 9
    assert outcome["journal_mode"] == "wal"
