"""Learning activities and gatherings: places, the waiting list, cancellation, attendance that
becomes course records, calendar files, reminders, evaluations, the public sign-up.

The suite's clock stands on Monday 23 November 2026 10:00 (Oslo). The standard event
(tests/event_helpers.py) is on Thursday 10 December 2026 09:00–16:00 with 2 places,
sign-up deadline 3 December 09:00 and cancellation deadline 7 December 09:00.
"""

from datetime import date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django_scopes import scope
from icalendar import Calendar

from events import services
from events.models import Activity, CalendarFeed, Signup, SignupStatus
from events.tasks import expire_offers
from goals.models import GoalProgress, LearningActivity
from goals.sample_catalogue import load_sample_catalogue
from notifications.reminders import run_sweep
from plans.reference import seed_rule_sets
from trainees.models import CourseRecord, ServicePeriod, Supervisor

from .event_helpers import OSLO, at, make_activity, make_event
from .factories import UserFactory
from .trainee_factories import make_supervisor, make_trainee


@pytest.fixture(autouse=True)
def rule_sets(db):
    from django.apps import apps

    seed_rule_sets(apps)


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run a write and the e-mails it queues after commit."""

    def run(call):
        with django_capture_on_commit_callbacks(execute=True):
            return call()

    return run


def person(office, email):
    return UserFactory(email=email, first_name=email.split("@")[0].title(), last_name="Testesen")


def sign_up(office, event, user):
    return services.signup_create(office=office, acting_user=user, event=event, user=user)


def statuses(event):
    with scope(office=event.office):
        return [s.status for s in Signup.objects.filter(event=event).order_by("pk")]


def ics_events(payload: bytes):
    return Calendar.from_ical(payload).walk("VEVENT")


# --- Places and the waiting list ------------------------------------------------------------------


def test_third_person_is_wait_listed_and_everyone_gets_an_email(vest, commit):
    event = make_event(vest, capacity=2)
    people = [person(vest, f"{n}@example.no") for n in ("ada", "bo", "cato")]
    for user in people:
        commit(lambda user=user: sign_up(vest, event, user))
    assert statuses(event) == ["pameldt", "pameldt", "venteliste"]
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects == {
        "ada@example.no": "Påmeldt: Grunnkurs A",
        "bo@example.no": "Påmeldt: Grunnkurs A",
        "cato@example.no": "Venteliste: Grunnkurs A",
    }
    # The confirmation carries the event as an iCalendar attachment, in Oslo time.
    confirmation = next(m for m in mail.outbox if m.to == ["ada@example.no"])
    [(name, payload, mimetype)] = confirmation.attachments
    assert (name, mimetype) == ("arrangement.ics", "text/calendar")
    [vevent] = ics_events(payload)
    assert str(vevent["SUMMARY"]) == "Grunnkurs A"
    assert vevent.decoded("DTSTART") == datetime(2026, 12, 10, 9, 0, tzinfo=OSLO)
    assert vevent.decoded("DTEND") == datetime(2026, 12, 10, 16, 0, tzinfo=OSLO)
    assert str(vevent["LOCATION"]) == "Bergen, Scandic Ørnen"
    # The waiting-list e-mail has no calendar entry: there is no place yet.
    waiting = next(m for m in mail.outbox if m.to == ["cato@example.no"])
    assert waiting.attachments == []


def test_the_same_person_cannot_sign_up_twice(vest):
    event = make_event(vest)
    user = person(vest, "ada@example.no")
    sign_up(vest, event, user)
    with pytest.raises(Exception, match="allerede påmeldt"):
        sign_up(vest, event, user)
    assert statuses(event) == ["pameldt"]


def test_sign_up_after_the_deadline_is_refused(vest):
    event = make_event(vest)
    with time_machine.travel(at(2026, 12, 3, 9, 1), tick=False):
        with pytest.raises(Exception, match="Påmeldingsfristen har gått ut"):
            sign_up(vest, event, person(vest, "sen@example.no"))


def test_cancellation_offers_the_place_to_the_first_on_the_waiting_list(vest, commit):
    event = make_event(vest, capacity=1)
    ada, bo, cato = (person(vest, f"{n}@example.no") for n in ("ada", "bo", "cato"))
    first = commit(lambda: sign_up(vest, event, ada))
    commit(lambda: sign_up(vest, event, bo))
    commit(lambda: sign_up(vest, event, cato))
    mail.outbox.clear()
    commit(lambda: services.signup_cancel(signup=first, acting_user=ada))
    # Bo came before Cato: Bo is offered the place, for 48 hours (23 Nov 10:00 → 25 Nov 10:00).
    assert statuses(event) == ["avmeldt", "tilbudt", "venteliste"]
    with scope(office=vest):
        offered = Signup.objects.get(email="bo@example.no", event=event)
    assert offered.offered_until.astimezone(OSLO).replace(second=0, microsecond=0) == datetime(
        2026, 11, 25, 10, 0, tzinfo=OSLO
    )
    [offer] = mail.outbox
    assert offer.to == ["bo@example.no"]
    assert offer.subject == "Ledig plass til deg: Grunnkurs A"
    assert "25.11.2026 kl. 10.00" in offer.body
    commit(lambda: services.offer_accept(signup=offered, acting_user=bo))
    assert statuses(event) == ["avmeldt", "pameldt", "venteliste"]


def test_an_offer_not_taken_in_48_hours_goes_to_the_next(vest, commit):
    event = make_event(vest, capacity=1)
    ada, bo, cato = (person(vest, f"{n}@example.no") for n in ("ada", "bo", "cato"))
    first = sign_up(vest, event, ada)
    sign_up(vest, event, bo)
    sign_up(vest, event, cato)
    services.signup_cancel(signup=first, acting_user=ada)
    with time_machine.travel(datetime(2026, 11, 25, 10, 30, tzinfo=OSLO), tick=False):
        services.offers_expire(event=event)
        assert statuses(event) == ["avmeldt", "utlopt", "tilbudt"]
        with scope(office=vest):
            late = Signup.objects.get(email="bo@example.no", event=event)
        with pytest.raises(Exception, match="Tilbudet gjelder ikke lenger"):
            services.offer_accept(signup=late, acting_user=bo)


def test_cancellation_after_the_deadline_is_refused_but_the_waiting_list_may_leave(vest):
    event = make_event(vest, capacity=1)
    ada, bo = person(vest, "ada@example.no"), person(vest, "bo@example.no")
    holder = sign_up(vest, event, ada)
    waiting = sign_up(vest, event, bo)
    with time_machine.travel(at(2026, 12, 7, 9, 1), tick=False):
        with pytest.raises(Exception, match="Avmeldingsfristen gikk ut 07.12.2026 kl. 09.00"):
            services.signup_cancel(signup=holder, acting_user=ada)
        services.signup_cancel(signup=waiting, acting_user=bo)
    assert statuses(event) == ["pameldt", "avmeldt"]


def test_nobody_cancels_someone_elses_place(vest):
    event = make_event(vest)
    holder = sign_up(vest, event, person(vest, "ada@example.no"))
    with pytest.raises(PermissionDenied):
        services.signup_cancel(signup=holder, acting_user=person(vest, "bo@example.no"))
    assert statuses(event) == ["pameldt"]


def test_concurrent_sign_ups_never_overbook(transactional_db, vest):
    """Eight people press «Meld meg på» at the same moment for three places."""
    import threading

    from django.db import connection

    event = make_event(vest, capacity=3)
    users = [person(vest, f"p{i}@example.no") for i in range(8)]
    barrier = threading.Barrier(len(users))
    errors = []

    def press(user):
        try:
            barrier.wait()
            sign_up(vest, event, user)
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=press, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    result = statuses(event)
    assert result.count("pameldt") == 3
    assert result.count("venteliste") == 5


# --- Attendance → course record → requirement page ------------------------------------------------


@pytest.fixture
def doctor(vest, masfjorden, alis_masfjorden):
    trainee = make_trainee(
        vest,
        masfjorden,
        email=alis_masfjorden.email,
        specialisation_start=date(2025, 1, 1),
    )
    with scope(office=vest):
        trainee.user = alis_masfjorden
        trainee.save(update_fields=["user"])
    return trainee


def test_attendance_becomes_a_course_record_and_shows_on_the_requirement_page(
    vest, doctor, alis_masfjorden, coordinator_vest, client_for
):
    [catalogue, *_] = load_sample_catalogue()
    goal = catalogue.goals.get(code="ALM-001")
    event = make_event(vest, make_activity(vest, goals=[goal]))
    signup = services.signup_create(
        office=vest, acting_user=coordinator_vest, event=event, trainee=doctor
    )
    client = client_for(alis_masfjorden)
    before = client.get("/vest/min-plan/krav/").context["evaluation"].get("courses").text
    assert "Grunnkurs 0 av 4" in before
    with time_machine.travel(at(2026, 12, 10, 16, 30), tick=False):
        for _ in range(2):  # recording twice writes once
            services.attendance_record(
                office=vest, acting_user=coordinator_vest, event=event, attended={signup.pk: True}
            )
        with scope(office=vest):
            [record] = CourseRecord.objects.filter(trainee=doctor)
            assert (record.kind, record.hours, record.completed_on) == (
                "A",
                Decimal("15.0"),
                date(2026, 12, 10),
            )
            [activity] = LearningActivity.objects.filter(trainee=doctor)
            assert [g.code for g in activity.goals.all()] == ["ALM-001"]
            assert GoalProgress.objects.get(trainee=doctor, goal=goal).status == "pagar"
        client = client_for(alis_masfjorden)  # a new day, a new login (sessions expire)
        after = client.get("/vest/min-plan/krav/").context["evaluation"].get("courses").text
        assert "Grunnkurs 1 av 4" in after
        assert "B, C, D" in client.get("/vest/min-plan/krav/").content.decode()
        # A mistake corrected: not attended after all, and the course record goes again.
        services.attendance_record(
            office=vest, acting_user=coordinator_vest, event=event, attended={signup.pk: False}
        )
        with scope(office=vest):
            assert not CourseRecord.objects.filter(trainee=doctor).exists()


def test_attendance_cannot_be_recorded_before_the_event(vest, doctor, coordinator_vest):
    event = make_event(vest)
    signup = services.signup_create(
        office=vest, acting_user=coordinator_vest, event=event, trainee=doctor
    )
    with pytest.raises(Exception, match="når arrangementet har startet"):
        services.attendance_record(
            office=vest, acting_user=coordinator_vest, event=event, attended={signup.pk: True}
        )


def test_supervisor_training_attended_is_the_veileders_qualification(
    vest, masfjorden, veileder_masfjorden, coordinator_vest
):
    supervisor = make_supervisor(vest, [masfjorden], name="Vera", email=veileder_masfjorden.email)
    with scope(office=vest):
        assert Supervisor.objects.get(pk=supervisor.pk).course_completed is None
    training = make_activity(vest, title="Veilederkurs del 1", kind="veilederkurs", course_kind="")
    event = make_event(vest, training)
    signup = sign_up(vest, event, veileder_masfjorden)
    with time_machine.travel(at(2026, 12, 10, 17), tick=False):
        services.attendance_record(
            office=vest, acting_user=coordinator_vest, event=event, attended={signup.pk: True}
        )
    with scope(office=vest):
        assert Supervisor.objects.get(pk=supervisor.pk).course_completed == date(2026, 12, 10)


def test_organiser_records_attendance_on_the_list_page(vest, doctor, coordinator_vest, client_for):
    event = make_event(vest)
    signup = services.signup_create(
        office=vest, acting_user=coordinator_vest, event=event, trainee=doctor
    )
    client = client_for(coordinator_vest)
    url = f"/vest/arrangementer/{event.pk}/oppmote/"
    assert "Anna Aase" in client.get(url).content.decode()
    with time_machine.travel(at(2026, 12, 10, 17), tick=False):
        client = client_for(coordinator_vest)  # a new day, a new login (sessions expire)
        response = client.post(url, {"attended": [str(signup.pk)]})
    assert response.status_code == 302
    with scope(office=vest):
        assert CourseRecord.objects.filter(trainee=doctor, kind="A").count() == 1


# --- Calendar feed and reminders ------------------------------------------------------------------


def test_personal_calendar_feed_lists_my_places_only(vest, nord, alis_masfjorden, client_for):
    mine = make_event(vest, capacity=1)
    full = make_event(vest, make_activity(vest, title="Akuttkurs", course_kind="akutt"), capacity=1)
    sign_up(vest, mine, alis_masfjorden)
    sign_up(vest, full, person(vest, "foran@example.no"))
    sign_up(vest, full, alis_masfjorden)  # waiting list: not in the calendar
    client = client_for(alis_masfjorden)
    client.post("/vest/arrangementer/kalender/")
    page = client.get("/vest/arrangementer/")
    feed_url = page.context["feed_url"]
    assert feed_url.startswith("http://testserver/arrangementer/kalender/")
    client_for(alis_masfjorden).logout()
    response = client_for(alis_masfjorden).get(feed_url.removeprefix("http://testserver"))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["VERSION"]) == "2.0"
    [vevent] = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Grunnkurs A"
    assert str(vevent["UID"]) == f"arrangement-{mine.pk}@alis-kontorene.no"
    assert client_for(alis_masfjorden).get("/arrangementer/kalender/gjettet.ics").status_code == 404


def test_the_calendar_address_is_made_by_a_button_not_by_opening_the_list(
    vest, alis_masfjorden, client_for
):
    client = client_for(alis_masfjorden)
    for _visit in range(2):
        page = client.get("/vest/arrangementer/")
        assert page.context["feed_url"] is None
        assert "Lag kalenderadresse" in page.content.decode()
    assert not CalendarFeed.objects.exists()
    assert client.get("/vest/arrangementer/kalender/").status_code == 405
    made = client.post("/vest/arrangementer/kalender/")
    assert made.status_code == 302
    assert made.url == "/vest/arrangementer/#kalender"
    feed_url = client.get("/vest/arrangementer/").context["feed_url"]
    assert feed_url.startswith("http://testserver/arrangementer/kalender/")
    # Pressing it again (or opening the page again) keeps the address the user subscribed to.
    client.post("/vest/arrangementer/kalender/")
    assert client.get("/vest/arrangementer/").context["feed_url"] == feed_url
    assert CalendarFeed.objects.count() == 1


def test_reminder_is_sent_once_two_days_before(vest, commit):
    event = make_event(vest)
    commit(lambda: sign_up(vest, event, person(vest, "ada@example.no")))
    mail.outbox.clear()
    # 7 December: the event (10 December) is three days away — too early.
    assert commit(lambda: run_sweep(office=vest, today=date(2026, 12, 7))) == 0
    for day in (8, 8, 9):
        commit(lambda day=day: run_sweep(office=vest, today=date(2026, 12, day)))
    reminders = [m for m in mail.outbox if m.subject == "Påminnelse: Grunnkurs A"]
    assert len(reminders) == 1
    [(_name, payload, _type)] = reminders[0].attachments
    assert ics_events(payload)[0].decoded("DTSTART") == datetime(2026, 12, 10, 9, tzinfo=OSLO)


# --- Evaluation -----------------------------------------------------------------------------------


def _attend_and_evaluate(vest, coordinator, event, answers):
    signups = []
    for i, _answer in enumerate(answers):
        signups.append(sign_up(vest, event, person(vest, f"d{i}@example.no")))
    with time_machine.travel(at(2026, 12, 10, 17), tick=False):
        services.attendance_record(
            office=vest,
            acting_user=coordinator,
            event=event,
            attended={s.pk: True for s in signups},
        )
    for signup, (scores, overall) in zip(signups, answers, strict=True):
        with scope(office=vest):
            signup.refresh_from_db()
        services.evaluation_submit(
            signup=signup, acting_user=signup.user, scores=scores, overall=overall
        )


def test_evaluation_with_four_answers_shows_only_the_count(vest, coordinator_vest, client_for):
    event = make_event(vest, capacity=10)
    _attend_and_evaluate(vest, coordinator_vest, event, [([5, 4], 5)] * 4)
    page = client_for(coordinator_vest).get(f"/vest/arrangementer/{event.pk}/resultater/")
    text = page.content.decode()
    assert "4 svar. Resultatene vises når minst fem har svart" in text
    assert "Nytte for arbeidet" not in text


def test_evaluation_with_five_answers_shows_the_averages(vest, coordinator_vest, client_for):
    event = make_event(vest, capacity=10)
    answers = [([5, 4], 5), ([4, 4], 4), ([3, 2], 4), ([5, 5], 5), ([4, 3], 3)]
    _attend_and_evaluate(vest, coordinator_vest, event, answers)
    summary = (
        client_for(coordinator_vest)
        .get(f"/vest/arrangementer/{event.pk}/resultater/")
        .context["summary"]
    )
    # Nytte: (5+4+3+5+4)/5 = 4.2; Faglig: (4+4+2+5+3)/5 = 3.6; samlet: (5+4+4+5+3)/5 = 4.2.
    assert summary.questions == [
        ("Nytte for arbeidet", Decimal("4.2")),
        ("Faglig innhold", Decimal("3.6")),
    ]
    assert summary.overall == Decimal("4.2")


# --- Public sign-up -------------------------------------------------------------------------------


def test_public_sign_up_holds_no_place_until_the_email_is_confirmed(vest, client, commit):
    event = make_event(vest, capacity=1, is_public=True)
    page = client.get("/arrangementer/kontor/vest/")
    assert page.status_code == 200 and "Grunnkurs A" in page.content.decode()
    response = commit(
        lambda: client.post(
            "/arrangementer/kontor/vest/",
            {"event": event.pk, "name": "Per Publikum", "email": "per@example.no"},
        )
    )
    assert "Sjekk e-posten din" in response.content.decode()
    assert statuses(event) == ["ubekreftet"]
    [message] = mail.outbox
    assert message.subject == "Bekreft påmeldingen til Grunnkurs A"
    link = next(line for line in message.body.splitlines() if "/arrangementer/bekreft/" in line)
    path = link.strip().removeprefix("http://127.0.0.1:8000")
    assert client.get(path).status_code == 200  # a page with a button: link scanners do nothing
    assert statuses(event) == ["ubekreftet"]
    manage = commit(lambda: client.post(path, follow=True))
    assert statuses(event) == ["pameldt"]
    assert "Påmeldt" in manage.content.decode()
    assert mail.outbox[-1].subject == "Påmeldt: Grunnkurs A"


def test_a_tampered_verification_link_is_refused(vest, client):
    make_event(vest, is_public=True)
    response = client.post("/arrangementer/bekreft/1:feil:signatur/")
    assert "Lenken er ikke gyldig." in response.content.decode()


def test_events_that_are_not_public_are_not_listed(vest, client):
    make_event(vest, is_public=False)
    assert "Grunnkurs A" not in client.get("/arrangementer/kontor/vest/").content.decode()


# --- Offices --------------------------------------------------------------------------------------


def test_another_office_sees_national_events_but_not_regional_ones(
    vest, nord, coordinator_nord, client_for
):
    regional = make_event(vest)
    national = make_event(vest, make_activity(vest, title="ALIS-konferansen"), is_national=True)
    client = client_for(coordinator_nord)
    assert client.get(f"/nord/arrangementer/{regional.pk}/").status_code == 404
    assert client.get(f"/nord/arrangementer/{national.pk}/").status_code == 200
    listing = client.get("/nord/arrangementer/").content.decode()
    assert "ALIS-konferansen" in listing and "Grunnkurs A" not in listing


def test_a_nord_doctor_signs_up_for_a_national_event_run_by_vest(
    vest, nord, alis_vadso, coordinator_vest, client_for
):
    national = make_event(vest, make_activity(vest, title="ALIS-konferansen"), is_national=True)
    response = client_for(alis_vadso).post(f"/nord/arrangementer/{national.pk}/meld-pa/")
    assert response.status_code == 302
    with scope(office=nord):
        [signup] = Signup.objects.filter(event=national)
    assert (signup.office, signup.status) == (nord, SignupStatus.CONFIRMED)
    # The organiser (Vest) sees the participant from Nord on the attendance list.
    page = client_for(coordinator_vest).get(f"/vest/arrangementer/{national.pk}/oppmote/")
    assert alis_vadso.email in page.content.decode()


def test_leader_signs_up_a_doctor_of_their_own_municipality(
    vest, doctor, leader_masfjorden, client_for
):
    event = make_event(vest)
    client = client_for(leader_masfjorden)
    response = client.post(
        f"/vest/arrangementer/{event.pk}/meld-pa-lege/", {"trainee": doctor.pk}, follow=True
    )
    assert "Anna Aase er meldt på." in response.content.decode()
    with scope(office=vest):
        [signup] = Signup.objects.filter(event=event)
    assert (signup.trainee, signup.signed_up_by) == (doctor, leader_masfjorden)


def test_overview_lists_doctors_lacking_a_required_course_and_invites_once(
    vest, doctor, coordinator_vest, client_for, commit
):
    """The overview asks the doctor's standing: only courses required of the doctor (legevakt
    work makes the acute-medicine and violence courses required); the recommended grunnkurs
    never appear. One row per doctor."""
    violence = make_event(
        vest, make_activity(vest, title="Vold og overgrep", course_kind="vold"), capacity=3
    )
    make_event(vest, capacity=3)  # Grunnkurs A: recommended only, never offered here
    with scope(office=vest):
        ServicePeriod.objects.create(
            office=vest,
            served_by=vest,
            trainee=doctor,
            place="Masfjorden legevakt",
            arena="legevakt",
            percentage=20,
            start=date(2025, 1, 1),
            end=date(2025, 12, 31),
        )
        CourseRecord.objects.create(
            office=vest,
            trainee=doctor,
            kind="akutt",
            title="Akuttmedisinkurs",
            hours=30,
            completed_on=date(2025, 5, 1),
        )
    # Bo has no legevakt work: nothing is required of him, so he is not listed.
    make_trainee(
        vest,
        doctor.municipality,
        first_name="Bo",
        last_name="Berg",
        email="bo@example.no",
        hpr_number="7654321",
    )
    client = client_for(coordinator_vest)
    page = client.get("/vest/arrangementer/oversikt/")
    rows = page.context["missing"]
    assert [(m.trainee.full_name, [c.kind for c in m.courses]) for m in rows] == [
        ("Anna Aase", ["vold"])
    ]
    [row] = page.context["missing"]
    assert [e.pk for e in row.courses[0].events] == [violence.pk]
    html = page.content.decode()
    assert "Kurs i vold og overgrep" in html
    assert "Grunnkurs B" not in html and "Inviter Anna Aase til Grunnkurs A" not in html
    mail.outbox.clear()
    for _ in range(2):
        commit(
            lambda: client.post(
                "/vest/arrangementer/oversikt/inviter/",
                {"trainee": doctor.pk, "event": violence.pk},
            )
        )
    [invitation] = mail.outbox
    assert invitation.to == [doctor.email]
    assert invitation.subject == "Invitasjon: Vold og overgrep"
    # Once she has a place, she is no longer listed.
    services.signup_create(
        office=vest, acting_user=coordinator_vest, event=violence, trainee=doctor
    )
    assert client.get("/vest/arrangementer/oversikt/").context["missing"] == []


def test_catalogue_national_template_is_copied_by_another_office(
    vest, nord, coordinator_nord, client_for
):
    template = make_activity(vest, title="FKM-mal: Kommunikasjon", is_national=True)
    client = client_for(coordinator_nord)
    assert "FKM-mal: Kommunikasjon" in client.get("/nord/arrangementer/katalog/").content.decode()
    client.post(f"/nord/arrangementer/katalog/{template.pk}/kopier/")
    with scope(office=nord):
        [copy] = Activity.objects.filter(office=nord)
    assert (copy.title, copy.copied_from_id, copy.programme) == (
        "FKM-mal: Kommunikasjon",
        template.pk,
        template.programme,
    )


def test_event_form_keeps_input_and_explains_a_late_deadline(vest, coordinator_vest, client_for):
    activity = make_activity(vest)
    response = client_for(coordinator_vest).post(
        "/vest/arrangementer/ny/",
        {
            "activity": activity.pk,
            "title": "Grunnkurs A, Bergen",
            "starts_at": "2027-01-10T09:00",
            "ends_at": "2027-01-10T16:00",
            "capacity": "20",
            "signup_deadline": "2027-01-11T09:00",
            "cancel_deadline": "2027-01-05T09:00",
            "price": "2500",
            "payer": "kommune",
        },
    )
    text = response.content.decode()
    assert "Påmeldingsfristen må være før arrangementet starter." in text
    assert 'value="Grunnkurs A, Bergen"' in text


def test_member_signs_up_on_the_page_and_is_wait_listed_when_full(
    vest, alis_masfjorden, client_for
):
    event = make_event(vest, capacity=1)
    sign_up(vest, event, person(vest, "foran@example.no"))
    response = client_for(alis_masfjorden).post(
        f"/vest/arrangementer/{event.pk}/meld-pa/", follow=True
    )
    assert "Arrangementet er fullt: du står på venteliste." in response.content.decode()
    assert statuses(event) == ["pameldt", "venteliste"]


def test_hourly_task_passes_an_expired_offer_to_the_next(vest, commit):
    event = make_event(vest, capacity=1)
    ada, bo, cato = (person(vest, f"{n}@example.no") for n in ("ada", "bo", "cato"))
    first = sign_up(vest, event, ada)
    sign_up(vest, event, bo)
    sign_up(vest, event, cato)
    services.signup_cancel(signup=first, acting_user=ada)
    mail.outbox.clear()
    assert commit(expire_offers) == 0  # Bo's 48 hours are not over
    with time_machine.travel(datetime(2026, 11, 25, 10, 30, tzinfo=OSLO), tick=False):
        assert commit(expire_offers) == 1
    assert statuses(event) == ["avmeldt", "utlopt", "tilbudt"]
    assert [m.to for m in mail.outbox] == [["cato@example.no"]]


def test_demo_has_past_and_upcoming_events_in_two_offices_and_a_national_one(db, client):
    from django.core.management import call_command
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from accounts.models import User
    from events.models import Event

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    now = timezone.now()
    with scopes_disabled():
        events = list(Event.objects.select_related("office"))
    for slug in ("vest", "nord"):
        mine = [e for e in events if e.office.slug == slug and not e.is_national]
        assert any(e.ends_at < now for e in mine), slug
        assert any(e.starts_at > now for e in mine), slug
    [national] = [e for e in events if e.is_national]
    # Evaluations: six of the Vest course (averages shown, computed by hand from the demo's
    # answers: Nytte 5+4+4+3+5+4 = 25/6 ≈ 4.2, Faglig 25/6 ≈ 4.2, Organisering 24/6 = 4.0,
    # samlet 5+4+4+4+5+3 = 25/6 ≈ 4.2); three of the Nord supervisor course (count only).
    vest_past = next(e for e in events if e.office.slug == "vest" and e.ends_at < now)
    nord_past = next(
        e for e in events if e.office.slug == "nord" and e.ends_at < now and not e.is_national
    )
    client.force_login(User.objects.get(email="koordinator.vest@demo.alis.no"))
    summary = client.get(f"/vest/arrangementer/{vest_past.pk}/resultater/").context["summary"]
    assert (summary.count, summary.suppressed, summary.overall) == (6, False, Decimal("4.2"))
    assert [mean for _q, mean in summary.questions] == [
        Decimal("4.2"),
        Decimal("4.2"),
        Decimal("4.0"),
    ]
    client.force_login(User.objects.get(email="koordinator.nord@demo.alis.no"))
    page = client.get(f"/nord/arrangementer/{nord_past.pk}/resultater/").content.decode()
    assert "3 svar. Resultatene vises når minst fem har svart" in page
    # Every office sees the joint national event; Midt organises none of the demo events.
    client.force_login(User.objects.get(email="koordinator.midt@demo.alis.no"))
    assert national.title in client.get("/midt/arrangementer/").content.decode()
    # The Masfjorden doctor attended the past basic course: it is on her requirement page.
    client.force_login(User.objects.get(email="alis.masfjorden@demo.alis.no"))
    page = client.get("/vest/min-plan/krav/")
    assert "Grunnkurs 1 av 4" in page.context["evaluation"].get("courses").text
