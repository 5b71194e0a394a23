"""Grants end to end: claims filed, decided in part with a reason, paid, invoiced for the
municipal share and reported in the yearly settlement — whose totals tie to the hand-computed
claims to the øre. Also who may see and do what, the exports and the overdue reminder."""

import subprocess
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django_scopes import scope
from openpyxl import load_workbook

from audit.models import SecurityEvent
from grants import services
from grants.models import Claim, ClaimStatus, Settlement, ShareInvoice
from grants.selectors import settlement_data
from municipalities.models import Municipality
from notifications.models import Outbox
from notifications.reminders import run_sweep
from offices import clock
from offices.permissions import Role
from trainees.models import SupervisionSession

from .agreement_helpers import add_service, make_agreement, make_trainee
from .conftest import member
from .grant_helpers import (
    PDF,
    invoice_profile,
    national_supervision,
    nord_scheme,
    pilot_claim,
    receipt,
    signed_doctor,
    vest_pilot,
)


def text(response) -> str:
    return " ".join(response.content.decode().split())


def pdf_text(content: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return " ".join(result.stdout.decode().split())


def own_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def nord_doctor(nord, vadso, hpr, first, *, agreement=None, periods=None):
    trainee = make_trainee(nord, vadso, hpr=hpr, first=first)
    for period in periods or [{}]:
        add_service(trainee, **period)
    make_agreement(trainee, **(agreement or {"signed_on": date(2024, 8, 15)}))
    return trainee


@pytest.fixture
def nord_claims(nord, vadso, coordinator_nord):
    """Five ALIS in Vadsø under ALIS Nord's flat 200 000 kr for 2025, computed by hand."""
    doctors = {
        # name: (doctor, what the rules give)
        "full": (nord_doctor(nord, vadso, "1000001", "Full"), Decimal("200000.00")),
        "half": (
            nord_doctor(
                nord,
                vadso,
                "1000002",
                "Halv",
                agreement={"signed_on": date(2025, 6, 20), "start": date(2025, 7, 1)},
            ),
            Decimal("100000.00"),
        ),
        "sixty": (
            nord_doctor(
                nord,
                vadso,
                "1000003",
                "Seksti",
                agreement={"signed_on": date(2024, 8, 15), "percentage": 60},
                periods=[{"percentage": 60}],
            ),
            Decimal("120000.00"),
        ),
        "leave": (
            nord_doctor(
                nord,
                vadso,
                "1000004",
                "=SUM(A1)",
                periods=[
                    {},
                    {"start": date(2025, 3, 1), "end": date(2025, 3, 31), "is_leave": True},
                ],
            ),
            Decimal("183333.33"),
        ),
        "open": (nord_doctor(nord, vadso, "1000005", "Åpen"), Decimal("200000.00")),
    }
    claims = {}
    for key, (trainee, expected) in doctors.items():
        claim = services.claim_create(
            office=nord,
            acting_user=coordinator_nord,
            trainee=trainee,
            scheme=nord_scheme(),
            year=2025,
        )
        claim = services.claim_submit(office=nord, acting_user=coordinator_nord, claim=claim)
        assert claim.claimed_amount == expected, key
        claims[key] = claim
    return claims


def test_settlement_ties_to_the_hand_computed_claims(
    nord, coordinator_nord, nord_claims, client_for
):
    user = coordinator_nord
    for key in ("full", "half", "leave"):
        claim = nord_claims[key]
        services.claim_decide(
            office=nord, acting_user=user, claim=claim, approved_amount=claim.claimed_amount
        )
    with pytest.raises(ValidationError) as error:
        services.claim_decide(
            office=nord,
            acting_user=user,
            claim=nord_claims["sixty"],
            approved_amount=Decimal("100000"),
        )
    assert "Skriv hvorfor kravet bare godkjennes delvis." in str(error.value)
    services.claim_decide(
        office=nord,
        acting_user=user,
        claim=nord_claims["sixty"],
        approved_amount=Decimal("100000"),
        reason="Kurs i mars er ikke dokumentert.",
    )
    for key in ("full", "half", "sixty", "leave"):
        services.claim_mark_paid(
            office=nord, acting_user=user, claim=nord_claims[key], paid_on=date(2026, 2, 2)
        )

    with scope(office=nord):
        data = settlement_data(nord, nord_scheme(), 2025)
        assert [c.trainee.first_name for c in data.open_claims] == ["Åpen"]
        # 200 000 + 100 000 + 120 000 + 183 333,33 krevd; 100 000 of the 120 000 approved.
        assert data.totals["claimed"] == Decimal("603333.33")
        assert data.totals["approved"] == Decimal("583333.33")
        assert (
            nord_claims["sixty"].__class__.objects.get(pk=nord_claims["sixty"].pk).status
            == ClaimStatus.PAID
        )

    client = client_for(user)
    page = text(client.get(f"/nord/tilskudd/oppgjor/{nord_scheme().pk}/2025/"))
    assert '<td id="sum-godkjent">583 333,33 kr</td>' in page

    response = client.get(f"/nord/tilskudd/oppgjor/{nord_scheme().pk}/2025/excel/")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content))["Krav"]
    rows = list(sheet.iter_rows(values_only=True))
    names = [r[2] for r in rows[1:-1]]
    assert "'=SUM(A1) Aase" in names  # a name that looks like a formula stays text
    assert rows[-1][0] == "Sum"
    assert Decimal(str(rows[-1][6])) == Decimal("583333.33")
    assert sum(Decimal(str(r[6])) for r in rows[1:-1]) == Decimal("583333.33")
    assert "Kurs i mars er ikke dokumentert." in [r[7] for r in rows[1:-1]]

    response = client.get(f"/nord/tilskudd/oppgjor/{nord_scheme().pk}/2025/pdf/")
    assert response.status_code == 200
    content = pdf_text(response.content)
    assert "583 333,33 kr" in content and "603 333,33 kr" in content
    exports = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.EXPORT, office=nord)
    assert exports.count() == 2

    response = client.post(f"/nord/tilskudd/oppgjor/{nord_scheme().pk}/2025/rapporter/")
    assert response.status_code == 302
    with scope(office=nord):
        settlement = Settlement.objects.get()
        assert (settlement.claim_count, settlement.approved_total) == (4, Decimal("583333.33"))
        assert Claim.objects.filter(status=ClaimStatus.REPORTED).count() == 4
        assert Claim.objects.get(pk=nord_claims["open"].pk).status == ClaimStatus.SUBMITTED
    with pytest.raises(ValidationError):
        services.settlement_report(office=nord, acting_user=user, scheme=nord_scheme(), year=2025)


def test_supervision_grant_for_a_salaried_doctor_counts_months_with_supervision(
    vest, masfjorden, coordinator_vest
):
    trainee = signed_doctor(vest, masfjorden, employment_form="fastlonn")
    with scope(office=vest):
        for year, month in [(2025, m) for m in range(7, 12)] + [(2026, m) for m in range(1, 7)]:
            SupervisionSession.objects.create(
                office=vest, trainee=trainee, day=date(year, month, 10), hours=Decimal("4")
            )
    claim = services.claim_create(
        office=vest,
        acting_user=coordinator_vest,
        trainee=trainee,
        scheme=national_supervision(),
        year=2025,
    )
    claim = services.claim_submit(office=vest, acting_user=coordinator_vest, claim=claim)
    # 1 Jul 2025 – 30 Jun 2026; no supervision in December: 11 × 4 000 kr.
    assert claim.claimed_amount == Decimal("44000.00")
    page = text(own_client(coordinator_vest).get(f"/vest/tilskudd/krav/{claim.pk}/"))
    assert "31 dager: ingen veiledning registrert i måneden" in page
    assert "Eksempeltall:" in page


def test_leader_files_a_claim_with_receipts_and_the_office_approves_in_part(
    vest, masfjorden, leader_masfjorden, coordinator_vest, alis_masfjorden
):
    trainee = make_trainee(vest, masfjorden, user=alis_masfjorden)
    add_service(trainee)
    make_agreement(trainee, signed_on=date(2024, 8, 15))
    leader, coordinator = own_client(leader_masfjorden), own_client(coordinator_vest)

    response = leader.post(
        "/vest/tilskudd/krav/ny/",
        {"trainee": trainee.pk, "scheme": vest_pilot().pk, "year": "2025"},
    )
    assert response.status_code == 302
    with scope(office=vest):
        claim = Claim.objects.get()
    url = f"/vest/tilskudd/krav/{claim.pk}/"
    expense = {
        "category": "kurs",
        "day": "2025-03-10",
        "amount": "12500.50",
        "description": "Grunnkurs B",
    }
    # A "PDF" that is not one is refused by its content, and the form keeps what was typed.
    fake = receipt("kvittering.pdf", b"<html>ikke en pdf</html>", "application/pdf")
    response = leader.post(url + "utgift/", {**expense, "receipt": fake})
    assert response.status_code == 200
    page = text(response)
    assert "Kvitteringen må være en PDF-, PNG- eller JPG-fil." in page
    assert 'value="Grunnkurs B"' in page
    response = leader.post(url + "utgift/", {**expense, "day": "2024-12-31", "receipt": receipt()})
    assert "Datoen må ligge i tilskuddsåret (01.01.2025–31.12.2025)." in text(response)
    response = leader.post(url + "utgift/", {**expense, "receipt": receipt()})
    assert response.status_code == 302
    response = leader.post(
        url + "utgift/",
        {
            **expense,
            "day": "2025-04-02",
            "amount": "3000",
            "description": "Fondet betaler",
            "covered_by_fund": "on",
            "receipt": receipt("k.pdf", PDF, "application/pdf"),
        },
    )
    assert response.status_code == 302
    page = text(leader.get(url))
    assert "12 500,50 kr" in page and "(dekkes av fondet)" in page

    assert leader.post(url + "send/").status_code == 302
    claim.refresh_from_db()
    assert (claim.status, claim.claimed_amount) == (ClaimStatus.SUBMITTED, Decimal("12500.50"))
    assert claim.share_amount == Decimal("50000.00")
    # A submitted claim cannot be changed, and the leader does not decide.
    response = leader.post(url + "utgift/", {**expense, "receipt": receipt()}, follow=True)
    assert "Kravet er sendt inn og kan ikke endres." in text(response)
    assert leader.post(url + "vedtak/", {"approved_amount": "1"}).status_code == 403

    response = coordinator.post(url + "vedtak/", {"approved_amount": "10000", "reason": ""})
    assert response.status_code == 200
    page = text(response)
    assert "Skriv hvorfor kravet bare godkjennes delvis." in page
    assert 'value="10000"' in page
    response = coordinator.post(url + "vedtak/", {"approved_amount": "13000", "reason": "For mye"})
    assert "Du kan ikke godkjenne mer enn det som er krevd." in text(response)
    coordinator.post(
        url + "vedtak/", {"approved_amount": "10000", "reason": "Reisen er ikke dokumentert."}
    )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PARTLY_APPROVED
    assert claim.approved_amount == Decimal("10000.00")

    # The municipal share, invoiced once the office has its invoice details.
    response = coordinator.post(url + "faktura/", follow=True)
    assert "Fyll ut fakturaoppsettet" in text(response)
    response = coordinator.post(
        "/vest/tilskudd/fakturaoppsett/",
        {
            "invoice_name": "Bergen kommune, ALIS Vest",
            "org_number": "964338532",
            "account_number": "1234.56.78903",
            "payment_days": "30",
        },
    )
    assert "kontrollsifferet stemmer ikke" in text(response)
    assert "Bergen kommune, ALIS Vest" in text(response)
    invoice_profile(vest, coordinator_vest)
    coordinator.post(url + "faktura/")
    with scope(office=vest):
        invoice = ShareInvoice.objects.get()
    today = clock.today()
    assert invoice.number == f"ALIS-VEST-{today.year}-0001"
    assert (invoice.amount, invoice.due_on) == (Decimal("50000.00"), today + timedelta(days=30))
    response = leader.get(f"/vest/tilskudd/faktura/{invoice.pk}/pdf/")
    assert response.status_code == 200
    content = pdf_text(response.content)
    assert "964338531" in content and invoice.number in content
    assert f"{invoice.due_on.day}.{invoice.due_on.month}.{invoice.due_on.year}" in content
    assert "50 000 kr" in content and "ingen KID" in content

    coordinator.post(
        f"/vest/tilskudd/faktura/{invoice.pk}/betalt/",
        {"paid_on": today.isoformat(), "paid_amount": "50000"},
    )
    coordinator.post(url + "utbetalt/", {"paid_on": today.isoformat()})
    invoice.refresh_from_db()
    claim.refresh_from_db()
    assert invoice.paid_amount == Decimal("50000.00")
    assert claim.status == ClaimStatus.PAID

    # The doctor reads their own claim and its receipts, nothing else, and decides nothing.
    doctor = own_client(alis_masfjorden)
    page = text(doctor.get(url))
    assert "Utbetalt" in page and "Reisen er ikke dokumentert." in page
    assert "Fakturer kommunen" not in page and invoice.number not in page
    with scope(office=vest):
        line = claim.expenses.first()
    assert doctor.get(f"{url}utgift/{line.pk}/kvittering/").status_code == 200
    assert doctor.get(f"/vest/tilskudd/faktura/{invoice.pk}/pdf/").status_code == 403
    other = signed_doctor(vest, masfjorden, hpr="2223334", first="Berit")
    other_claim = pilot_claim(vest, leader_masfjorden, other)
    assert doctor.get(f"/vest/tilskudd/krav/{other_claim.pk}/").status_code == 403
    overview = text(doctor.get("/vest/tilskudd/"))
    assert "Anna Aase" in overview and "Berit Aase" not in overview
    assert doctor.get("/vest/tilskudd/krav/ny/").status_code == 403
    assert doctor.get(f"/vest/tilskudd/oppgjor/{vest_pilot().pk}/2025/").status_code == 403


def test_leader_of_another_municipality_sees_neither_claims_nor_invoices(
    vest, masfjorden, leader_masfjorden
):
    bergen = Municipality.objects.get(number="4601")
    bergen_leader = member(vest, Role.MUNICIPAL_LEADER, bergen, email="leder@bergen.example.no")
    claim = pilot_claim(vest, leader_masfjorden, signed_doctor(vest, masfjorden))
    client = own_client(bergen_leader)
    assert client.get(f"/vest/tilskudd/krav/{claim.pk}/").status_code == 403
    assert client.post(f"/vest/tilskudd/krav/{claim.pk}/send/").status_code == 403
    assert "Anna Aase" not in text(client.get("/vest/tilskudd/"))
    # Nor can a leader file a claim for another municipality's doctor.
    with scope(office=vest):
        trainee_id = claim.trainee_id
    response = client.post(
        "/vest/tilskudd/krav/ny/",
        {"trainee": trainee_id, "scheme": vest_pilot().pk, "year": "2025"},
    )
    assert response.status_code == 200
    assert "Velg et gyldig valg" in text(response)


def test_one_claim_per_doctor_scheme_and_year_and_no_claim_for_a_year_not_begun(
    vest, masfjorden, coordinator_vest
):
    trainee = signed_doctor(vest, masfjorden)
    pilot_claim(vest, coordinator_vest, trainee)
    with pytest.raises(ValidationError, match="Det finnes allerede et krav"):
        pilot_claim(vest, coordinator_vest, trainee, expenses=())
    with pytest.raises(ValidationError, match="ikke begynt"):
        pilot_claim(vest, coordinator_vest, trainee, year=clock.today().year + 1, expenses=())


@pytest.mark.dates
def test_overdue_invoice_reminds_the_leader_and_the_office_once_a_week(
    vest, masfjorden, leader_masfjorden, coordinator_vest, django_capture_on_commit_callbacks
):
    claim = pilot_claim(vest, coordinator_vest, signed_doctor(vest, masfjorden))
    services.claim_submit(office=vest, acting_user=coordinator_vest, claim=claim)
    invoice_profile(vest)
    invoice = services.invoice_create(office=vest, acting_user=coordinator_vest, claim=claim)
    today = clock.today()
    mail.outbox.clear()

    def sweep(day):
        with django_capture_on_commit_callbacks(execute=True):
            return run_sweep(office=vest, today=day)

    sweep(invoice.due_on)  # due today: not overdue yet
    with scope(office=vest):
        assert not Outbox.objects.filter(kind="faktura_forfalt").exists()
    overdue_day = invoice.due_on + timedelta(days=3)
    sweep(overdue_day)
    sweep(overdue_day)  # the same week: nothing new
    with scope(office=vest):
        rows = Outbox.objects.filter(kind="faktura_forfalt")
        assert sorted(rows.values_list("recipient", flat=True)) == [
            "koordinator@vest.example.no",
            "leder@masfjorden.example.no",
        ]
        assert "forfalt" in rows.first().subject
    services.invoice_record_payment(
        office=vest,
        acting_user=coordinator_vest,
        invoice=invoice,
        paid_on=today,
        paid_amount=Decimal("50000"),
    )
    sweep(overdue_day + timedelta(days=7))
    with scope(office=vest):
        assert Outbox.objects.filter(kind="faktura_forfalt").count() == 2
