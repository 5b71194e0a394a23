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
