"""Goal progress and sign-off: the doctor records and submits, supervisors sign and advise,
the leader approves or returns; digests, progress pages, overview and export."""

import csv
import io
import re
from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope

from accounts.models import Membership
from goals import services as svc
from goals.models import ActivitySignoff, GoalProgress, GoalStatus, LearningActivity
from goals.sample_catalogue import load_sample_catalogue
from offices.permissions import OfficeAccess
from trainees.models import SupervisorRole

from .conftest import pdf_upload
from .progress_helpers import (
    approve_goal,
    first_goals,
    link_supervisor,
    make_doctor,
    record,
    supervisor_user,
)


@pytest.fixture(autouse=True)
def _storage(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


@pytest.fixture
def catalogue(db):
    return load_sample_catalogue()


@pytest.fixture
def doctor(vest, masfjorden, alis_masfjorden, catalogue):
    return make_doctor(vest, masfjorden, user=alis_masfjorden)


@pytest.fixture
def supervisor_masfjorden(vest, masfjorden):
    return supervisor_user(vest, masfjorden)


@pytest.fixture
def team(doctor, veileder_masfjorden, supervisor_masfjorden):
    link_supervisor(doctor, veileder_masfjorden)
    link_supervisor(doctor, supervisor_masfjorden, SupervisorRole.SUPERVISOR, name="Sofie Sup")
    return doctor


def leader_access(vest, leader):
    return OfficeAccess(office=vest, memberships=list(Membership.objects.filter(user=leader)))


def status_of(vest, doctor, goal):
    with scope(office=vest):
        return GoalProgress.objects.get(trainee=doctor, goal=goal)


def test_whole_workflow_through_the_pages(
    client_for,
    vest,
    team,
    alis_masfjorden,
    veileder_masfjorden,
    supervisor_masfjorden,
    leader_masfjorden,
):
    goal = first_goals(1)[0]
    client = client_for(alis_masfjorden)
    response = client.post(
        "/vest/framdrift/aktivitet/ny/",
        {
            "goals": [goal.pk],
            "kind": "klinisk",
            "date": "2025-03-01",
            "description": "Tjue konsultasjoner med diabetes",
            "attachment": pdf_upload("notat.pdf"),
        },
    )
    assert response.status_code == 302
    assert status_of(vest, team, goal).status == GoalStatus.IN_PROGRESS
    assert client.post(f"/vest/framdrift/maal/{goal.pk}/").status_code == 302
    progress = status_of(vest, team, goal)
    assert progress.status == GoalStatus.SUBMITTED

    client = client_for(veileder_masfjorden)
    page = client.get("/vest/signering/").content.decode()
    assert "Tjue konsultasjoner" in page and goal.code in page
    with scope(office=vest):
        activity = LearningActivity.objects.get(trainee=team)
    assert client.post("/vest/signering/", {"activities": [activity.pk]}).status_code == 302
    response = client.post(
        f"/vest/signering/maal/{progress.pk}/", {"text": "Trygg på dette", "recommend": "ja"}
    )
    assert response.status_code == 302

    client = client_for(leader_masfjorden)
    page = client.get(f"/vest/godkjenning/{progress.pk}/").content.decode()
    assert "Trygg på dette" in page and "Tjue konsultasjoner" in page
    assert "Råd fra minst én supervisør" in page  # what is missing is shown
    client.post(f"/vest/godkjenning/{progress.pk}/", {"approve": "1"})
    assert status_of(vest, team, goal).status == GoalStatus.SUBMITTED  # blocked

    client_for(supervisor_masfjorden).post(
        f"/vest/signering/maal/{progress.pk}/", {"text": "Enig", "recommend": "ja"}
    )
    client = client_for(leader_masfjorden)
    assert client.post(f"/vest/godkjenning/{progress.pk}/", {"approve": "1"}).status_code == 302
    progress = status_of(vest, team, goal)
    assert progress.status == GoalStatus.APPROVED
    assert progress.decided_by == leader_masfjorden
    # Every step is in the history.
    steps = [h.status for h in progress.history.order_by("history_date")]
    assert steps[-3:] == [GoalStatus.IN_PROGRESS, GoalStatus.SUBMITTED, GoalStatus.APPROVED]


def test_return_needs_a_reason_and_shows_it_to_the_doctor(
    client_for, vest, team, alis_masfjorden, leader_masfjorden
):
    goal = first_goals(1)[0]
    record(team, [goal])
    progress = svc.goal_submit(office=vest, acting_user=alis_masfjorden, trainee=team, goal=goal)
    client = client_for(leader_masfjorden)
    page = client.post(f"/vest/godkjenning/{progress.pk}/", {"return": "1", "reason": " "})
    assert "Skriv hvorfor målet returneres" in page.content.decode()
    assert status_of(vest, team, goal).status == GoalStatus.SUBMITTED
    client.post(f"/vest/godkjenning/{progress.pk}/", {"return": "1", "reason": "Mangler kurs"})
    assert status_of(vest, team, goal).status == GoalStatus.RETURNED
    page = client_for(alis_masfjorden).get(f"/vest/framdrift/maal/{goal.pk}/").content.decode()
    assert "Mangler kurs" in page
    # Resubmitted: the old advice does not count for the new submission.
    progress = svc.goal_submit(office=vest, acting_user=alis_masfjorden, trainee=team, goal=goal)
    assert progress.submission == 2


def test_approval_is_blocked_without_advice(vest, team, leader_masfjorden, veileder_masfjorden):
    goal = first_goals(1)[0]
    record(team, [goal])
    progress = svc.goal_submit(office=vest, acting_user=team.user, trainee=team, goal=goal)
    access = leader_access(vest, leader_masfjorden)
    with pytest.raises(ValidationError, match="veilederen"):
        svc.goal_approve(
            office=vest, acting_user=leader_masfjorden, access=access, progress=progress
        )
    svc.goal_advise(
        office=vest, acting_user=veileder_masfjorden, progress=progress, text="Ok", recommend=True
    )
    with pytest.raises(ValidationError, match="supervisør"):
        svc.goal_approve(
            office=vest, acting_user=leader_masfjorden, access=access, progress=progress
        )


def test_bulk_signoff_signs_several_activities_in_one_step(
    client_for, vest, team, veileder_masfjorden
):
    goals = first_goals(3)
    activities = [record(team, [g], text=f"Aktivitet {g.code}") for g in goals]
    client = client_for(veileder_masfjorden)
    response = client.post("/vest/signering/", {"activities": [a.pk for a in activities]})
    assert response.status_code == 302
    with scope(office=vest):
        assert ActivitySignoff.objects.filter(signed_by=veileder_masfjorden).count() == 3
    assert "Ingen aktiviteter venter på deg" in client.get("/vest/signering/").content.decode()


def test_only_the_assigned_supervisors_can_sign(
    client_for, vest, masfjorden, team, veileder_masfjorden
):
    activity = record(team, first_goals(1))
    stranger = supervisor_user(vest, masfjorden, email="annen@example.no")
    with pytest.raises(PermissionDenied):
        svc.activities_sign(office=vest, acting_user=stranger, activities=[activity])
    client = client_for(stranger)
    assert "Konsultasjoner med refleksjon" not in client.get("/vest/signering/").content.decode()
    client.post("/vest/signering/", {"activities": [activity.pk]})
    with scope(office=vest):
        assert not ActivitySignoff.objects.exists()
    with scope(office=vest):
        progress = GoalProgress.objects.get(trainee=team)
    assert client.get(f"/vest/signering/maal/{progress.pk}/").status_code == 403


def test_digest_sends_one_mail_per_supervisor_with_single_use_links(
    client_for, vest, team, veileder_masfjorden, supervisor_masfjorden
):
    goals = first_goals(2)
    record(team, [goals[0]])
    record(team, [goals[1]])
    progress = svc.goal_submit(office=vest, acting_user=team.user, trainee=team, goal=goals[0])
    mail.outbox.clear()
    from goals.tasks import send_supervisor_digests

    assert send_supervisor_digests.delay(vest.pk).get() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [veileder_masfjorden.email, supervisor_masfjorden.email]
    )
    body = next(m.body for m in mail.outbox if m.to == [veileder_masfjorden.email])
    links = re.findall(r"https?://\S+/vest/signering/lenke/\S+/", body)
    assert len(links) == 3  # two activities and one goal to advise on
    client = client_for(veileder_masfjorden)
    advise_link = [
        path
        for path in (re.sub(r"https?://[^/]+", "", u) for u in links)
        if client.post(path).url.endswith(f"/signering/maal/{progress.pk}/")
    ]
    assert len(advise_link) == 1
    reused = client.post(advise_link[0])
    assert reused.status_code == 410
    assert "allerede brukt" in reused.content.decode()
    # Somebody else's link does not open for another user.
    other_body = next(m.body for m in mail.outbox if m.to == [supervisor_masfjorden.email])
    other = re.sub(r"https?://[^/]+", "", re.findall(r"https?://\S+/lenke/\S+/", other_body)[0])
    assert client.get(other).status_code == 410


def test_progress_page_shows_counts_share_and_who_we_wait_for(
    client_for,
    vest,
    team,
    veileder_masfjorden,
    supervisor_masfjorden,
    leader_masfjorden,
    alis_masfjorden,
    catalogue,
):
    goals = first_goals(3)
    access = leader_access(vest, leader_masfjorden)
    for goal in goals[:2]:
        approve_goal(
            team, goal, veileder_masfjorden, supervisor_masfjorden, leader_masfjorden, access
        )
    record(team, [goals[2]])
    svc.goal_submit(office=vest, acting_user=team.user, trainee=team, goal=goals[2])
    total = sum(c.goals.count() for c in catalogue)
    share = round(100 * 2 / total)
    page = client_for(alis_masfjorden).get("/vest/framdrift/").content.decode()
    assert f"2 av {total} læringsmål godkjent ({share} %)" in page
    assert f"{goals[2].code} venter på råd fra veilederen" in page
    leader_page = client_for(leader_masfjorden).get(f"/vest/leger/{team.pk}/framdrift/")
    assert f"2 av {total} læringsmål godkjent" in leader_page.content.decode()


def test_office_overview_sorts_doctors_by_risk(
    client_for,
    vest,
    masfjorden,
    team,
    coordinator_vest,
    veileder_masfjorden,
    supervisor_masfjorden,
    leader_masfjorden,
):
    behind = make_doctor(
        vest,
        masfjorden,
        first_name="Bjørn",
        last_name="Bak",
        hpr_number="007654321",
        email="b@example.no",
        specialisation_start=date(2021, 1, 1),
    )
    fresh = make_doctor(
        vest,
        masfjorden,
        first_name="Nina",
        last_name="Ny",
        hpr_number="007654322",
        email="n@example.no",
        specialisation_start=date.today(),
    )
    page = client_for(coordinator_vest).get("/vest/framdrift/oversikt/").content.decode()
    order = [page.index(t.full_name) for t in (behind, team, fresh)]
    assert order == sorted(order)
    assert "Rød: mål langt bak" in page and "Grønn: mål i rute" in page
    by_name = client_for(coordinator_vest).get("/vest/framdrift/oversikt/?sorter=navn")
    text = by_name.content.decode()
    assert text.index("Anna Aase") < text.index("Bjørn Bak") < text.index("Nina Ny")


def test_export_lists_the_approved_goals(
    client_for,
    vest,
    team,
    veileder_masfjorden,
    supervisor_masfjorden,
    leader_masfjorden,
    alis_masfjorden,
):
    from openpyxl import load_workbook

    goals = first_goals(2)
    access = leader_access(vest, leader_masfjorden)
    approve_goal(
        team, goals[0], veileder_masfjorden, supervisor_masfjorden, leader_masfjorden, access
    )
    record(team, [goals[1]])  # in progress: not exported
    client = client_for(alis_masfjorden)
    text = client.get("/vest/framdrift/eksport.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    name = leader_masfjorden.get_full_name()
    assert rows == [
        ["kode", "tittel", "godkjent_dato", "godkjent_av"],
        [goals[0].code, goals[0].title, date.today().isoformat(), name],
    ]
    book = load_workbook(io.BytesIO(client.get("/vest/framdrift/eksport.xlsx").content))
    values = [list(r) for r in book.active.iter_rows(values_only=True)]
    assert values[1] == [goals[0].code, goals[0].title, date.today().isoformat(), name]
    assert len(values) == 2


# Session, user and memberships (3–4 queries) plus the page's own fixed set (lists that
# paginate count their total: one query per list).
PINNED = [9, 9, 9, 9, 7, 9]


def _client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_pages_keep_a_fixed_number_of_queries_with_150_goals(
    client_for,
    vest,
    team,
    veileder_masfjorden,
    supervisor_masfjorden,
    leader_masfjorden,
    alis_masfjorden,
    coordinator_vest,
):
    from plans.models import Catalogue, LearningGoal

    access = leader_access(vest, leader_masfjorden)
    goal, waiting = first_goals(2)
    approve_goal(team, goal, veileder_masfjorden, supervisor_masfjorden, leader_masfjorden, access)
    progress = status_of(vest, team, goal)
    record(team, [waiting])  # something in every queue before we count
    svc.goal_submit(office=vest, acting_user=team.user, trainee=team, goal=waiting)
    doctor, veileder, leader, office = (
        _client(u)
        for u in (alis_masfjorden, veileder_masfjorden, leader_masfjorden, coordinator_vest)
    )
    urls = [
        (doctor, "/vest/framdrift/"),
        (doctor, f"/vest/framdrift/maal/{goal.pk}/"),
        (veileder, "/vest/signering/"),
        (leader, f"/vest/godkjenning/{progress.pk}/"),
        (leader, "/vest/godkjenning/"),
        (leader, f"/vest/leger/{team.pk}/framdrift/"),
    ]
    before = {url: _queries(c, url) for c, url in urls}
    overview_before = _queries(office, "/vest/framdrift/oversikt/")

    # A newer ALM catalogue with 150 goals; many activities, approvals and submissions.
    new = Catalogue.objects.create(
        kind="ALM", version="test-150", name="150 mål", valid_from=date(2030, 1, 1)
    )
    big = LearningGoal.objects.bulk_create(
        LearningGoal(catalogue=new, code=f"ALM-{i:03d}", title=f"Mål {i}", theme=f"Tema {i % 7}")
        for i in range(1, 151)
    )
    for g in big[:20]:
        approve_goal(team, g, veileder_masfjorden, supervisor_masfjorden, leader_masfjorden, access)
    for g in big[20:40]:
        record(team, [g])
        svc.goal_submit(office=vest, acting_user=team.user, trainee=team, goal=g)
        svc.goal_advise(
            office=vest,
            acting_user=veileder_masfjorden,
            progress=status_of(vest, team, g),
            text="Ok",
            recommend=True,
        )
    for g in big[40:60]:
        record(team, [g, big[0]])
    for i in range(10):
        make_doctor(vest, team.municipality, hpr_number=f"0099999{i:02d}", email=f"d{i}@example.no")
    after = {url: _queries(c, url) for c, url in urls}
    assert after == before
    assert list(before.values()) == PINNED, before
    # The office overview shows each doctor's standing (plans.standing), read for every doctor
    # at once (`standings`): ten more doctors, 150 goals, the same number of queries.
    overview_after = _queries(office, "/vest/framdrift/oversikt/")
    assert overview_after == overview_before


def test_history_records_who_took_each_step(
    vest, team, veileder_masfjorden, supervisor_masfjorden, leader_masfjorden
):
    goal = first_goals(1)[0]
    access = leader_access(vest, leader_masfjorden)
    approve_goal(team, goal, veileder_masfjorden, supervisor_masfjorden, leader_masfjorden, access)
    steps = [
        (h.status, h.history_user)
        for h in status_of(vest, team, goal).history.order_by("history_date")
    ]
    assert steps[-2:] == [
        (GoalStatus.SUBMITTED, team.user),
        (GoalStatus.APPROVED, leader_masfjorden),
    ]


def test_digest_task_stays_in_its_office(vest, nord, team, veileder_masfjorden):
    from goals.models import DigestLink
    from goals.tasks import send_supervisor_digests

    record(team, first_goals(1))
    mail.outbox.clear()
    assert send_supervisor_digests.delay(nord.pk).get() == 0
    assert mail.outbox == []
    with scope(office=nord):
        assert not DigestLink.objects.exists()


def test_opening_a_digest_link_uses_nothing_until_the_button_is_pressed(
    client_for, vest, team, veileder_masfjorden
):
    """Mail scanners open links before people do: GET shows a button, only POST uses the link."""
    from goals.models import DigestLink

    activity = record(team, first_goals(1))
    with scope(office=vest):
        [(_item, link)] = svc.digest_links_create(
            office=vest, user=veileder_masfjorden, items=[activity]
        )
    path = re.sub(r"https?://[^/]+", "", link)
    client = client_for(veileder_masfjorden)
    for _scanner in range(2):
        page = client.get(path)
        assert page.status_code == 200
        assert "Gå til saken" in page.content.decode()
    with scope(office=vest):
        assert DigestLink.objects.get().used_at is None
    used = client.post(path)
    assert used.status_code == 302
    assert used.url == f"/vest/signering/#aktivitet-{activity.pk}"
    with scope(office=vest):
        assert DigestLink.objects.get().used_at is not None
    again = client.get(path)
    assert again.status_code == 410
    assert "allerede brukt" in again.content.decode()


def test_an_expired_digest_link_says_so(client_for, vest, team, veileder_masfjorden):
    from datetime import timedelta

    from django.utils import timezone

    from goals.models import DigestLink

    activity = record(team, first_goals(1))
    with scope(office=vest):
        [(_item, link)] = svc.digest_links_create(
            office=vest, user=veileder_masfjorden, items=[activity]
        )
        DigestLink.objects.update(created_at=timezone.now() - timedelta(days=31))
    response = client_for(veileder_masfjorden).get(re.sub(r"https?://[^/]+", "", link))
    assert response.status_code == 410
    assert "utløpt" in response.content.decode()


def test_old_catalogue_goals_the_doctor_worked_on_stay_on_the_progress_page(
    client_for, vest, team, alis_masfjorden
):
    from plans.models import Catalogue, LearningGoal

    old_goal = first_goals(1)[0]
    record(team, [old_goal], text="Arbeid på gammel versjon")
    new = Catalogue.objects.create(
        kind="ALM", version="neste", name="Neste versjon", valid_from=date(2030, 1, 1)
    )
    LearningGoal.objects.create(catalogue=new, code="ALM-999", title="Nytt mål", theme="Nytt")
    page = client_for(alis_masfjorden).get("/vest/framdrift/").content.decode()
    assert "ALM-999" in page and old_goal.title in page


def test_daily_digest_entry_point_covers_every_office(
    vest, team, veileder_masfjorden, supervisor_masfjorden
):
    from goals.tasks import send_supervisor_digests_for_all_offices

    record(team, first_goals(1))
    mail.outbox.clear()
    send_supervisor_digests_for_all_offices.delay()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [veileder_masfjorden.email, supervisor_masfjorden.email]
    )
