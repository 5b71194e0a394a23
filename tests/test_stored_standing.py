"""The reports count each doctor's stored standing (`plans.stored`) instead of running the rules
engine for every doctor: what the coordinator reads must still be the answer on the day, the
moment any input changes, and the national report must not grow in queries or in engine runs
with the country."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope, scopes_disabled

from plans.models import RuleSet, StoredStanding
from reports.figures import SUPPRESSED
from reports.national import national_figures
from reports.selectors import projected_completions, regional_figures
from trainees.models import CourseRecord, GroupMeeting, ServicePeriod, SupervisionSession

from . import test_standing
from .test_standing import TODAY
from .trainee_factories import make_period

pytestmark = pytest.mark.dates

# Anna on track, Bjørn at risk, on the frozen day (tests/test_standing.py).
frozen, doctors = test_standing.frozen, test_standing.doctors


def _figures(vest):
    with scope(office=vest):
        figures = regional_figures(vest, TODAY)
    return figures["doctors_at_risk"], figures["doctors_supervision_compliant"]


def _rows(trainees):
    with scopes_disabled():
        return {row.trainee_id: row for row in StoredStanding.objects.filter(trainee__in=trainees)}


def _engine_must_not_run(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the rules engine ran although every answer was stored")

    monkeypatch.setattr("plans.standing.evaluate", refuse)


def test_the_report_stores_the_answers_and_counts_them_next_time(doctors, vest, monkeypatch):
    anna, bjorn = doctors
    # Anna is on track with supervision and her plan; Bjørn (60 %, no plan, no supervision)
    # is at risk. Anna finishes 31.12.2027; Bjørn's finish cannot be projected.
    assert _figures(vest) == (1, 1)
    rows = _rows([anna, bjorn])
    assert {pk: (r.on, r.stale) for pk, r in rows.items()} == {
        anna.pk: (TODAY, False),
        bjorn.pk: (TODAY, False),
    }
    assert rows[anna.pk].projected_completion == date(2027, 12, 31)
    assert rows[bjorn.pk].at_risk and not rows[anna.pk].at_risk

    _engine_must_not_run(monkeypatch)
    assert _figures(vest) == (1, 1)
    with scope(office=vest):
        assert projected_completions(vest, TODAY) == {"2027": 1, "ukjent": 1}


def test_a_change_shows_in_the_next_report_at_once(doctors, vest):
    anna, bjorn = doctors
    assert _figures(vest) == (1, 1)
    # Anna's supervision is deleted (logged on the wrong doctor, say): she is behind now.
    with scope(office=vest):
        for session in SupervisionSession.objects.filter(trainee=anna):
            session.delete()
    assert _rows([anna])[anna.pk].stale
    assert _figures(vest) == (2, 0)


@pytest.mark.parametrize(
    "change",
    [
        "period_added",
        "period_changed",
        "session_added",
        "course_deleted",
        "meeting_moved",
        "attendance_removed",
        "meeting_deleted",
        "plan_version_deleted",
        "arena_changed",
        "doctor_changed",
    ],
)
def test_every_input_of_the_standing_marks_the_stored_answer_stale(doctors, vest, change):
    anna, bjorn = doctors
    assert _figures(vest) == (1, 1)
    with scope(office=vest):
        if change == "period_added":
            make_period(bjorn, start=date(2026, 11, 1), end=None, percentage=40, place="Legevakt")
        elif change == "period_changed":
            period = ServicePeriod.objects.get(trainee=anna)
            period.percentage = 50
            period.save()
        elif change == "session_added":
            SupervisionSession.objects.create(
                office=vest, trainee=anna, day=date(2026, 11, 20), hours=Decimal(2), topics="Ekstra"
            )
        elif change == "course_deleted":
            CourseRecord.objects.filter(trainee=anna).first().delete()
        elif change == "meeting_moved":
            meeting = GroupMeeting.objects.filter(attendees=anna).first()
            meeting.hours = Decimal(1)
            meeting.save()
        elif change == "attendance_removed":
            GroupMeeting.objects.filter(attendees=anna).first().attendees.remove(anna)
        elif change == "meeting_deleted":
            GroupMeeting.objects.filter(attendees=anna).first().delete()
        elif change == "plan_version_deleted":
            anna.individual_plan.versions.get().delete()
        elif change == "arena_changed":
            arena = anna.individual_plan.versions.get().arenas.order_by("start").last()
            arena.end = date(2028, 6, 30)
            arena.save()
        elif change == "doctor_changed":
            anna.specialisation_start = date(2023, 2, 1)
            anna.save()
    rows = _rows([anna, bjorn])
    changed = bjorn if change == "period_added" else anna
    other = anna if changed is bjorn else bjorn
    assert rows[changed.pk].stale, change
    assert not rows[other.pk].stale, change  # the other doctor's answer is kept


def test_a_rule_set_change_marks_every_stored_answer_stale(doctors, vest):
    anna, bjorn = doctors
    _figures(vest)
    rule_set = RuleSet.objects.filter(scheme="ny").order_by("valid_from").last()
    rule_set.supervision_hours_per_month = rule_set.supervision_hours_per_month + 1
    rule_set.save()
    assert all(row.stale for row in _rows([anna, bjorn]).values())


def test_an_answer_computed_while_the_data_changed_is_not_stored_as_fresh(
    doctors, vest, monkeypatch
):
    """A refresh reads Anna's supervision; before it writes, her sessions are deleted. Writing
    its answer as fresh would keep her "on track" in every report until the next change."""
    from plans import standing as standing_module
    from plans.stored import refresh

    anna, bjorn = doctors
    real = standing_module.standings

    def standings_then_a_change(trainees, on, **kwargs):
        answer = real(trainees, on, **kwargs)
        with scopes_disabled():
            for session in SupervisionSession.objects.filter(trainee=anna):
                session.delete()
        return answer

    monkeypatch.setattr(standing_module, "standings", standings_then_a_change)
    assert refresh([anna, bjorn], TODAY) == 1  # Bjørn's answer; Anna's is left stale
    monkeypatch.setattr(standing_module, "standings", real)
    rows = _rows([anna, bjorn])
    assert rows[anna.pk].stale and not rows[bjorn.pk].stale
    assert _figures(vest) == (2, 0)


def test_a_report_for_another_day_is_computed_and_leaves_todays_answers(doctors, vest):
    anna, bjorn = doctors
    _figures(vest)
    with scope(office=vest):
        # On 1 June 2024 Anna had 17 months of supervision and her plan; Bjørn had started.
        figures = regional_figures(vest, date(2024, 6, 1))
    assert figures["doctors_active"] == 2
    assert {r.on for r in _rows([anna, bjorn]).values()} == {TODAY}


def test_the_nightly_refresh_lets_the_national_report_count_without_the_engine(
    doctors, vest, nord, vadso, monkeypatch, django_capture_on_commit_callbacks
):
    from plans.tasks import refresh_standings

    from .progress_helpers import make_doctor

    make_doctor(
        nord,
        vadso,
        first_name="Nils",
        last_name="Nord",
        email="nils@example.no",
        hpr_number="009876543",
    )
    result = refresh_standings.delay().get()
    assert result == {"doctors": 3, "fresh": 3}
    _engine_must_not_run(monkeypatch)
    with CaptureQueriesContext(connection) as queries:
        national = national_figures(TODAY)
    # The offices, the stored answers counted, the positions counted, the doctors counted.
    assert len(queries.captured_queries) == 4
    active = {row["office"]: row["figures"]["doctors_active"] for row in national["offices"]}
    assert active["ALIS Vest"] == active["ALIS Nord"] == SUPPRESSED  # 2 and 1
    assert active["ALIS Øst"] == 0
    assert _figures(vest) == (1, 1)  # Vest's own report, from the same stored answers


def test_the_worker_refreshes_a_changed_doctor_once_the_change_is_saved(
    doctors, vest, monkeypatch, django_capture_on_commit_callbacks
):
    anna, bjorn = doctors
    assert _figures(vest) == (1, 1)
    with django_capture_on_commit_callbacks(execute=True), scope(office=vest):
        for session in SupervisionSession.objects.filter(trainee=anna):
            session.delete()  # Anna's supervision was logged on the wrong doctor
    rows = _rows([anna, bjorn])
    assert not rows[anna.pk].stale and not rows[anna.pk].supervision_compliant
    _engine_must_not_run(monkeypatch)  # the report counts the refreshed rows
    assert _figures(vest) == (2, 0)
