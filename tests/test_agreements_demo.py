from decimal import Decimal

from django_scopes import scope

from agreements.models import Agreement, AgreementTemplate
from agreements.selectors import grant_claim
from demo.seed import load_demo_agreements, load_demo_users
from municipalities.models import Municipality
from offices.models import Office

from .agreement_helpers import example_scheme, pilot_scheme


def test_demo_fills_agreements_templates_and_claims(db, client):
    load_demo_users()
    load_demo_agreements()
    load_demo_agreements()  # idempotent
    assert AgreementTemplate.objects.filter(office__isnull=True).count() == 1
    assert AgreementTemplate.objects.filter(office__isnull=False).count() == Office.objects.count()
    for slug, number, expected in [
        # Masfjorden signed before the start: the whole pilot year, 200 000 kr.
        ("vest", "4634", Decimal("200000.00")),
        # Vadsø signed 16 Sep: 15 days of September are excluded.
        ("nord", "5607", Decimal("200000") * (11 + Decimal(15) / 30) / 12),
    ]:
        office = Office.objects.get(slug=slug)
        municipality = Municipality.objects.get(number=number)
        with scope(office=office):
            signed = Agreement.objects.filter(municipality=municipality, status="signert")
            assert signed.count() == 1
            pilot = grant_claim(office, municipality, pilot_scheme())
            assert pilot.total == expected.quantize(Decimal("0.01"))
            assert grant_claim(office, municipality, example_scheme()).total > 0
    client.login(email="leder.vadso@demo.alis.no", password="alis-demo-2026")
    page = client.get(f"/nord/tilskudd/{pilot_scheme().pk}/5607/").content.decode()
    assert "15 dager før signering" in page
