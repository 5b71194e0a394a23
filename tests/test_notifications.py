"""Reminders go out once, in Norwegian, with a link; retries, digests and July quiet."""

import smtplib
from datetime import date, datetime, time, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.utils import timezone
from django_scopes import scope

from notifications.models import Delivery, Outbox
from notifications.reminders import run_sweep
from notifications.services import Reminder, preference_set, reminder_queue
from notifications.tasks import deliver, weekly_digest
from offices import clock
from offices.permissions import Role
from plans.rules import add_months

from .agreement_helpers import make_agreement, make_trainee
from .conftest import member
from .conftest import waiting_registration as make_waiting_registration

# Every day here is taken from the suite clock (tests/conftest.py; ALIS_TEST_NOW moves it), never
# fixed: a registration "8 days ago" is 8 days before the day the sweep runs.
pytestmark = pytest.mark.dates

OSLO = ZoneInfo("Europe/Oslo")


@pytest.fixture
def today():
    """The suite clock's day; in quiet July (non-urgent reminders are held) 30 June before it,
    so the reminders these tests look for go out."""
    day = clock.today()
    return date(day.year, 6, 30) if day.month == 7 else day


def next_july(day: date) -> date:
    """5 July of the coming summer (a quiet-July day after `day`)."""
    return date(day.year if day.month < 7 else day.year + 1, 7, 5)


@pytest.fixture
def sweep(vest, today, django_capture_on_commit_callbacks):
    def run(day=None, office=vest):
        with django_capture_on_commit_callbacks(execute=True):
            return run_sweep(office=office, today=day or today)

    return run


@pytest.fixture
def waiting_registration(vest, masfjorden, today):
    """A registration submitted at 10:00 eight days before `today`."""
    registration = make_waiting_registration(masfjorden, days=8)
    submitted = datetime.combine(today - timedelta(days=8), time(10), tzinfo=OSLO)
    with scope(office=vest):
        type(registration).objects.filter(pk=registration.pk).update(submitted_at=submitted)
    mail.outbox.clear()
    return registration


def test_pending_registration_reminds_each_coordinator_once_a_week(
    sweep, today, waiting_registration, coordinator_vest, vest
):
    second = member(vest, Role.COORDINATOR, email="k2@vest.example.no")
    assert sweep() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([coordinator_vest.email, second.email])
    message = mail.outbox[0]
    assert message.subject == "Registrering venter: Masfjorden"
    assert "for 8 dager siden" in message.body
    assert f"/vest/registreringer/{waiting_registration.pk}/" in message.body
    sunday = today + timedelta(days=6 - today.weekday())  # the last day of the same week
    assert sweep(sunday) == 0  # same week: nothing again
    assert len(mail.outbox) == 2
    assert sweep(today + timedelta(days=7)) == 2  # still waiting next week: reminded again


def test_registrations_younger_than_a_week_wait(
    sweep, waiting_registration, coordinator_vest, vest
):
    with scope(office=vest):
        waiting_registration.__class__.objects.update(submitted_at=timezone.now())
    assert sweep(timezone.localdate()) == 0


def test_agreement_ending_within_60_days_reminds_the_leader_once(
    sweep, today, vest, masfjorden, leader_masfjorden
):
    trainee = make_trainee(vest, masfjorden)
    end = today + timedelta(days=45)
    make_agreement(trainee, signed_on=date(2024, 8, 15), end=end)
    sweep()
    [ending] = [m for m in mail.outbox if "går ut" in m.subject]
    assert ending.to == [leader_masfjorden.email]
    assert f"går ut {end.day:02d}.{end.month:02d}.{end.year}" in ending.subject
    sweep(today + timedelta(days=1))
    assert len([m for m in mail.outbox if "går ut" in m.subject]) == 1  # once


def test_quiet_july_holds_non_urgent_reminders(
    sweep, today, waiting_registration, coordinator_vest, vest
):
    assert sweep(next_july(today)) == 1
    assert mail.outbox == []
    with scope(office=vest):
        assert Outbox.objects.get().status == Delivery.HELD


def test_urgent_reminders_go_out_in_july(
    vest, today, coordinator_vest, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reminder_queue(
            office=vest,
            today=next_july(today),
            reminder=Reminder(
                recipient=coordinator_vest.email,
                kind="frist_soknad",
                subject_key="scheme:1",
                period="x",
                subject="Søknadsfrist",
                body="Frist",
                urgent=True,
            ),
        )
    assert len(mail.outbox) == 1


def test_weekly_digest_collects_reminders_into_one_email(
    sweep,
    waiting_registration,
    coordinator_vest,
    vest,
    masfjorden,
    leader_masfjorden,
    django_capture_on_commit_callbacks,
):
    preference_set(user=coordinator_vest, weekly_digest=True)
    sweep()
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        assert weekly_digest(vest.pk) == 1
        assert weekly_digest(vest.pk) == 0  # once
    [digest] = mail.outbox
    assert digest.subject == "Ukens påminnelse fra ALIS Vest (1)"
    assert "Registrering venter: Masfjorden" in digest.body


def test_temporary_mail_errors_are_recorded_and_retried(vest):
    with scope(office=vest):
        row = Outbox.objects.create(
            office=vest,
            recipient="a@example.no",
            kind="k",
            subject_key="s",
            period="p",
            subject="Hei",
            body="Tekst",
        )
    down = smtplib.SMTPServerDisconnected("borte")
    # Celery schedules another try (backing off, at most 5 tries).
    with mock.patch("notifications.services.send_mail", side_effect=down), pytest.raises(Retry):
        deliver.apply(args=(vest.pk, row.pk))
    with scope(office=vest):
        row.refresh_from_db()
    assert (row.status, row.attempts, "borte" in row.last_error) == (Delivery.PENDING, 1, True)
    assert deliver.apply(args=(vest.pk, row.pk)).get() == Delivery.SENT  # the retry succeeds
    with scope(office=vest):
        row.refresh_from_db()
    assert (row.status, row.attempts, len(mail.outbox)) == (Delivery.SENT, 2, 1)
    assert deliver.max_retries == 5


def test_permanent_mail_errors_are_recorded_and_not_retried(vest):
    with scope(office=vest):
        row = Outbox.objects.create(
            office=vest,
            recipient="feil@example.no",
            kind="k",
            subject_key="s",
            period="p",
            subject="Hei",
            body="Tekst",
        )
    refused = smtplib.SMTPRecipientsRefused({"feil@example.no": (550, b"No such user")})
    with mock.patch("notifications.services.send_mail", side_effect=refused) as send:
        deliver.apply(args=(vest.pk, row.pk))
    with scope(office=vest):
        row.refresh_from_db()
    assert (row.status, row.attempts, send.call_count) == (Delivery.FAILED, 1, 1)
    assert "No such user" in row.last_error


def test_delivery_task_stays_in_its_office(vest, nord):
    with scope(office=vest):
        row = Outbox.objects.create(
            office=vest,
            recipient="a@example.no",
            kind="k",
            subject_key="s",
            period="p",
            subject="Hei",
            body="Tekst",
        )
    assert deliver.apply(args=(nord.pk, row.pk)).get() == "skipped"
    assert mail.outbox == []


def test_office_sees_which_reminders_went_out(
    sweep, waiting_registration, client_for, coordinator_vest, leader_masfjorden
):
    sweep()
    page = client_for(coordinator_vest).get("/vest/varsler/").content.decode()
    assert "Registrering venter: Masfjorden" in page and coordinator_vest.email in page
    assert client_for(leader_masfjorden).get("/vest/varsler/").status_code == 403


def test_user_chooses_the_weekly_digest(client_for, leader_masfjorden):
    client = client_for(leader_masfjorden)
    assert client.post("/varslingsvalg/", {"weekly_digest": "on"}).status_code == 302
    assert leader_masfjorden.notification_preference.weekly_digest
    assert "checked" in client.get("/varslingsvalg/").content.decode()


# --- Plans, supervision and sign-off --------------------------------------------------------


def test_missing_plan_after_eight_weeks_reminds_the_leader(
    sweep, today, vest, masfjorden, leader_masfjorden
):
    from .progress_helpers import make_doctor

    make_doctor(vest, masfjorden, specialisation_start=today - timedelta(weeks=8, days=1))
    make_doctor(
        vest,
        masfjorden,
        first_name="Ny",
        hpr_number="001234999",
        specialisation_start=today - timedelta(weeks=3),
    )
    sweep()
    plan_mails = [m for m in mail.outbox if "utdanningsplan mangler" in m.subject]
    assert [m.subject for m in plan_mails] == ["Individuell utdanningsplan mangler for Anna Aase"]
    assert plan_mails[0].to == [leader_masfjorden.email]


def test_supervision_behind_escalates_month_by_month(
    sweep,
    today,
    vest,
    masfjorden,
    alis_masfjorden,
    veileder_masfjorden,
    leader_masfjorden,
    coordinator_vest,
):
    from decimal import Decimal

    from trainees.models import SupervisionSession

    from .progress_helpers import link_supervisor, make_doctor
    from .trainee_factories import make_period

    # Full time from the first of the month 22 months before the last sweep; 5 h of
    # supervision in each of the first 14 months (70 h), then nothing. The last sweep is on
    # the first of this month (or of June, so that no sweep falls in quiet July), a day that
    # has passed on the suite clock.
    last = today.replace(day=1)
    while last.month in (7, 8, 9, 10):
        last = add_months(last, -1)
    start = add_months(last, -22)
    doctor = make_doctor(vest, masfjorden, user=alis_masfjorden, specialisation_start=start)
    link_supervisor(doctor, veileder_masfjorden)
    with scope(office=vest):
        make_period(doctor, start=start, end=None)
        for k in range(14):
            SupervisionSession.objects.create(
                office=vest,
                trainee=doctor,
                hours=Decimal("5"),
                day=add_months(start, k) + timedelta(days=9),
                topics="Vakt",
            )

    def told(day):
        mail.outbox.clear()
        sweep(day)
        return {m.to[0] for m in mail.outbox if "Veiledningen til" in m.subject}

    # The standing asks 4 × 10.5 / 12 = 3.5 h per month of service (full time here), a part
    # month pro rata by days. On the 1st of month 19: 19 × 3.5 = 66.5 h + one day's share
    # (at most 3.5 / 28 = 0.125 h) < 70: not behind. On the 1st of month 20: 70 h + one day's
    # share > 70: behind, and month 19 ended at 70 h, not behind → one month. On the 1st of
    # month 21: month 20 ended at 73.5 h, behind → two months; month 22: three.
    doctor_and_veileder = {alis_masfjorden.email, veileder_masfjorden.email}
    assert told(add_months(start, 19)) == set()
    assert told(add_months(start, 20)) == doctor_and_veileder
    assert told(add_months(start, 21)) == doctor_and_veileder | {leader_masfjorden.email}
    assert told(add_months(start, 22)) == doctor_and_veileder | {
        leader_masfjorden.email,
        coordinator_vest.email,
    }
    assert told(add_months(start, 22) + timedelta(days=1)) == set()  # once a month


def test_goal_waiting_for_the_leader_more_than_14_days(
    sweep, today, vest, masfjorden, leader_masfjorden
):
    from goals.models import GoalProgress, GoalStatus
    from goals.sample_catalogue import load_sample_catalogue

    from .progress_helpers import make_doctor

    doctor = make_doctor(vest, masfjorden, specialisation_start=today - timedelta(weeks=4))
    goal = load_sample_catalogue()[0].goals.order_by("code").first()
    with scope(office=vest):
        GoalProgress.objects.create(
            office=vest,
            trainee=doctor,
            goal=goal,
            status=GoalStatus.SUBMITTED,
            submitted_at=timezone.now() - timedelta(days=15),
        )
    sweep()
    waiting = [m for m in mail.outbox if "venter på godkjenning" in m.subject]
    assert len(waiting) == 1 and waiting[0].to == [leader_masfjorden.email]
    assert f"{goal.code} for Anna Aase" in waiting[0].subject
