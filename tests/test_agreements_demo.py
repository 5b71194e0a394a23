from django_scopes import scope

from agreements.models import Agreement, AgreementTemplate
from demo.seed import load_demo_agreements, load_demo_users
from municipalities.models import Municipality
from offices.models import Office


def test_demo_fills_agreements_and_templates(db, client):
    load_demo_users()
    load_demo_agreements()
    load_demo_agreements()  # idempotent
    assert AgreementTemplate.objects.filter(office__isnull=True).count() == 1
    assert AgreementTemplate.objects.filter(office__isnull=False).count() == Office.objects.count()
    for slug, number in [("vest", "4634"), ("nord", "5607")]:
        office = Office.objects.get(slug=slug)
        municipality = Municipality.objects.get(number=number)
        with scope(office=office):
            signed = Agreement.objects.filter(municipality=municipality, status="signert")
            assert signed.count() == 1
