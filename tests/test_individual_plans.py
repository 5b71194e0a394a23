"""Individual education plans: versions kept, doctor acknowledges, leader approves, compare,
yearly revision, and the plan feeding the requirement page."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django_scopes import scope

from goals.sample_catalogue import load_sample_catalogue
from plans.models import PlanVersion
from plans.selectors import plan_versions, revision_due
from plans.services import plan_version_acknowledge, plan_version_approve

from .trainee_factories import make_assignment, make_plan_version, make_supervisor, make_trainee


@pytest.fixture
def doctor(vest, masfjorden, alis_masfjorden, leader_masfjorden):
    load_sample_catalogue()
    trainee = make_trainee(vest, masfjorden, specialisation_start=date(2024, 1, 1))
    with scope(office=vest):
        trainee.user = alis_masfjorden
        trainee.save()
    return trainee


def versions_of(trainee):
    with scope(office=trainee.office):
        return plan_versions(trainee)


def _goal(code):
    from plans.models import LearningGoal

    return LearningGoal.objects.filter(code=code).order_by("-catalogue__valid_from").first()


def _arena(arena="allmennpraksis", start=date(2024, 1, 1), end=date(2027, 12, 31), **kw):
    return {
        "arena": arena,
        "place": kw.pop("place", "Masfjorden legekontor"),
        "start": start,
        "end": end,
        "percentage": kw.pop("percentage", 100),
        **kw,
    }


def test_a_new_version_keeps_the_old_one(doctor, leader_masfjorden):
    v1 = make_plan_version(doctor, leader_masfjorden, prior_competence="LIS1 i Bergen")
    v2 = make_plan_version(
        doctor, leader_masfjorden, prior_competence="LIS1 i Bergen og 6 mnd legevakt"
    )
    assert (v1.number, v2.number) == (1, 2)
    with scope(office=doctor.office):
        v1.refresh_from_db()
        assert v1.prior_competence == "LIS1 i Bergen"
        assert PlanVersion.objects.filter(plan__trainee=doctor).count() == 2


def test_leader_creates_a_version_from_the_latest_with_formsets(
    client_for, doctor, leader_masfjorden
):
    make_plan_version(doctor, leader_masfjorden, supervisors="Sara Supervisør")
    client = client_for(leader_masfjorden)
    url = f"/vest/leger/{doctor.pk}/plan/ny-versjon/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Sara Supervisør" in page.content.decode()  # prefilled from version 1
    goal = _goal("ALM-055")
    data = {
        "prior_competence": "LIS1",
        "supervisors": "Sara Supervisør",
        "institution_module": "6",
        "institution_place": "Haukeland",
        "institution_start": "2026-09-01",
        "arena-TOTAL_FORMS": "2",
        "arena-INITIAL_FORMS": "0",
        "arena-MIN_NUM_FORMS": "0",
        "arena-MAX_NUM_FORMS": "1000",
        "arena-0-arena": "allmennpraksis",
        "arena-0-place": "Masfjorden legekontor",
        "arena-0-start": "2024-01-01",
        "arena-0-end": "2026-08-31",
        "arena-0-percentage": "100",
        "arena-1-arena": "institusjon",
        "arena-1-place": "Haukeland",
        "arena-1-start": "2026-09-01",
        "arena-1-end": "2027-02-28",
        "arena-1-percentage": "100",
        "arena-1-goals": [str(goal.pk)],
        "kurs-TOTAL_FORMS": "1",
        "kurs-INITIAL_FORMS": "0",
        "kurs-MIN_NUM_FORMS": "0",
        "kurs-MAX_NUM_FORMS": "1000",
        "kurs-0-kind": "emne",
        "kurs-0-title": "Hudsykdommer",
        "kurs-0-hours": "15",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    versions = versions_of(doctor)
    assert [v.number for v in versions] == [2, 1]
    assert [a.arena for a in versions[0].arenas.all()] == ["allmennpraksis", "institusjon"]
    assert [g.code for g in versions[0].arenas.all()[1].goals.all()] == ["ALM-055"]
    assert versions[0].courses.all()[0].title == "Hudsykdommer"


def test_invalid_input_is_kept(client_for, doctor, leader_masfjorden):
    client = client_for(leader_masfjorden)
    data = {
        "prior_competence": "Noe jeg skrev",
        "arena-TOTAL_FORMS": "1",
        "arena-INITIAL_FORMS": "0",
        "arena-0-arena": "allmennpraksis",
        "arena-0-start": "2025-01-01",
        "arena-0-end": "2024-01-01",
        "arena-0-percentage": "100",
        "kurs-TOTAL_FORMS": "0",
        "kurs-INITIAL_FORMS": "0",
    }
    response = client.post(f"/vest/leger/{doctor.pk}/plan/ny-versjon/", data)
    assert response.status_code == 200
    assert "Noe jeg skrev" in response.content.decode()
    assert versions_of(doctor) == []


def test_doctor_acknowledges_and_leader_approves(
    client_for, doctor, alis_masfjorden, leader_masfjorden
):
    version = make_plan_version(doctor, leader_masfjorden)
    client = client_for(alis_masfjorden)
    page = client.get("/vest/min-plan/")
    assert "Utkast" in page.content.decode()
    assert client.post(f"/vest/min-plan/{version.number}/bekreft/").status_code == 302
    # The doctor cannot approve.
    assert client.post(f"/vest/leger/{doctor.pk}/plan/1/godkjenn/").status_code == 403
    client = client_for(leader_masfjorden)
    # The leader cannot acknowledge for the doctor.
    assert client.post("/vest/min-plan/1/bekreft/").status_code == 403
    assert client.post(f"/vest/leger/{doctor.pk}/plan/1/godkjenn/").status_code == 302
    with scope(office=doctor.office):
        version.refresh_from_db()
    assert version.acknowledged_by == alis_masfjorden and version.acknowledged_at
    assert version.approved_by == leader_masfjorden and version.approved_at
    assert version.status == "godkjent"
    page = client_for(alis_masfjorden).get("/vest/min-plan/").content.decode()
    assert "Godkjent av leder" in page


def test_only_the_doctor_of_the_plan_may_acknowledge(doctor, leader_masfjorden):
    version = make_plan_version(doctor, leader_masfjorden)
    with pytest.raises(PermissionDenied):
        plan_version_acknowledge(
            office=doctor.office, acting_user=leader_masfjorden, version=version
        )


def test_coordinator_may_edit_but_not_approve(client_for, doctor, coordinator_vest):
    make_plan_version(doctor)
    client = client_for(coordinator_vest)
    assert client.get(f"/vest/leger/{doctor.pk}/plan/ny-versjon/").status_code == 200
    assert client.post(f"/vest/leger/{doctor.pk}/plan/1/godkjenn/").status_code == 403


def test_leader_of_another_municipality_gets_403(client_for, doctor, vest):
    from municipalities.models import Municipality

    from .conftest import member

    gulen = Municipality.objects.get(number="4635")
    other = member(vest, "leder", gulen, email="leder@gulen.example.no")
    make_plan_version(doctor)
    client = client_for(other)
    assert client.get(f"/vest/leger/{doctor.pk}/plan/").status_code == 403
    assert client.post(f"/vest/leger/{doctor.pk}/plan/1/godkjenn/").status_code == 403


def test_compare_page_shows_the_differences(client_for, doctor, leader_masfjorden):
    make_plan_version(
        doctor,
        leader_masfjorden,
        supervisors="Sara",
        arenas=[
            _arena(end=date(2026, 12, 31)),
            _arena("legevakt", place="Knarvik legevakt", percentage=20),
        ],
        courses=[{"kind": "A", "title": "", "hours": Decimal("20")}],
    )
    make_plan_version(
        doctor,
        leader_masfjorden,
        supervisors="Sara og Per",
        arenas=[
            _arena(end=date(2027, 6, 30)),
            _arena(
                "institusjon",
                place="Haukeland",
                start=date(2027, 7, 1),
                end=date(2027, 12, 31),
                goals=[_goal("ALM-085")],
            ),
        ],
        courses=[{"kind": "akutt", "title": "", "hours": Decimal("40")}],
    )
    page = (
        client_for(leader_masfjorden)
        .get(f"/vest/leger/{doctor.pk}/plan/sammenlign/", {"fra": 1, "til": 2})
        .content.decode()
    )
    assert "Sara og Per" in page and "Sara</td>" in page
    assert "Knarvik legevakt" in page  # removed arena
    assert "Haukeland" in page  # added arena
    assert "31.12.2026" in page and "30.06.2027" in page  # changed arena
    assert "Kurs i akuttmedisin" in page and "Grunnkurs A" in page
    assert "ALM-085" in page  # goal added


def test_revision_is_due_twelve_months_after_approval(doctor, leader_masfjorden):
    version = make_plan_version(doctor, leader_masfjorden)
    plan_version_approve(office=doctor.office, acting_user=leader_masfjorden, version=version)
    versions = versions_of(doctor)
    approved_on = timezone.localdate(versions[0].approved_at)
    assert not revision_due(versions, approved_on + timedelta(days=364))
    assert revision_due(versions, approved_on.replace(year=approved_on.year + 1) + timedelta(1))
    # A newer version waiting for approval does not settle it; its approval does.
    v2 = make_plan_version(doctor, leader_masfjorden)
    later = approved_on.replace(year=approved_on.year + 1) + timedelta(2)
    assert revision_due(versions_of(doctor), later)
    plan_version_approve(office=doctor.office, acting_user=leader_masfjorden, version=v2)
    with scope(office=doctor.office):
        # As if v2 was approved a month before `later`.
        PlanVersion.objects.filter(pk=v2.pk).update(
            approved_at=timezone.make_aware(datetime.combine(later - timedelta(30), time(12)))
        )
    assert not revision_due(versions_of(doctor), later)


def test_plan_page_shows_revision_due(client_for, doctor, leader_masfjorden):
    version = make_plan_version(doctor, leader_masfjorden)
    with scope(office=doctor.office):
        PlanVersion.objects.filter(pk=version.pk).update(
            approved_at=timezone.now() - timedelta(days=400), approved_by=leader_masfjorden
        )
    page = client_for(leader_masfjorden).get(f"/vest/leger/{doctor.pk}/plan/").content.decode()
    assert "Revisjon forfaller" in page


def test_veileder_of_the_plan_must_be_the_doctors(doctor, vest, masfjorden, leader_masfjorden):
    from django.core.exceptions import ValidationError

    other = make_trainee(vest, masfjorden, hpr_number="2345678", email="b@example.no")
    assignment = make_assignment(other, make_supervisor(vest, [masfjorden]))
    with pytest.raises(ValidationError):
        make_plan_version(doctor, leader_masfjorden, veileder=assignment)


def test_plan_pages_keep_a_fixed_number_of_queries(
    client_for, doctor, leader_masfjorden, django_assert_max_num_queries
):
    goals = [_goal(c) for c in ("ALM-001", "ALM-055", "ALM-085")]
    for n in range(5):
        make_plan_version(
            doctor,
            leader_masfjorden,
            arenas=[
                _arena(goals=goals),
                _arena(
                    "institusjon",
                    place=f"Sykehus {n}",
                    start=date(2028, 1, 1),
                    end=date(2028, 6, 30),
                ),
            ],
            courses=[{"kind": "emne", "title": f"Kurs {i}", "hours": 15} for i in range(4)],
        )
    client = client_for(leader_masfjorden)
    # 22: the page's own reads plus the read-access log row (audit) and the standing.
    with django_assert_max_num_queries(22):
        assert client.get(f"/vest/leger/{doctor.pk}/plan/").status_code == 200
    with django_assert_max_num_queries(20):
        assert (
            client.get(
                f"/vest/leger/{doctor.pk}/plan/sammenlign/", {"fra": 1, "til": 5}
            ).status_code
            == 200
        )
    client = client_for(doctor.user)
    with django_assert_max_num_queries(20):
        assert client.get("/vest/min-plan/").status_code == 200


def test_requirement_page_projects_from_the_plan(
    client_for, doctor, alis_masfjorden, leader_masfjorden
):
    from plans.services import plan_version_approve

    from .trainee_factories import make_period

    make_period(doctor, start=date(2024, 1, 1), end=None)
    page = client_for(alis_masfjorden).get("/vest/min-plan/krav/").content.decode()
    assert "utdanningsplanen" not in page
    # The plan: open practice until mid-2028, then six months at Haukeland.
    version = make_plan_version(
        doctor,
        arenas=[
            _arena(end=date(2028, 6, 30)),
            _arena(
                "institusjon", place="Haukeland", start=date(2028, 7, 1), end=date(2028, 12, 31)
            ),
        ],
    )
    # A draft never changes the official answer; it is shown as a preview only.
    page = client_for(alis_masfjorden).get("/vest/min-plan/krav/").content.decode()
    assert "Prognosen følger den godkjente versjon" not in page
    assert "Hvis planutkastet (versjon 1) godkjennes" in page
    plan_version_approve(office=doctor.office, acting_user=leader_masfjorden, version=version)
    page = client_for(alis_masfjorden).get("/vest/min-plan/krav/").content.decode()
    assert "Prognosen følger den godkjente versjon 1 av utdanningsplanen" in page
    # Institution service is reached on the plan's last day.
    assert "31.12.2028" in page
