"""Demo data for doctors and supervisors fills the pages and can be loaded twice."""

from django_scopes import scope, scopes_disabled

from offices.demo import load_demo_trainees, load_demo_users
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
