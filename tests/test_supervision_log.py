"""The supervision log: sessions with private minutes, group attendance, compliance per month
and year against the rule set, and the overview of who is behind."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from django_scopes import scope

from plans.reference import seed_rule_sets
from plans.rules import Period, RuleValues, SupervisionSession, supervision_compliance
from trainees import services
from trainees.models import SupervisorRole

from .trainee_factories import (
    make_assignment,
    make_group,
    make_period,
    make_supervisor,
    make_trainee,
)

pytestmark = pytest.mark.dates  # CI runs these again with the clock moved

SECRET = "Hemmelig referat om vanskelig pasientsak"


@pytest.fixture(autouse=True)
def rule_sets(db):
    from django.apps import apps

    seed_rule_sets(apps)


@pytest.fixture
def doctor(vest, masfjorden, alis_masfjorden, veileder_masfjorden):
    trainee = make_trainee(vest, masfjorden, specialisation_start=date(2024, 1, 1))
    with scope(office=vest):
        trainee.user = alis_masfjorden
        trainee.save()
        make_period(trainee, start=date(2024, 1, 1), end=None)
    supervisor = make_supervisor(vest, [masfjorden], user=veileder_masfjorden)
    trainee.veileder_assignment = make_assignment(trainee, supervisor)
    return trainee


def record(trainee, day, hours, minutes=SECRET, **kw):
    return services.session_create(
        office=trainee.office,
        acting_user=None,
        trainee=trainee,
        day=day,
        hours=Decimal(hours),
        assignment=getattr(trainee, "veileder_assignment", None),
        topics=kw.pop("topics", "Kontinuitet"),
        minutes=minutes,
        **kw,
    )


# --- Compliance computed by hand -------------------------------------------------------------


FULL_TIME = Period(date(2024, 1, 1), None, 100, "allmennpraksis")


def test_compliance_per_month_and_year_by_hand():
    rules = RuleValues(name="test")  # 4 h × 10.5 / 12 = 3.5 h a calendar month
    sessions = [
        SupervisionSession(date(2024, 1, 10), Decimal("4")),
        SupervisionSession(date(2024, 1, 24), Decimal("2")),
        SupervisionSession(date(2024, 3, 5), Decimal("3")),
    ]
    c = supervision_compliance(
        sessions,
        rules,
        programme_start=date(2024, 1, 1),
        on=date(2024, 3, 31),
        periods=[FULL_TIME],
    )
    assert [m.hours for m in c.months] == [6, 0, 3]
    assert [m.required for m in c.months] == [Fraction(7, 2)] * 3
    # January: 6 ≥ 3.5; February: 6 < 7 (behind); March: 9 < 10.5 (behind).
    assert [m.behind for m in c.months] == [False, True, True]
    assert (c.hours, c.required) == (9, Fraction(21, 2))
    assert len(c.years) == 1 and c.years[0].hours == 9 and c.years[0].behind


def test_compliance_uses_the_rule_set_and_part_months():
    rules = RuleValues(
        name="test",
        supervision_hours_per_month=Decimal("6"),
        supervision_months_per_year=Decimal("12"),
    )
    # Start 16 June 2024 (30-day month): 15 of 30 days → half of 6 h = 3 h.
    c = supervision_compliance(
        [],
        rules,
        programme_start=date(2024, 6, 16),
        on=date(2025, 1, 15),
        periods=[Period(date(2024, 6, 16), None, 100, "allmennpraksis")],
    )
    assert c.months[0].required == 3
    # January 2025: 15 of 31 days.
    assert c.months[-1].required == Fraction(6 * 15, 31)
    assert [y.start.year for y in c.years] == [2024, 2025]
    assert c.years[0].required == 3 + 6 * 6  # half June + July–December


def _required(periods, on, start=date(2024, 8, 1)):
    c = supervision_compliance(
        [], RuleValues(name="test"), programme_start=start, on=on, periods=periods
    )
    return c.required, [m.required for m in c.months]


def test_the_requirement_accrues_per_month_of_service_not_of_leave():
    # The demo doctor: full time from 1 Aug 2024, 89 days of parental leave 1 Feb–30 Apr 2025,
    # then 60 % open practice beside 40 % out-of-hours work; a hospital half year from 2019 is
    # credited from before the programme. Service by 31 Dec 2025: August 2024–January 2025
    # (6 months) + May–December 2025 (8) = 14 months × 3.5 h = 49 h, not 17 calendar months
    # (59.5 h): the leave adds nothing.
    periods = [
        Period(date(2024, 8, 1), date(2025, 1, 31), 100, "allmennpraksis"),
        Period(date(2025, 2, 1), date(2025, 4, 30), 100, "annet", is_leave=True),
        Period(date(2025, 5, 1), None, 60, "allmennpraksis"),
        Period(date(2025, 5, 1), None, 40, "legevakt"),
        Period(date(2019, 1, 1), date(2019, 6, 30), 100, "institusjon", credited=True),
    ]
    total, months = _required(periods, date(2025, 12, 31))
    assert total == 49
    assert months[5:10] == [Fraction(7, 2), 0, 0, 0, Fraction(7, 2)]  # Jan, Feb–Apr, May
    # On 15 March 2025, in the middle of the leave: still the six months before it, 21 h.
    assert _required(periods, date(2025, 3, 15))[0] == 21


def test_part_time_and_part_leave_accrue_in_proportion():
    # 50 % for all of 2025: 6 months of service → 21 h. A 100 % post with 50 % leave in
    # March–April: 10 + 2 × ½ = 11 months → 38.5 h. Ten days in a 30-day month: 1/3 × 3.5.
    half = [Period(date(2025, 1, 1), date(2025, 12, 31), 50, "allmennpraksis")]
    assert _required(half, date(2025, 12, 31), date(2025, 1, 1))[0] == 21
    part_leave = [
        Period(date(2025, 1, 1), date(2025, 12, 31), 100, "allmennpraksis"),
        Period(date(2025, 3, 1), date(2025, 4, 30), 50, "annet", is_leave=True),
    ]
    assert _required(part_leave, date(2025, 12, 31), date(2025, 1, 1))[0] == Fraction(77, 2)
    ten_days = [Period(date(2025, 6, 1), date(2025, 6, 10), 100, "institusjon")]
    assert _required(ten_days, date(2025, 6, 30), date(2025, 6, 1))[0] == Fraction(7, 6)


# --- Minutes privacy --------------------------------------------------------------------------


def test_doctor_and_veileder_read_the_minutes(
    client_for, doctor, alis_masfjorden, veileder_masfjorden
):
    record(doctor, date(2025, 3, 4), "1.5")
    page = client_for(alis_masfjorden).get("/vest/lege/veiledning/").content.decode()
    assert SECRET in page
    page = client_for(veileder_masfjorden).get(f"/vest/leger/{doctor.pk}/veiledningslogg/")
    assert page.status_code == 200
    assert SECRET in page.content.decode()


@pytest.mark.parametrize("persona", ["leader_masfjorden", "coordinator_vest"])
def test_leader_and_office_see_hours_but_not_minutes(client_for, doctor, persona, request):
    record(doctor, date(2025, 3, 4), "1.5", topics="Multimorbiditet")
    user = request.getfixturevalue(persona)
    response = client_for(user).get(f"/vest/leger/{doctor.pk}/veiledningslogg/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "04.03.2025" in page and "1,50" in page and "Multimorbiditet" in page
    assert SECRET not in page
    # The minutes are not even loaded for them.
    session = response.context["sessions"][0]
    assert "minutes" in session.get_deferred_fields()


def test_leader_cannot_write_minutes(client_for, doctor, leader_masfjorden):
    page = client_for(leader_masfjorden).get(f"/vest/leger/{doctor.pk}/veiledningslogg/ny/")
    assert page.status_code == 200
    assert 'name="minutes"' not in page.content.decode()


def test_veileder_of_another_doctor_gets_403(client_for, doctor, vest, masfjorden):
    from .conftest import member

    other = member(vest, "veileder", masfjorden, email="annen.veileder@example.no")
    assert client_for(other).get(f"/vest/leger/{doctor.pk}/veiledningslogg/").status_code == 403


def test_veileder_records_a_session_with_minutes(client_for, doctor, veileder_masfjorden):
    client = client_for(veileder_masfjorden)
    response = client.post(
        f"/vest/leger/{doctor.pk}/veiledningslogg/ny/",
        {
            "day": "2025-04-02",
            "hours": "2",
            "assignment": doctor.veileder_assignment.pk,
            "topics": "Legevakt",
            "minutes": SECRET,
        },
    )
    assert response.status_code == 302
    with scope(office=doctor.office):
        session = doctor.supervision_sessions.get()
    assert (session.hours, session.minutes) == (Decimal("2"), SECRET)


# --- Group attendance, the requirement page and the overview --------------------------------


def test_group_meeting_records_attendance(client_for, doctor, vest, leader_masfjorden):
    group = make_group(vest, [doctor], acting_user=leader_masfjorden)
    client = client_for(leader_masfjorden)
    url = f"/vest/veiledningsgrupper/{group.pk}/moter/"
    response = client.post(url, {"day": "2025-02-10", "hours": "3", "attendees": [doctor.pk]})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "10.02.2025" in page and doctor.full_name in page


def test_requirement_page_shows_supervision_numbers(client_for, doctor, vest, alis_masfjorden):
    record(doctor, date(2024, 2, 1), "10")
    record(doctor, date(2024, 3, 1), "5.5")
    group = make_group(vest, [doctor])
    services.group_meeting_create(
        office=vest,
        acting_user=None,
        group=group,
        day=date(2024, 5, 2),
        hours=Decimal("3"),
        attendees=[doctor],
    )
    response = client_for(alis_masfjorden).get("/vest/min-plan/krav/")
    evaluation = response.context["evaluation"]
    assert evaluation.get("supervision").text.startswith("15,5 t av ")
    assert evaluation.get("group").text.startswith("1 av 21 mnd med møter, 3 t av 120 t, 1 av")


def test_overview_shows_who_is_behind(
    client_for,
    doctor,
    vest,
    masfjorden,
    leader_masfjorden,
    coordinator_vest,
):
    from datetime import timedelta

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from offices import clock

    today = clock.today()
    # Doctor 2 started 40 days ago (full time) and has had plenty of supervision: 12 h against
    # at most 2 months × 3.5 h.
    keen = make_trainee(
        vest,
        masfjorden,
        hpr_number="2345678",
        first_name="Kari",
        email="kari@example.no",
        specialisation_start=today - timedelta(days=40),
    )
    with scope(office=vest):
        make_period(keen, start=today - timedelta(days=40))
    record(keen, today - timedelta(days=5), "12")
    client = client_for(leader_masfjorden)
    with CaptureQueriesContext(connection) as two:
        response = client.get("/vest/veiledningsoversikt/")
    rows = {r.trainee.pk: r for r in response.context["rows"]}
    assert rows[doctor.pk].behind  # full time since January 2024, no sessions
    assert not rows[keen.pk].behind
    assert response.context["behind"] == 1
    # More doctors, with periods and sessions: the page reads every standing at once, so the
    # number of queries stays the same.
    for n in range(5):
        t = make_trainee(vest, masfjorden, hpr_number=f"345678{n}", email=f"{n}@example.no")
        with scope(office=vest):
            make_period(t, start=date(2024, 1, 1), end=date(2024, 12, 31))
            make_period(t, start=date(2025, 1, 1), percentage=50)
        record(t, date(2024, 6, 1), "3")
    with CaptureQueriesContext(connection) as seven:
        response = client.get("/vest/veiledningsoversikt/")
    assert len(response.context["rows"]) == 7
    assert len(seven.captured_queries) == len(two.captured_queries)
    assert client_for(coordinator_vest).get("/vest/veiledningsoversikt/").status_code == 200


def test_log_page_queries_do_not_grow(
    client_for, doctor, alis_masfjorden, django_assert_max_num_queries
):
    for month in range(1, 13):
        record(doctor, date(2024, month, 3), "4")
    client = client_for(alis_masfjorden)
    with django_assert_max_num_queries(15):
        assert client.get("/vest/lege/veiledning/").status_code == 200


def test_session_with_a_veileder_of_another_doctor_is_refused(doctor, vest, masfjorden):
    from django.core.exceptions import ValidationError

    other = make_trainee(vest, masfjorden, hpr_number="2345678", email="b@example.no")
    assignment = make_assignment(
        other, make_supervisor(vest, [masfjorden], name="Ola"), role=SupervisorRole.SUPERVISOR
    )
    with pytest.raises(ValidationError):
        services.session_create(
            office=vest,
            acting_user=None,
            trainee=doctor,
            day=date(2025, 1, 1),
            hours=Decimal("1"),
            assignment=assignment,
        )


def test_overview_is_in_the_menu_and_veileder_reaches_the_log(
    client_for, doctor, leader_masfjorden, veileder_masfjorden, alis_masfjorden
):
    assert (
        "/vest/veiledningsoversikt/"
        in client_for(leader_masfjorden).get("/vest/leger/").content.decode()
    )
    page = client_for(veileder_masfjorden).get("/vest/veiledning/").content.decode()
    assert f"/vest/leger/{doctor.pk}/veiledningslogg/" in page
    assert client_for(alis_masfjorden).get("/vest/veiledningsoversikt/").status_code == 403


# --- Issue 10: access ends with the assignment ---------------------------------------------------


def _end_assignment(doctor, day):
    with scope(office=doctor.office):
        services.assignment_end(
            office=doctor.office,
            acting_user=None,
            assignment=doctor.veileder_assignment,
            end=day,
        )


def test_veileder_loses_the_log_when_the_assignment_ends(client_for, doctor, veileder_masfjorden):
    record(doctor, date(2025, 3, 4), "1.5")
    client = client_for(veileder_masfjorden)
    assert client.get(f"/vest/leger/{doctor.pk}/veiledningslogg/").status_code == 200
    _end_assignment(doctor, date(2026, 10, 31))  # the suite's today is 23 Nov 2026
    assert client.get(f"/vest/leger/{doctor.pk}/veiledningslogg/").status_code == 404
    assert client.get(f"/vest/leger/{doctor.pk}/veiledningslogg/ny/").status_code == 404
    response = client.post(
        f"/vest/leger/{doctor.pk}/veiledningslogg/ny/",
        {"day": "2026-11-20", "hours": "2", "assignment": doctor.veileder_assignment.pk},
    )
    assert response.status_code == 404
    from trainees.models import SupervisionSession as Session

    with scope(office=doctor.office):
        assert Session.objects.filter(trainee=doctor).count() == 1


def test_sessions_dated_after_the_assignment_are_refused_by_the_service(
    doctor, veileder_masfjorden
):
    from django.core.exceptions import ValidationError

    _end_assignment(doctor, date(2026, 10, 31))
    with pytest.raises(ValidationError) as refused:
        services.session_create(
            office=doctor.office,
            acting_user=veileder_masfjorden,
            trainee=doctor,
            day=date(2026, 11, 2),
            hours=Decimal("1"),
            assignment=doctor.veileder_assignment,
        )
    assert "utenfor veilederoppnevningen (01.01.2024–31.10.2026)" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        services.session_create(
            office=doctor.office,
            acting_user=veileder_masfjorden,
            trainee=doctor,
            day=date(2026, 11, 2),
            hours=Decimal("1"),
        )
    assert "ikke oppnevnt som veileder eller supervisør" in str(refused.value)
    # A session inside the assignment can still be recorded afterwards.
    services.session_create(
        office=doctor.office,
        acting_user=veileder_masfjorden,
        trainee=doctor,
        day=date(2026, 10, 30),
        hours=Decimal("1"),
        assignment=doctor.veileder_assignment,
    )


def test_group_hours_follow_a_doctor_who_moves_to_another_office(
    client_for,
    doctor,
    vest,
    vadso,
    leader_masfjorden,
    coordinator_vest,
    coordinator_nord,
    alis_masfjorden,
):
    """The meeting stays with the old office's group; the doctor's attendance counts in the
    new office's figures (3 h of group supervision in May 2024, by hand)."""
    from django.test import Client

    group = make_group(vest, [doctor], name="Gruppe Nordhordland")
    services.group_meeting_create(
        office=vest,
        acting_user=None,
        group=group,
        day=date(2024, 5, 2),
        hours=Decimal("3"),
        attendees=[doctor],
    )
    transfer = services.transfer_request_create(
        office=vest,
        acting_user=coordinator_vest,
        trainee=doctor,
        to_municipality=vadso,
        on=date(2025, 1, 1),
    )
    services.transfer_request_accept(
        office=vadso.office, acting_user=coordinator_nord, transfer=transfer
    )

    own = Client()
    own.force_login(alis_masfjorden)
    evaluation = own.get("/nord/min-plan/krav/").context["evaluation"]
    assert evaluation.get("group").text.startswith("1 av 21 mnd med møter, 3 t av 120 t")
    log = own.get("/nord/lege/veiledning/").content.decode()
    assert "02.05.2024" in log and "Gruppe Nordhordland" in log

    coordinator = client_for(coordinator_nord)
    rows = coordinator.get("/nord/veiledningsoversikt/").context["rows"]
    (row,) = [r for r in rows if r.trainee.pk == doctor.pk]
    assert row.standing.get("group").text.startswith("1 av 21 mnd med møter, 3 t av 120 t")
    page = coordinator.get(f"/nord/leger/{doctor.pk}/veiledningslogg/").content.decode()
    assert "02.05.2024" in page

    # The old office's group keeps its meeting (the doctor has left the group).
    old = Client()
    old.force_login(coordinator_vest)
    meetings = old.get(f"/vest/veiledningsgrupper/{group.pk}/moter/").content.decode()
    assert "02.05.2024" in meetings
