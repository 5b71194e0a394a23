"""What cold testers found in grants: regional schemes used by another office, reads of a
doctor's grant data not logged, receipts served under the uploader's name, a running year
claimed and reported as if it were over, raw codes on the page, amounts typed the Norwegian way
refused, a clumsy upload message and dates as text in the auditor's spreadsheet."""

from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django_scopes import scope
from openpyxl import load_workbook

from audit.models import ReadAccess, SecurityEvent
from grants import services
from grants.models import Claim, ClaimStatus, ExpenseLine, Scheme, Settlement
from grants.reference import NATIONAL_AGREEMENTS, NATIONAL_SUPERVISION, NORD, VEST_PILOT
from offices.forms import parse_norwegian_decimal
from offices.uploads import validate_content

from .agreement_helpers import add_service, make_agreement, make_trainee
from .grant_helpers import (
    PDF,
    invoice_profile,
    nord_scheme,
    pilot_claim,
    receipt,
    signed_doctor,
    vest_pilot,
)

OSLO = ZoneInfo("Europe/Oslo")


def text(response) -> str:
    return " ".join(response.content.decode().split())


def own_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- 1. Regional schemes belong to their office ---------------------------------------------


def test_the_seeded_regional_schemes_belong_to_their_office_and_the_national_to_none(db):
    offices = dict(Scheme.objects.values_list("name", "office__slug"))
    assert offices[VEST_PILOT] == "vest"
    assert offices[NORD] == "nord"
    assert offices[NATIONAL_AGREEMENTS] is None
    assert offices[NATIONAL_SUPERVISION] is None


def test_an_office_sees_and_uses_only_national_schemes_and_its_own(
    vest, nord, masfjorden, leader_masfjorden, coordinator_vest, coordinator_nord
):
    trainee = signed_doctor(vest, masfjorden)
    leader = own_client(leader_masfjorden)

    form = text(leader.get("/vest/tilskudd/krav/ny/"))
    assert VEST_PILOT in form and NATIONAL_AGREEMENTS in form
    assert NORD not in form
    nord_page = text(own_client(coordinator_nord).get("/nord/tilskudd/"))
    assert NORD in nord_page and NATIONAL_SUPERVISION in nord_page
    assert VEST_PILOT not in nord_page

    # A Vest leader POSTs ALIS Nord's scheme: refused with a message, nothing saved.
    response = leader.post(
        "/vest/tilskudd/krav/ny/", {"trainee": trainee.pk, "scheme": nord_scheme().pk, "year": 2025}
    )
    assert response.status_code == 200
    assert "Velg en av ordningene i listen" in text(response)
    with scope(office=vest):
        assert not Claim.objects.exists()

    # The service refuses it too, in words, whoever calls it.
    with pytest.raises(ValidationError) as error:
        services.claim_create(
            office=vest,
            acting_user=coordinator_vest,
            trainee=trainee,
            scheme=nord_scheme(),
            year=2025,
        )
    assert "«ALIS Nord (fra 2019)» er en ordning for et annet ALIS-kontor" in str(error.value)
    with pytest.raises(ValidationError, match="annet ALIS-kontor"):
        services.settlement_report(
            office=vest, acting_user=coordinator_vest, scheme=nord_scheme(), year=2025
        )
    # Nor can the office open another office's scheme's settlement.
    coordinator = own_client(coordinator_vest)
    assert coordinator.get(f"/vest/tilskudd/oppgjor/{nord_scheme().pk}/2025/").status_code == 404
    assert (
        coordinator.post(f"/vest/tilskudd/oppgjor/{nord_scheme().pk}/2025/rapporter/").status_code
        == 404
    )
    with scope(office=vest):
        assert not Settlement.objects.exists()


# --- 2. Reads of a doctor's grant data are logged; receipts are served safely -----------------


def test_reading_a_claim_its_receipt_and_its_invoice_is_logged_for_the_doctor_to_see(
    vest, masfjorden, coordinator_vest, alis_masfjorden
):
    trainee = make_trainee(vest, masfjorden, user=alis_masfjorden)
    add_service(trainee)
    make_agreement(trainee, signed_on=date(2024, 8, 15))
    claim = services.claim_create(
        office=vest, acting_user=coordinator_vest, trainee=trainee, scheme=vest_pilot(), year=2025
    )
    line = services.expense_add(
        office=vest,
        acting_user=coordinator_vest,
        claim=claim,
        category="kurs",
        day=date(2025, 3, 1),
        amount=Decimal("12000"),
        description="Grunnkurs",
        receipt=receipt("x.html", PDF, "text/html"),
    )
    services.claim_submit(office=vest, acting_user=coordinator_vest, claim=claim)
    invoice_profile(vest)
    invoice = services.invoice_create(office=vest, acting_user=coordinator_vest, claim=claim)
    coordinator = own_client(coordinator_vest)

    def reads():
        with scope(office=vest):
            return list(
                ReadAccess.objects.filter(trainee_id=trainee.pk)
                .order_by("pk")
                .values_list("what", flat=True)
            )

    def exports():
        return list(
            SecurityEvent.objects.filter(kind=SecurityEvent.Kind.EXPORT)
            .order_by("pk")
            .values_list("detail", flat=True)
        )

    assert coordinator.get(f"/vest/tilskudd/krav/{claim.pk}/").status_code == 200
    assert reads() == [f"tilskuddskrav {claim.pk}"]

    response = coordinator.get(f"/vest/tilskudd/krav/{claim.pk}/utgift/{line.pk}/kvittering/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="kvittering-{claim.pk}-{line.pk}.pdf"'
    )
    assert b"".join(response.streaming_content) == PDF
    what = f"kvittering {line.pk} på tilskuddskrav {claim.pk}"
    assert reads()[-1] == what
    assert exports() == [what]

    response = coordinator.get(f"/vest/tilskudd/faktura/{invoice.pk}/pdf/")
    assert response.status_code == 200
    what = f"faktura {invoice.number} for tilskuddskrav {claim.pk} (PDF)"
    assert reads()[-1] == what
    assert exports()[-1] == what

    # The doctor sees who has read their grant data; their own reading is not logged.
    doctor = own_client(alis_masfjorden)
    page = text(doctor.get("/vest/lege/innsyn/"))
    assert f"tilskuddskrav {claim.pk}" in page and f"kvittering {line.pk}" in page
    before = len(reads())
    assert doctor.get(f"/vest/tilskudd/krav/{claim.pk}/").status_code == 200
    assert len(reads()) == before


# --- 3. A running year: months up to today, sent in and reported only when it is over --------


@pytest.mark.dates
def test_a_running_year_counts_months_up_to_today_and_is_not_claimed_or_reported_before_its_end(
    nord, vadso, coordinator_nord
):
    trainee = make_trainee(nord, vadso, hpr="1000009", first="Løpende")
    add_service(trainee)
    make_agreement(trainee, signed_on=date(2024, 8, 15))
    with time_machine.travel(datetime(2026, 12, 1, 10, 0, tzinfo=OSLO), tick=False):
        claim = services.claim_create(
            office=nord,
            acting_user=coordinator_nord,
            trainee=trainee,
            scheme=nord_scheme(),
            year=2026,
        )
        client = own_client(coordinator_nord)
        page = text(client.get(f"/nord/tilskudd/krav/{claim.pk}/"))
        # 1 January – 1 December 2026: 11 months and 1/31 = 11,03 months, not 12,00;
        # 200 000 kr × 11,0323/12 = 183 870,97 kr so far.
        assert "<dt>Måneder som teller</dt><dd>11,03</dd>" in page
        assert "183 870,97 kr" in page
        assert "Send inn kravet" not in page
        assert "kravet kan sendes inn når året er slutt (etter 31.12.2026)" in page

        with pytest.raises(ValidationError) as error:
            services.claim_submit(office=nord, acting_user=coordinator_nord, claim=claim)
        assert "kravet kan sendes inn når tilskuddsåret er slutt, fra 01.01.2027" in str(
            error.value
        )

        # A paid claim for the running year (as the old code let through): not reportable yet.
        with scope(office=nord):
            Claim.objects.filter(pk=claim.pk).update(
                status=ClaimStatus.PAID,
                claimed_amount=Decimal("200000"),
                approved_amount=Decimal("200000"),
                share_amount=Decimal("0"),
                paid_on=date(2026, 11, 30),
            )
        page = text(client.get(f"/nord/tilskudd/oppgjor/{nord_scheme().pk}/2026/"))
        assert "Merk året som rapportert til revisor" not in page
        assert "Året kan rapporteres til revisor etter 31.12.2026." in page
        response = client.post(
            f"/nord/tilskudd/oppgjor/{nord_scheme().pk}/2026/rapporter/", follow=True
        )
        assert (
            "Tilskuddsåret 01.01.2026–31.12.2026 er ikke slutt ennå. Året kan rapporteres til "
            "revisor fra 01.01.2027." in text(response)
        )
        with scope(office=nord):
            assert not Settlement.objects.exists()
            assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.PAID

    with time_machine.travel(datetime(2027, 1, 2, 10, 0, tzinfo=OSLO), tick=False):
        services.settlement_report(
            office=nord, acting_user=coordinator_nord, scheme=nord_scheme(), year=2026
        )


@pytest.mark.dates
def test_an_expense_dated_in_the_future_is_refused(vest, masfjorden, coordinator_vest):
    with time_machine.travel(datetime(2026, 6, 10, 10, 0, tzinfo=OSLO), tick=False):
        trainee = signed_doctor(vest, masfjorden)
        with pytest.raises(ValidationError, match="Datoen kan ikke være i fremtiden"):
            pilot_claim(
                vest, coordinator_vest, trainee, year=2026, expenses=((date(2026, 6, 11), "500"),)
            )


# --- 4. Rule values in the users' words -----------------------------------------------------


def test_scheme_rules_show_labels_not_stored_codes(vest, coordinator_vest):
    page = text(own_client(coordinator_vest).get("/vest/tilskudd/"))
    assert "Driftsform: Næring til 31.12.2018" in page
    assert "Driftsform: Fastlønn, Næring fra 01.01.2019" in page
    assert "naering" not in page and "fastlonn" not in page


# --- 5. Amounts typed the Norwegian way -----------------------------------------------------


@pytest.mark.parametrize(
    "typed, value",
    [
        ("12 345,50", "12345.50"),
        ("12\u00a0345,5", "12345.5"),
        ("12.345,50", "12345.50"),
        ("12345.50", "12345.50"),
        ("1 500 kr", "1500"),
        ("1 500,-", "1500"),
        ("abc", None),
        ("1,2,3", None),
        ("12 3a4", None),
    ],
)
def test_norwegian_amounts_are_read_as_written(typed, value):
    assert parse_norwegian_decimal(typed) == value


def test_amount_fields_take_norwegian_input_and_keep_what_was_typed(
    vest, masfjorden, leader_masfjorden, coordinator_vest
):
    claim = pilot_claim(vest, leader_masfjorden, signed_doctor(vest, masfjorden), expenses=())
    leader = own_client(leader_masfjorden)
    url = f"/vest/tilskudd/krav/{claim.pk}/"
    page = text(leader.get(url))
    assert 'type="text" name="amount"' in page and 'inputmode="decimal"' in page
    expense = {"category": "kurs", "day": "2025-03-10", "description": "Grunnkurs B"}

    response = leader.post(url + "utgift/", {**expense, "amount": "12 3a4", "receipt": receipt()})
    assert response.status_code == 200
    page = text(response)
    assert "Skriv beløpet med tall, for eksempel 12 345,50." in page
    assert 'value="12 3a4"' in page
    response = leader.post(
        url + "utgift/", {**expense, "amount": "12 345,50", "receipt": receipt()}
    )
    assert response.status_code == 302
    with scope(office=vest):
        assert ExpenseLine.objects.get(claim=claim).amount == Decimal("12345.50")

    services.claim_submit(office=vest, acting_user=leader_masfjorden, claim=claim)
    coordinator = own_client(coordinator_vest)
    assert 'value="12 345,50"' in text(coordinator.get(url))  # the decision form's proposal
    response = coordinator.post(
        url + "vedtak/", {"approved_amount": "10 000,00", "reason": "Bare kursavgiften."}
    )
    assert response.status_code == 302
    with scope(office=vest):
        assert Claim.objects.get(pk=claim.pk).approved_amount == Decimal("10000.00")


# --- 6. The upload message in plain Norwegian -----------------------------------------------


def test_a_receipt_that_is_no_pdf_or_image_gets_a_plain_message(
    vest, masfjorden, leader_masfjorden
):
    claim = pilot_claim(vest, leader_masfjorden, signed_doctor(vest, masfjorden), expenses=())
    fake = receipt("kvittering.pdf", b"<html>ikke en pdf</html>", "application/pdf")
    response = own_client(leader_masfjorden).post(
        f"/vest/tilskudd/krav/{claim.pk}/utgift/",
        {
            "category": "kurs",
            "day": "2025-03-10",
            "amount": "100",
            "description": "Kurs",
            "receipt": fake,
        },
    )
    page = text(response)
    assert "Kvitteringen må være en PDF-, PNG- eller JPG-fil." in page
    assert "eller PNG eller" not in page


def test_the_upload_message_names_the_kinds_as_a_list():
    with pytest.raises(ValidationError) as error:
        validate_content(BytesIO(b"<html>"), ("pdf",))
    assert error.value.messages[0].startswith("Filen må være en PDF-fil.")
    with pytest.raises(ValidationError) as error:
        validate_content(BytesIO(b"<html>"), ("pdf", "png"))
    assert error.value.messages[0].startswith("Filen må være en PDF- eller PNG-fil.")


# --- 7. Dates and amounts as real values in the auditor's spreadsheet -----------------------


def test_settlement_xlsx_has_real_dates_and_numbers(nord, vadso, coordinator_nord):
    trainee = make_trainee(nord, vadso, hpr="1000008", first="=Dato")
    add_service(trainee)
    make_agreement(trainee, signed_on=date(2024, 8, 15))
    claim = services.claim_create(
        office=nord, acting_user=coordinator_nord, trainee=trainee, scheme=nord_scheme(), year=2025
    )
    services.claim_submit(office=nord, acting_user=coordinator_nord, claim=claim)
    services.claim_decide(
        office=nord,
        acting_user=coordinator_nord,
        claim=claim,
        approved_amount=Decimal("150000.50"),
        reason="Delvis.",
    )
    services.claim_mark_paid(
        office=nord, acting_user=coordinator_nord, claim=claim, paid_on=date(2026, 2, 2)
    )
    response = own_client(coordinator_nord).get(
        f"/nord/tilskudd/oppgjor/{nord_scheme().pk}/2025/excel/"
    )
    sheet = load_workbook(BytesIO(response.content))["Krav"]
    header = [c.value for c in sheet[1]]
    row = {name: cell for name, cell in zip(header, sheet[2], strict=True)}
    paid = row["Utbetalt dato"]
    assert paid.is_date and paid.value == datetime(2026, 2, 2)
    assert paid.number_format == "DD.MM.YYYY"
    approved = row["Godkjent"]
    assert approved.data_type == "n" and Decimal(str(approved.value)) == Decimal("150000.5")
    assert approved.number_format == '#,##0.00 "kr"'
    assert row["ALIS-lege"].value == "'=Dato Aase"  # text is still escaped
