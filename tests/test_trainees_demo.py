"""Demo data for doctors and supervisors fills the pages and can be loaded twice."""

from django_scopes import scope, scopes_disabled

from demo.seed import load_demo_trainees, load_demo_users
from offices.models import Office
from trainees.models import ServicePeriod, SupervisionGroup, Supervisor, Trainee


def counts():
    with scopes_disabled():
        return [m.objects.count() for m in (Trainee, ServicePeriod, Supervisor, SupervisionGroup)]


def test_demo_doctors_in_every_office_idempotent(db, client):
    load_demo_users()
    load_demo_trainees()
    first = counts()
    load_demo_trainees()
    assert counts() == first
    for office in Office.objects.all():
        with scope(office=office):
            assert Trainee.objects.filter(office=office).exists(), office
            assert Supervisor.objects.filter(office=office).exists(), office
            assert SupervisionGroup.objects.filter(office=office).exists(), office
    vest = Office.objects.get(slug="vest")
    with scope(office=vest):
        anna = Trainee.objects.get(user__email="alis.masfjorden@demo.alis.no")
        assert anna.municipality.number == "4634"
        periods = list(anna.service_periods.all())
        assert any(p.is_leave for p in periods) and any(p.percentage < 100 for p in periods)
        veileder = anna.supervisors.get(role="veileder")
        assert veileder.supervisor.user.email == "veileder.masfjorden@demo.alis.no"
    with scope(office=Office.objects.get(slug="nord")):
        assert Trainee.objects.get(user__email="alis.vadso@demo.alis.no").municipality.number == (
            "5607"
        )
    client.login(email="alis.masfjorden@demo.alis.no", password="alis-demo-2026")
    assert "Anna Aase" in client.get("/vest/lege/").content.decode()


def test_demo_plan_and_supervision_log(db, client):
    from demo.seed import load_demo_plans_and_supervision
    from goals.sample_catalogue import load_sample_catalogue
    from plans.models import PlanVersion
    from trainees.models import GroupMeeting, SupervisionSession

    load_demo_users()
    load_sample_catalogue()
    load_demo_trainees()
    load_demo_plans_and_supervision()

    def rows():
        with scopes_disabled():
            return [m.objects.count() for m in (PlanVersion, SupervisionSession, GroupMeeting)]

    first = rows()
    load_demo_plans_and_supervision()
    assert rows() == first
    vest = Office.objects.get(slug="vest")
    with scope(office=vest):
        anna = Trainee.objects.get(user__email="alis.masfjorden@demo.alis.no")
        statuses = [v.status for v in PlanVersion.objects.filter(plan__trainee=anna)]
        assert statuses == ["bekreftet", "godkjent"]
        assert anna.supervision_sessions.exists()
    with scope(office=Office.objects.get(slug="nord")):
        ahmed = Trainee.objects.get(user__email="alis.vadso@demo.alis.no")
        assert not PlanVersion.objects.filter(plan__trainee=ahmed).exists()
    client.login(email="alis.masfjorden@demo.alis.no", password="alis-demo-2026")
    page = client.get("/vest/lege/veiledning/").content.decode()
    assert "Ligger etter" in page
    # v1 was approved over a year ago and v2 still waits for the leader: revision is due.
    assert "Revisjon forfaller" in client.get("/vest/min-plan/").content.decode()
    client.login(email="leder.masfjorden@demo.alis.no", password="alis-demo-2026")
    assert "Ligger etter" in client.get("/vest/veiledningsoversikt/").content.decode()


def test_demo_overview_shows_who_holds_the_filled_positions(db):
    """The cold user's finding (issue 13): Anna Aase holds Masfjorden's filled position, with
    Vidar Vik as veileder, a supervision group and an approved plan — the overview and its
    export say so, and the summary counts her."""
    import csv
    import io
    import re

    from django.test import Client

    from demo.seed import load_demo_plans_and_supervision, load_demo_positions
    from goals.sample_catalogue import load_sample_catalogue

    load_demo_users()
    load_sample_catalogue()
    load_demo_positions()
    load_demo_trainees()
    load_demo_trainees()  # still idempotent: the position is taken once
    load_demo_plans_and_supervision()
    coordinator = Client()
    assert coordinator.login(email="koordinator.vest@demo.alis.no", password="alis-demo-2026")
    page = coordinator.get("/vest/oversikt/").content.decode()
    rows = [r.split("</tr>")[0] for r in page.split("<tr")[1:] if "Anna Aase" in r]
    assert len(rows) == 1
    row = rows[0]
    assert (
        "Masfjorden" in row
        and "Besatt" in row
        and "Vidar Vik" in row
        and "Ja" in row
        and "Godkjent" in row
    )
    assert re.search(r"(?<!\d)0 med individuell veileder", page) is None
    assert re.search(r"(?<!\d)0 med gruppeveiledning", page) is None
    text = coordinator.get("/vest/oversikt/eksport.csv").content.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text), delimiter=";"))
    anna = [r for r in table if "Anna Aase" in r]
    assert len(anna) == 1 and "Masfjorden" in anna[0]
    assert anna[0][-3:] == ["Ja", "Ja (Vidar Vik)", "Ja"]  # group, veileder, plan
