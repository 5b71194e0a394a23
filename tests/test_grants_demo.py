from django.test import Client
from django_scopes import scopes_disabled

from demo.seed import load_demo_agreements, load_demo_grants, load_demo_users
from grants.models import Claim, ClaimStatus, ShareInvoice
from grants.reference import NORD, VEST_PILOT

EVERY_STATE = {s.value for s in ClaimStatus}


def test_demo_shows_one_claim_in_each_state_for_two_schemes(db):
    load_demo_users()
    load_demo_agreements()
    load_demo_grants()
    load_demo_grants()  # idempotent
    with scopes_disabled():
        for name in (VEST_PILOT, NORD):
            states = list(Claim.objects.filter(scheme__name=name).values_list("status", flat=True))
            assert sorted(states) == sorted(EVERY_STATE), name
        invoices = ShareInvoice.objects.filter(office__slug="vest")
        assert invoices.filter(paid_on__isnull=False).count() == 1
        assert invoices.filter(paid_on__isnull=True).count() == 1
    doctor = Client()
    assert doctor.login(email="alis.masfjorden@demo.alis.no", password="alis-demo-2026")
    page = doctor.get("/vest/tilskudd/").content.decode()
    assert "Utbetalt" in page and "Rapportert til revisor" in page
    assert "Trine Tangen" not in page  # another doctor's claim
