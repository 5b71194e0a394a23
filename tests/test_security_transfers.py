"""Issue 10, access that stays in its lane: a doctor moves to another office only when that
office accepts, and an HPR number is registered once in the country (so a second record cannot
sidestep the acceptance)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.test import Client
from django_scopes import scope, scopes_disabled

from audit.models import SecurityEvent
from municipalities.models import Municipality
from offices.models import Office
from offices.permissions import Role
from trainees import services
from trainees.models import ServicePeriod, Trainee, TransferRequest, TransferStatus

from .conftest import member
from .factories import MembershipFactory
from .trainee_factories import make_period, make_trainee

Kind = SecurityEvent.Kind


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def doctor(vest, masfjorden, leader_masfjorden):
    trainee = make_trainee(vest, masfjorden, leader_masfjorden)
    make_period(trainee, start=date(2024, 1, 1), place="Masfjorden legekontor")
    return trainee


@pytest.fixture
def coordinator_midt(db):
    return member(
        Office.objects.get(slug="midt"), Role.COORDINATOR, email="koordinator@midt.example.no"
    )


@pytest.fixture
def asked(doctor, vadso, coordinator_vest):
    """Vest's coordinator asks Nord to take Anna over in Vadsø from 1 Jan 2027."""
    response = logged_in(coordinator_vest).post(
        f"/vest/leger/{doctor.pk}/overfor/",
        {"to_municipality": vadso.pk, "on": "2027-01-01", "note": "Flytter nordover"},
        REMOTE_ADDR="192.0.2.10",
    )
    assert response.status_code == 302
    with scope(office=doctor.office):
        return TransferRequest.objects.get(trainee_id=doctor.pk)


def where_is(trainee_pk) -> tuple[str, str]:
    with scopes_disabled():
        trainee = Trainee.objects.select_related("office", "municipality").get(pk=trainee_pk)
        return trainee.office.slug, trainee.municipality.name


def test_asking_moves_nothing_before_the_receiving_office_accepts(
    asked, doctor, vest, coordinator_vest, coordinator_nord
):
    assert asked.status == TransferStatus.PENDING
    assert asked.to_office.slug == "nord"
    assert where_is(doctor.pk) == ("vest", "Masfjorden")
    with scope(office=vest):
        assert ServicePeriod.objects.get(trainee=doctor).end is None  # still running
    # The sender still has the doctor, with the open request on the doctor's page.
    page = logged_in(coordinator_vest).get(f"/vest/leger/{doctor.pk}/").content.decode()
    assert "Overføring til Vadsø (ALIS Nord) fra 01.01.2027 venter på svar" in page
    # The receiver has no access to the record yet.
    assert logged_in(coordinator_nord).get(f"/nord/leger/{doctor.pk}/").status_code == 404
    event = SecurityEvent.objects.get(kind=Kind.TRANSFER_REQUESTED)
    assert event.user == coordinator_vest and event.ip == "192.0.2.10"
    assert "Anna Aase" in event.detail and "Vadsø (ALIS Nord)" in event.detail


def test_the_receiving_coordinator_sees_the_request_and_a_third_office_gets_404(
    asked, coordinator_nord, coordinator_midt, leader_vadso
):
    nord = logged_in(coordinator_nord)
    listing = nord.get("/nord/overforinger/").content.decode()
    assert "Anna Aase" in listing and "Masfjorden (ALIS Vest)" in listing
    page = nord.get(f"/nord/overforinger/{asked.pk}/").content.decode()
    assert "Godta overføringen" in page and "Flytter nordover" in page and "001234567" in page
    # Found from the doctors' list too.
    assert "Ett annet kontor ber dere ta imot en lege." in nord.get("/nord/leger/").content.decode()
    midt = logged_in(coordinator_midt)
    assert midt.get(f"/midt/overforinger/{asked.pk}/").status_code == 404
    assert midt.post(f"/midt/overforinger/{asked.pk}/", {"action": "accept"}).status_code == 404
    assert "Anna Aase" not in midt.get("/midt/overforinger/").content.decode()
    # The receiving municipality's leader does not answer for the office.
    leader = logged_in(leader_vadso)
    assert leader.post(f"/nord/overforinger/{asked.pk}/", {"action": "accept"}).status_code == 404
    asked.refresh_from_db()
    assert asked.status == TransferStatus.PENDING


def test_accepting_runs_the_move_and_the_sender_sees_the_outcome(
    asked, doctor, coordinator_vest, coordinator_nord
):
    response = logged_in(coordinator_nord).post(
        f"/nord/overforinger/{asked.pk}/", {"action": "accept"}, REMOTE_ADDR="198.51.100.7"
    )
    assert response.status_code == 302
    assert where_is(doctor.pk) == ("nord", "Vadsø")
    with scopes_disabled():
        period = ServicePeriod.objects.get(trainee_id=doctor.pk)
    assert period.office.slug == "nord" and period.end == date(2026, 12, 31)
    assert logged_in(coordinator_nord).get(f"/nord/leger/{doctor.pk}/").status_code == 200
    sender = logged_in(coordinator_vest)
    assert sender.get(f"/vest/leger/{doctor.pk}/").status_code == 404
    outcome = sender.get(f"/vest/overforinger/{asked.pk}/").content.decode()
    assert "Godtatt" in outcome and str(coordinator_nord) in outcome
    event = SecurityEvent.objects.get(kind=Kind.TRANSFER_ACCEPTED)
    assert event.user == coordinator_nord and event.ip == "198.51.100.7"
    assert event.office.slug == "nord"


def test_declining_needs_a_reason_moves_nothing_and_the_sender_reads_it(
    asked, doctor, coordinator_vest, coordinator_nord
):
    nord = logged_in(coordinator_nord)
    empty = nord.post(f"/nord/overforinger/{asked.pk}/", {"action": "decline", "reason": ""})
    assert "Skriv en begrunnelse" in empty.content.decode()
    asked.refresh_from_db()
    assert asked.status == TransferStatus.PENDING
    response = nord.post(
        f"/nord/overforinger/{asked.pk}/",
        {"action": "decline", "reason": "Vadsø har ingen ledig ALIS-stilling før 2028."},
    )
    assert response.status_code == 302
    assert where_is(doctor.pk) == ("vest", "Masfjorden")
    outcome = logged_in(coordinator_vest).get(f"/vest/overforinger/{asked.pk}/").content.decode()
    assert "Avslått" in outcome and "ingen ledig ALIS-stilling før 2028" in outcome
    assert SecurityEvent.objects.filter(kind=Kind.TRANSFER_DECLINED, user=coordinator_nord).exists()
    # Answered once: a late accept changes nothing.
    late = nord.post(f"/nord/overforinger/{asked.pk}/", {"action": "accept"})
    assert late.status_code == 200
    assert where_is(doctor.pk) == ("vest", "Masfjorden")


def test_the_sender_cannot_accept_its_own_request_but_may_withdraw_it(
    asked, doctor, coordinator_vest
):
    sender = logged_in(coordinator_vest)
    assert sender.post(f"/vest/overforinger/{asked.pk}/", {"action": "accept"}).status_code == 403
    assert where_is(doctor.pk) == ("vest", "Masfjorden")
    assert sender.post(f"/vest/overforinger/{asked.pk}/", {"action": "withdraw"}).status_code == 302
    asked.refresh_from_db()
    assert asked.status == TransferStatus.WITHDRAWN
    assert SecurityEvent.objects.filter(kind=Kind.TRANSFER_WITHDRAWN).exists()


def test_one_open_request_per_doctor_and_no_move_inside_the_office_meanwhile(
    asked, doctor, vest, coordinator_vest
):
    tromso = Municipality.objects.get(number="5501")
    with pytest.raises(ValidationError, match="venter på svar"):
        services.transfer_request_create(
            office=vest,
            acting_user=coordinator_vest,
            trainee=doctor,
            to_municipality=tromso,
            on=date(2027, 1, 1),
        )
    with pytest.raises(ValidationError, match="venter på svar"):
        services.trainee_transfer(
            office=vest,
            acting_user=coordinator_vest,
            trainee=doctor,
            to_municipality=Municipality.objects.get(number="4635"),
            on=date(2027, 1, 1),
        )


def test_the_move_service_refuses_another_office_without_an_accepted_request(
    doctor, vest, vadso, coordinator_vest
):
    with pytest.raises(ValidationError, match="må godta overføringen"):
        services.trainee_transfer(
            office=vest,
            acting_user=coordinator_vest,
            trainee=doctor,
            to_municipality=vadso,
            on=date(2027, 1, 1),
        )
    assert where_is(doctor.pk) == ("vest", "Masfjorden")


def test_a_move_inside_the_office_still_happens_at_once(doctor, coordinator_vest):
    gulen = Municipality.objects.get(number="4635")
    response = logged_in(coordinator_vest).post(
        f"/vest/leger/{doctor.pk}/overfor/", {"to_municipality": gulen.pk, "on": "2027-01-01"}
    )
    assert response.status_code == 302
    assert where_is(doctor.pk) == ("vest", "Gulen")


def test_accepting_is_refused_when_the_doctor_is_no_longer_where_the_request_was_made(
    asked, doctor, nord, coordinator_nord
):
    gulen = Municipality.objects.get(number="4635")
    with scopes_disabled():  # the record changed in Vest after the request was sent
        Trainee.objects.filter(pk=doctor.pk).update(municipality=gulen)
    with pytest.raises(ValidationError, match="ikke lenger i Masfjorden"):
        services.transfer_request_accept(office=nord, acting_user=coordinator_nord, transfer=asked)
    assert where_is(doctor.pk) == ("vest", "Gulen")
    asked.refresh_from_db()
    assert asked.status == TransferStatus.PENDING


# --- Moves inside the office: the leader's lane and how far back -------------------------------
# The suite's clock stands at 23 Nov 2026: three months back is 23 Aug 2026.


def test_a_leader_cannot_hand_a_doctor_to_a_municipality_where_they_are_not_leader(
    doctor, leader_masfjorden
):
    bergen = Municipality.objects.get(number="4601")
    response = logged_in(leader_masfjorden).post(
        f"/vest/leger/{doctor.pk}/overfor/", {"to_municipality": bergen.pk, "on": "2026-11-01"}
    )
    assert response.status_code == 200
    assert "Du er ikke leder i Bergen, så du kan ikke flytte legen dit" in response.content.decode()
    assert where_is(doctor.pk) == ("vest", "Masfjorden")
    with scope(office=doctor.office):
        assert ServicePeriod.objects.get(trainee=doctor).end is None


def test_a_leader_of_both_municipalities_moves_the_doctor_at_once(doctor, vest, leader_masfjorden):
    gulen = Municipality.objects.get(number="4635")
    MembershipFactory(
        user=leader_masfjorden, office=vest, role=Role.MUNICIPAL_LEADER, municipality=gulen
    )
    response = logged_in(leader_masfjorden).post(
        f"/vest/leger/{doctor.pk}/overfor/", {"to_municipality": gulen.pk, "on": "2026-11-01"}
    )
    assert response.status_code == 302
    assert where_is(doctor.pk) == ("vest", "Gulen")
    with scope(office=vest):
        assert ServicePeriod.objects.get(trainee=doctor).end == date(2026, 10, 31)


def test_a_leader_may_date_a_move_three_months_back_and_no_further(doctor, vest, leader_masfjorden):
    gulen = Municipality.objects.get(number="4635")
    MembershipFactory(
        user=leader_masfjorden, office=vest, role=Role.MUNICIPAL_LEADER, municipality=gulen
    )
    client = logged_in(leader_masfjorden)
    url = f"/vest/leger/{doctor.pk}/overfor/"
    # 22 months back, as the attacker tried: refused, with the earliest date and what to do.
    response = client.post(url, {"to_municipality": gulen.pk, "on": "2025-01-01"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "høyst 3 måneder tilbake i tid (tidligst 23.08.2026)" in page
    assert "kontakt ALIS-kontoret" in page
    assert 'value="2025-01-01"' in page  # what was typed stays
    response = client.post(url, {"to_municipality": gulen.pk, "on": "2026-08-22"})
    assert "tidligst 23.08.2026" in response.content.decode()
    assert where_is(doctor.pk) == ("vest", "Masfjorden")
    assert client.post(url, {"to_municipality": gulen.pk, "on": "2026-08-23"}).status_code == 302
    assert where_is(doctor.pk) == ("vest", "Gulen")


def test_a_leader_cannot_backdate_a_request_to_another_office_either(
    doctor, vadso, leader_masfjorden
):
    response = logged_in(leader_masfjorden).post(
        f"/vest/leger/{doctor.pk}/overfor/", {"to_municipality": vadso.pk, "on": "2025-01-01"}
    )
    assert "høyst 3 måneder tilbake i tid" in response.content.decode()
    with scope(office=doctor.office):
        assert not TransferRequest.objects.filter(trainee_id=doctor.pk).exists()


def test_the_coordinator_moves_anywhere_in_the_office_and_further_back(doctor, coordinator_vest):
    bergen = Municipality.objects.get(number="4601")
    response = logged_in(coordinator_vest).post(
        f"/vest/leger/{doctor.pk}/overfor/", {"to_municipality": bergen.pk, "on": "2025-01-01"}
    )
    assert response.status_code == 302
    assert where_is(doctor.pk) == ("vest", "Bergen")


def test_no_one_dates_a_move_before_the_doctors_last_period_change(
    vest, masfjorden, leader_masfjorden, coordinator_vest
):
    trainee = make_trainee(vest, masfjorden, leader_masfjorden)
    make_period(trainee, start=date(2024, 1, 1), end=date(2025, 6, 30))
    bergen = Municipality.objects.get(number="4601")
    response = logged_in(coordinator_vest).post(
        f"/vest/leger/{trainee.pk}/overfor/", {"to_municipality": bergen.pk, "on": "2025-06-30"}
    )
    assert (
        "Legen har en tjenesteperiode som slutter 30.06.2025. Første dag i ny kommune kan "
        "tidligst være dagen etter." in response.content.decode()
    )
    assert where_is(trainee.pk) == ("vest", "Masfjorden")
    response = logged_in(coordinator_vest).post(
        f"/vest/leger/{trainee.pk}/overfor/", {"to_municipality": bergen.pk, "on": "2025-07-01"}
    )
    assert response.status_code == 302
    assert where_is(trainee.pk) == ("vest", "Bergen")


# --- HPR numbers are unique in the country -------------------------------------------------------

NEW_DOCTOR = {
    "first_name": "Kari",
    "last_name": "Nordmann",
    "email": "kari.nordmann@example.no",
    "phone": "",
    "hpr_number": "7654321",
    "scheme": "ny",
    "specialisation_start": "2024-08-01",
    "status": "aktiv",
    "employment_form": "fastlonn",
}


@pytest.fixture
def doctor_in_nord(nord, vadso):
    return make_trainee(
        nord, vadso, first_name="Hemmelig", last_name="Nordlending", hpr_number="7654321"
    )


def test_a_leader_registering_an_hpr_held_by_another_office_learns_nothing_of_it(
    doctor_in_nord, masfjorden, leader_masfjorden, vest
):
    response = logged_in(leader_masfjorden).post(
        "/vest/leger/ny/", {**NEW_DOCTOR, "municipality": masfjorden.pk}
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Legen kan ikke registreres her; kontakt ALIS-kontoret." in text
    assert "Nord" not in text.replace("Nordmann", "") and "Hemmelig" not in text
    assert 'value="7654321"' in text  # the form keeps what was typed
    with scope(office=vest):
        assert not Trainee.objects.exists()


def test_a_coordinator_is_told_to_ask_for_a_transfer(
    doctor_in_nord, masfjorden, coordinator_vest, vest
):
    response = logged_in(coordinator_vest).post(
        "/vest/leger/ny/", {**NEW_DOCTOR, "municipality": masfjorden.pk}
    )
    text = response.content.decode()
    assert "HPR-nummer 007654321 er allerede registrert hos ALIS Nord." in text
    assert "Be ALIS Nord om å overføre legen til dere" in text
    assert "Hemmelig" not in text
    with scope(office=vest):
        assert not Trainee.objects.exists()


def test_changing_a_doctors_hpr_to_one_held_elsewhere_is_refused(
    doctor_in_nord, doctor, leader_masfjorden
):
    form = {**NEW_DOCTOR, "first_name": "Anna", "last_name": "Aase"}
    response = logged_in(leader_masfjorden).post(f"/vest/leger/{doctor.pk}/endre/", form)
    assert "Legen kan ikke registreres her; kontakt ALIS-kontoret." in response.content.decode()
    with scope(office=doctor.office):
        doctor.refresh_from_db()
    assert doctor.hpr_number == "001234567"


def test_the_service_and_the_database_refuse_a_second_record_too(doctor_in_nord, vest, masfjorden):
    with pytest.raises(ValidationError, match="kontakt ALIS-kontoret"):
        make_trainee(vest, masfjorden, hpr_number="7654321")
    with scope(office=vest), pytest.raises(IntegrityError):
        Trainee.objects.create(
            office=vest,
            municipality=masfjorden,
            first_name="Dobbel",
            last_name="Oppføring",
            email="d@example.no",
            hpr_number="007654321",
            specialisation_start=date(2024, 1, 1),
        )
