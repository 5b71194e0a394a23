"""The demo shows a lively region in every office, and loading it twice changes nothing."""

from django.core.management import call_command
from django_scopes import scopes_disabled

from accounts.models import Membership
from municipalities.models import (
    ContactLogEntry,
    CooperationAgreement,
    EducationPlan,
    EducationUnitRegistration,
    LearningArena,
    MunicipalityProfile,
)
from offices.models import Office
from positions.models import Position
from positions.survey import StatusSurvey, SurveyAnswer


def counts():
    # Cross-office on purpose: the demo spans every office.
    with scopes_disabled():
        return [
            m.objects.count()
            for m in (
                EducationUnitRegistration,
                EducationPlan,
                LearningArena,
                CooperationAgreement,
                Membership,
                Position,
                ContactLogEntry,
                MunicipalityProfile,
                StatusSurvey,
                SurveyAnswer,
            )
        ]


def test_load_demo_is_idempotent_and_every_office_has_units(db, client):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    first = counts()
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert counts() == first
    with scopes_disabled():
        for office in Office.objects.all():
            statuses = set(
                EducationUnitRegistration.objects.filter(office=office).values_list(
                    "status", flat=True
                )
            )
            assert statuses == {"approved", "pending", "rejected"}, office
        for number in ("4634", "5607"):
            plan = EducationPlan.objects.get(municipality__number=number)
            assert plan.arenas.filter(agreement__counterparty_type="helseforetak").exists()
            assert EducationUnitRegistration.objects.get(
                municipality__number=number, status="approved"
            )
    with scopes_disabled():
        survey = StatusSurvey.objects.get(office__slug="vest")
        answered = [a.municipality.number for a in survey.answers.all() if a.answered_at]
        total = survey.answers.count()
        assert answered == ["4634"] and total > 1
    assert client.login(email="koordinator.vest@demo.alis.no", password="alis-demo-2026")
    page = " ".join(client.get("/vest/oversikt/status/").content.decode().split())
    assert f"1 av {total} kommuner har svart" in page
    client.logout()
    assert client.login(email="leder.masfjorden@demo.alis.no", password="alis-demo-2026")
    page = client.get("/vest/kommuner/4634/").content.decode()
    assert "Haukeland universitetssjukehus" in page and "Helse Bergen HF" in page


def test_every_coordinator_sees_a_lively_region(db, client):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    for office in Office.objects.all():
        assert client.login(
            email=f"koordinator.{office.slug}@demo.alis.no", password="alis-demo-2026"
        )
        dashboard = client.get(f"/{office.slug}/").content.decode()
        assert "(forfalt)" in dashboard, office
        assert "Rekruttering" in client.get(f"/{office.slug}/?problemer=1").content.decode()
        overview = client.get(f"/{office.slug}/oversikt/").content.decode()
        assert "stillinger besatt" in overview, office
        client.logout()
