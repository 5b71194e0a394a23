"""The doctor's requirement table (/<office>/min-plan/krav/) and the choice of rule set."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope

from plans.models import RuleSet
from plans.reference import seed_rule_sets
from plans.selectors import rule_set_for
from plans.standing import standing
from trainees.models import CourseRecord, Scheme, ServicePeriod, Trainee

pytestmark = pytest.mark.dates  # CI runs these again with the clock moved


@pytest.fixture(autouse=True)
def rule_sets(db):
    # Migrated data is flushed by transactional tests; put the shipped rule sets back.
    from django.apps import apps

    seed_rule_sets(apps)


def make_trainee(office, municipality, user, *, scheme=Scheme.NEW, start=date(2019, 3, 1)):
    with scope(office=office):
        return Trainee.objects.create(
            office=office,
            municipality=municipality,
            user=user,
            first_name="Anna",
            last_name="Aase",
            email=user.email,
            hpr_number="1234567",
            scheme=scheme,
            conversion_date=date(2020, 1, 1) if scheme == Scheme.CONVERTED else None,
            specialisation_start=start,
        )


def add_period(trainee, start, end, arena="allmennpraksis", percentage=100, **extra):
    with scope(office=trainee.office):
        return ServicePeriod.objects.create(
            office=trainee.office,
            served_by=trainee.office,
            trainee=trainee,
            place="Masfjorden legekontor",
            arena=arena,
            percentage=percentage,
            start=start,
            end=end,
            **extra,
        )


def test_doctor_sees_the_requirement_table(client_for, vest, masfjorden, alis_masfjorden):
    trainee = make_trainee(vest, masfjorden, alis_masfjorden)
    add_period(trainee, date(2019, 3, 1), date(2023, 8, 31))
    add_period(trainee, date(2021, 1, 1), date(2021, 3, 31), is_leave=True)
    add_period(trainee, date(2023, 9, 1), date(2024, 5, 31), "institusjon")
    response = client_for(alis_masfjorden).get("/vest/min-plan/krav/")
    assert response.status_code == 200
    page = response.content.decode()
    evaluation = response.context["evaluation"]
    # Open practice: 1 Mar 2019–31 Aug 2023 = 54 whole calendar months, minus the leave
    # January, February and March 2021 (3 whole months) = 51 months = "4 år 3 mnd" exactly.
    assert evaluation.get("open").text == "4 år 3 mnd av 2 år"
    assert evaluation.get("institution").text == "9 mnd av 6 mnd"
    assert "Samlet tjeneste" in page and "Oppfylt" in page
    # Supervision comes from the
    # supervision log (none recorded here: 0 hours, behind).
    # No courses registered: counted as none taken. The courses are recommended (domain
    # brief), so the row says "Anbefalt" (before: "ikke_oppfylt", as if they were required).
    assert evaluation.get("courses").status == "anbefalt"
    assert evaluation.get("supervision").text.startswith("0 t av ")
    assert evaluation.get("supervision").status == "ikke_oppfylt"
    assert "Ny ordning fra 1. mars 2019" in page


def test_page_is_linked_from_my_plan(client_for, alis_masfjorden):
    page = client_for(alis_masfjorden).get("/vest/min-plan/").content.decode()
    assert 'href="/vest/min-plan/krav/"' in page


def test_doctor_without_a_record_gets_a_friendly_empty_state(client_for, alis_masfjorden):
    response = client_for(alis_masfjorden).get("/vest/min-plan/krav/")
    assert response.status_code == 200
    assert "Vi finner ikke utdanningsløpet ditt her ennå" in response.content.decode()


def test_only_the_doctor_role_has_the_page(client_for, leader_masfjorden, coordinator_vest):
    assert client_for(leader_masfjorden).get("/vest/min-plan/krav/").status_code == 403


def test_query_count_does_not_grow_with_periods(client_for, vest, masfjorden, alis_masfjorden):
    trainee = make_trainee(vest, masfjorden, alis_masfjorden)
    add_period(trainee, date(2019, 3, 1), date(2019, 12, 31))
    client = client_for(alis_masfjorden)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/vest/min-plan/krav/").status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for year in range(2020, 2024):
        add_period(trainee, date(year, 1, 1), date(year, 12, 31), "legevakt", 20)
    # Periods, supervision sessions, group meetings, courses, the plan and the goal coverage
    # per catalogue: a fixed number of queries, however many rows (the plan query finds no
    # versions here, so its prefetches do not run), and the hospital booking that says
    # "Bekreftet plass" on the institution row.
    assert count() == few == 15


def test_rule_set_for_scheme_and_date(db):
    new = RuleSet.objects.get(scheme="ny")
    old = RuleSet.objects.get(scheme="gammel")
    assert (new.total_service_months, new.open_practice_min_months) == (60, 24)
    assert (old.institution_min_months, old.open_practice_min_months) == (12, 48)
    assert rule_set_for(Scheme.NEW, date(2025, 1, 1)) == new
    # A doctor converted from the old scheme follows the new one.
    assert rule_set_for(Scheme.CONVERTED, date(2025, 1, 1)) == new
    assert rule_set_for(Scheme.OLD, date(2025, 1, 1)) == old
    # After its last date the latest old rule set still applies to those who are in it.
    assert rule_set_for(Scheme.OLD, date(2027, 6, 1)) == old
    # Before the new scheme existed there was none.
    assert rule_set_for(Scheme.NEW, date(2018, 1, 1)) is None
    # A revised rule set takes over from its start date; the earlier one stays for history.
    revised = RuleSet.objects.create(
        name="Ny ordning, revidert", scheme="ny", valid_from=date(2027, 1, 1)
    )
    new.valid_to = date(2026, 12, 31)
    new.save()
    assert rule_set_for(Scheme.NEW, date(2026, 12, 31)) == new
    assert rule_set_for(Scheme.NEW, date(2027, 1, 1)) == revised


def test_old_scheme_doctor_is_measured_against_the_old_rules(
    client_for, vest, masfjorden, alis_masfjorden
):
    trainee = make_trainee(vest, masfjorden, alis_masfjorden, scheme=Scheme.OLD)
    add_period(trainee, date(2019, 3, 1), date(2021, 2, 28))
    response = client_for(alis_masfjorden).get("/vest/min-plan/krav/")
    # 1 Mar 2019–28 Feb 2021 = 2 years of the old scheme's 4 years of practice.
    assert response.context["evaluation"].get("open").text == "2 år av 4 år"
    assert response.context["rule_set"].scheme == "gammel"


# --- Courses: recommended, and required for out-of-hours work --------------------------------


def _finished_service(trainee):
    """Open practice 1.3.2019–31.8.2023 (4 år 6 mnd) and institution 1.9.2023–29.2.2024
    (6 mnd): every service requirement met on 29.2.2024. No supervision or group meetings are
    registered, so those two are not met (by hand: the programme is over without them)."""
    add_period(trainee, date(2019, 3, 1), date(2023, 8, 31))
    add_period(trainee, date(2023, 9, 1), date(2024, 2, 29), "institusjon")


def _row(page, key):
    return page.split(f'data-requirement="{key}"')[1].split("</tr>")[0]


def test_missing_recommended_courses_leave_the_status_alone(
    client_for, vest, masfjorden, alis_masfjorden
):
    trainee = make_trainee(vest, masfjorden, alis_masfjorden)
    _finished_service(trainee)
    page = client_for(alis_masfjorden).get("/vest/min-plan/krav/").content.decode()
    row = _row(page, "courses")
    assert 'data-status="anbefalt"' in row and ">Anbefalt<" in row
    assert "Grunnkurs 0 av 4, akuttmedisin –, emnekurs 0 av 6" in row
    assert "påvirker verken status eller ferdigdato" in row
    assert 'data-requirement="required_courses"' not in page  # no legevakt: nothing required
    with scope(office=vest):
        current = standing(trainee)
    # Behind: only the supervision and group supervision, never the recommended courses.
    assert [r.key for r in current.behind] == ["supervision", "group"]
    assert "kurs" not in current.headline(own=True).behind.lower()
    assert current.projected_completion == date(2024, 2, 29)


def test_legevakt_doctor_without_the_violence_course_is_behind(
    client_for, vest, masfjorden, alis_masfjorden, leader_masfjorden
):
    trainee = make_trainee(vest, masfjorden, alis_masfjorden)
    _finished_service(trainee)
    add_period(trainee, date(2020, 1, 1), date(2020, 12, 31), "legevakt", 20)
    with scope(office=vest):
        CourseRecord.objects.create(
            office=vest,
            trainee=trainee,
            kind="akutt",
            title="Akuttmedisinkurs",
            hours=30,
            completed_on=date(2021, 5, 1),
        )
        current = standing(trainee)
    # Legevakt requires acute medicine (taken) and violence and abuse (not taken); the service
    # is over, so the missing course is not met, like any requirement.
    assert [r.key for r in current.behind] == ["supervision", "group", "required_courses"]
    assert (
        "Kurs som kreves for legevaktarbeid (ikke oppfylt, mangler kurs i vold og overgrep)"
        in current.headline(own=True).behind
    )
    doctor = client_for(alis_masfjorden).get("/vest/min-plan/krav/").content.decode()
    row = _row(doctor, "required_courses")
    assert 'data-status="ikke_oppfylt"' in row
    assert "Akuttmedisin ✓, vold og overgrep –" in row
    assert "Kreves fordi du har legevaktarbeid." in row
    assert "Ta kurs som kreves fordi du har legevaktarbeid: kurs i vold og overgrep." in doctor
    # The leader reads about the doctor in the third person.
    leader = client_for(leader_masfjorden)
    page = leader.get(f"/vest/leger/{trainee.pk}/hvor-star/").content.decode()
    assert "Kreves fordi Anna Aase har legevaktarbeid." in _row(page, "required_courses")
    assert "du har legevaktarbeid" not in page


def test_data_migration_brings_shipped_rule_sets_in_line_and_keeps_office_edits(db):
    # plans 0008 (`courses_as_recommended`): as a database made before it would hold them.
    from django.apps import apps

    from plans.reference import INSTITUTION_PLACEMENT, INSTITUTION_PLACEMENT_0005, READINGS

    courses_question = "Hvilke kurs kreves, og hvilke er anbefalt?"
    before = [r for r in READINGS if r["question"] != courses_question]
    before = [INSTITUTION_PLACEMENT_0005 if r == INSTITUTION_PLACEMENT else r for r in before]
    RuleSet.objects.filter(scheme="ny").update(acute_course_required=True, readings=before)
    edited = {**INSTITUTION_PLACEMENT_0005, "reading": "Kontorets egen tolkning."}
    old = RuleSet.objects.get(scheme="gammel")
    old.acute_course_required = True
    old.readings = [edited]
    old.save()
    own = RuleSet.objects.create(
        name="Kontorets regelsett", scheme="ny", valid_from=date(2030, 1, 1)
    )
    RuleSet.objects.filter(pk=own.pk).update(acute_course_required=True)

    from plans.reference import courses_as_recommended

    courses_as_recommended(apps)
    new = RuleSet.objects.get(scheme="ny", valid_from=date(2019, 3, 1))
    assert new.acute_course_required is False  # the shipped value, corrected
    assert INSTITUTION_PLACEMENT in new.readings  # unedited: the new wording
    assert [r["question"] for r in new.readings].count(courses_question) == 1
    old.refresh_from_db()
    # The shipped old-scheme rule set: corrected too; its edited reading is kept as written.
    assert old.acute_course_required is False
    assert old.readings[0] == edited
    assert courses_question in [r["question"] for r in old.readings]
    # A rule set the office made keeps its own choice.
    own.refresh_from_db()
    assert own.acute_course_required is True
