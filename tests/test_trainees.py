"""ALIS doctors: who may register and change them, what the doctor may change, HPR numbers,
service periods, the change history, and transfers between offices."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django_scopes import scope

from accounts.models import Membership
from municipalities.models import Municipality
from offices.permissions import Role
from trainees import services
from trainees.models import ServicePeriod, SupervisorAssignment, Trainee, TransferRequest

from .conftest import member
from .factories import MembershipFactory
from .trainee_factories import (
    make_assignment,
    make_period,
    make_supervisor,
    make_trainee,
    transfer_across,
)

NEW_DOCTOR = {
    "first_name": "Kari",
    "last_name": "Nordmann",
    "email": "kari.nordmann@example.no",
    "phone": "",
    "hpr_number": "1234567",
    "scheme": "ny",
    "specialisation_start": "2024-08-01",
    "status": "aktiv",
    "employment_form": "fastlonn",
}


@pytest.fixture
def doctor(vest, masfjorden, leader_masfjorden):
    return make_trainee(vest, masfjorden, leader_masfjorden)


def get_trainee(office, **filters):
    with scope(office=office):
        return Trainee.objects.get(**filters)


def get_transfer(office, **filters):
    with scope(office=office):
        return TransferRequest.objects.get(**filters)


# --- Registering and editing ----------------------------------------------------------------


def test_leader_registers_a_doctor_hpr_stored_padded_to_nine(
    client_for, leader_masfjorden, vest, masfjorden
):
    client = client_for(leader_masfjorden)
    response = client.post(
        "/vest/leger/ny/", {**NEW_DOCTOR, "municipality": masfjorden.pk}, follow=True
    )
    assert response.status_code == 200
    trainee = get_trainee(vest, last_name="Nordmann")
    assert trainee.hpr_number == "001234567"
    assert trainee.municipality == masfjorden and trainee.office == vest
    page = response.content.decode()
    assert "Kari Nordmann er registrert." in page
    assert "001234567" in page


@pytest.mark.parametrize(
    "typed, message",
    [
        ("12a4567", "HPR-nummeret kan bare inneholde sifre."),
        ("123456", "HPR-nummeret skal ha 7–9 sifre; du skrev 6."),
        ("1234567890", "HPR-nummeret skal ha 7–9 sifre; du skrev 10."),
    ],
)
def test_hpr_number_errors_are_clear_and_the_form_keeps_what_was_typed(
    client_for, leader_masfjorden, masfjorden, typed, message
):
    response = client_for(leader_masfjorden).post(
        "/vest/leger/ny/", {**NEW_DOCTOR, "hpr_number": typed, "municipality": masfjorden.pk}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert f'value="{typed}"' in page and 'value="kari.nordmann@example.no"' in page


def test_hpr_with_spaces_is_accepted_and_duplicates_are_refused(
    client_for, leader_masfjorden, vest, masfjorden, doctor
):
    client = client_for(leader_masfjorden)
    response = client.post(
        "/vest/leger/ny/", {**NEW_DOCTOR, "hpr_number": "1 234 567", "municipality": masfjorden.pk}
    )
    assert "Det finnes allerede en ALIS-lege med HPR-nummer 001234567 i kontoret." in (
        response.content.decode()
    )
    response = client.post(
        "/vest/leger/ny/", {**NEW_DOCTOR, "hpr_number": "98 765 432", "municipality": masfjorden.pk}
    )
    assert response.status_code == 302
    assert get_trainee(vest, last_name="Nordmann").hpr_number == "098765432"


def test_converted_scheme_needs_the_conversion_date(client_for, leader_masfjorden, masfjorden):
    response = client_for(leader_masfjorden).post(
        "/vest/leger/ny/", {**NEW_DOCTOR, "scheme": "konvertert", "municipality": masfjorden.pk}
    )
    assert "Oppgi datoen for konverteringen." in response.content.decode()


def test_no_national_identity_number_anywhere():
    names = {f.name for f in Trainee._meta.get_fields()}
    assert not names & {"fodselsnummer", "national_id", "ssn", "personnummer"}


def test_leader_of_another_municipality_is_refused(client_for, vest, doctor):
    bergen = Municipality.objects.get(number="4601")
    client = client_for(member(vest, Role.MUNICIPAL_LEADER, bergen, email="leder@bergen.no"))
    assert client.get(f"/vest/leger/{doctor.pk}/").status_code == 403
    assert client.get(f"/vest/leger/{doctor.pk}/endre/").status_code == 403
    assert client.post(f"/vest/leger/{doctor.pk}/perioder/ny/", {}).status_code == 403
    assert "Aase" not in client.get("/vest/leger/").content.decode()
    # Nor can they register a doctor in Masfjorden.
    response = client.post(
        "/vest/leger/ny/", {**NEW_DOCTOR, "municipality": doctor.municipality_id}
    )
    assert response.status_code == 200
    assert "Velg et gyldig valg" in response.content.decode()


def test_coordinator_edits_a_doctor_and_the_history_shows_who_before_and_after(
    client_for, coordinator_vest, doctor
):
    client = client_for(coordinator_vest)
    form = {**NEW_DOCTOR, "first_name": "Anna", "last_name": "Aase", "hpr_number": "1234567"}
    response = client.post(f"/vest/leger/{doctor.pk}/endre/", {**form, "phone": "99 88 77 66"})
    assert response.status_code == 302
    page = client.get(f"/vest/leger/{doctor.pk}/").content.decode()
    assert "Endringshistorikk" in page
    assert "Telefon: – → 99 88 77 66" in page
    assert "Driftsform: – → Fastlønn" in page
    assert str(coordinator_vest) in page


def test_a_doctor_account_with_the_same_email_is_linked(
    vest, masfjorden, leader_masfjorden, alis_masfjorden
):
    trainee = make_trainee(vest, masfjorden, leader_masfjorden, email="ALIS@masfjorden.example.no")
    assert trainee.user == alis_masfjorden


def test_doctor_sees_own_page_and_may_change_only_contact_details(
    client_for, vest, masfjorden, leader_masfjorden, alis_masfjorden
):
    # Registered before the doctor had an account: the doctor links it on their page (a POST;
    # looking at the page changes nothing).
    trainee = make_trainee(vest, masfjorden, leader_masfjorden, email=alis_masfjorden.email)
    with scope(office=vest):
        Trainee.objects.filter(pk=trainee.pk).update(user=None)
    make_period(trainee, leader_masfjorden)
    client = client_for(alis_masfjorden)
    offer = client.get("/vest/lege/").content.decode()
    assert "Koble registreringen til kontoen min" in offer
    assert get_trainee(vest, pk=trainee.pk).user is None
    assert client.post("/vest/lege/").status_code == 302
    page = client.get("/vest/lege/").content.decode()
    assert "Mine opplysninger – Anna Aase" in page and "Masfjorden legekontor" in page
    assert get_trainee(vest, pk=trainee.pk).user == alis_masfjorden

    response = client.post(
        "/vest/lege/kontakt/",
        {"email": "anna@ny.example.no", "phone": "12345678", "hpr_number": "999999999"},
    )
    assert response.status_code == 302
    trainee = get_trainee(vest, pk=trainee.pk)
    assert (trainee.email, trainee.phone, trainee.hpr_number) == (
        "anna@ny.example.no",
        "12345678",
        "001234567",
    )
    # Everything else goes through the leader.
    assert client.get(f"/vest/leger/{trainee.pk}/").status_code == 403
    assert client.post(f"/vest/leger/{trainee.pk}/endre/", NEW_DOCTOR).status_code == 403
    assert "Kontaktopplysninger endret av legen" not in page  # reason is stored, not a page text
    history = client.get("/vest/lege/").content.decode()
    assert "E-post: alis@masfjorden.example.no → anna@ny.example.no" in history


def test_doctor_without_a_record_gets_a_clear_message(client_for, alis_masfjorden):
    page = client_for(alis_masfjorden).get("/vest/lege/").content.decode()
    assert "Kommunen har ikke registrert deg som ALIS-lege ennå" in page


def test_contact_service_refuses_someone_else(vest, doctor, leader_masfjorden):
    with pytest.raises(ValidationError):
        services.trainee_update_contact(
            office=vest, acting_user=leader_masfjorden, trainee=doctor, email="x@y.no", phone=""
        )


# --- Service periods ------------------------------------------------------------------------


def test_periods_over_100_percent_on_a_day_are_refused_with_a_message(
    client_for, leader_masfjorden, doctor
):
    make_period(doctor, percentage=60, start=date(2024, 1, 1), end=date(2024, 12, 31))
    client = client_for(leader_masfjorden)
    form = {
        "place": "Legevakta",
        "arena": "legevakt",
        "percentage": "50",
        "start": "2024-06-01",
        "end": "2024-08-31",
    }
    response = client.post(f"/vest/leger/{doctor.pk}/perioder/ny/", form)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Periodene overlapper med til sammen 110 % den 01.06.2024." in page
    assert 'value="Legevakta"' in page
    # 40 % fits beside the 60 %, and leave does not count as service.
    assert (
        client.post(
            f"/vest/leger/{doctor.pk}/perioder/ny/", {**form, "percentage": "40"}
        ).status_code
        == 302
    )
    leave = {**form, "place": "Foreldrepermisjon", "arena": "annet", "percentage": "100"}
    assert (
        client.post(
            f"/vest/leger/{doctor.pk}/perioder/ny/", {**leave, "is_leave": "on"}
        ).status_code
        == 302
    )
    with scope(office=doctor.office):
        assert doctor.service_periods.count() == 3


def test_back_to_back_periods_and_part_time_are_fine(doctor):
    make_period(doctor, start=date(2024, 1, 1), end=date(2024, 6, 30))
    make_period(doctor, start=date(2024, 7, 1), percentage=50)
    make_period(doctor, start=date(2024, 7, 1), percentage=50, arena="sykehjem")
    with pytest.raises(ValidationError, match="til sammen 110 %"):
        make_period(doctor, start=date(2025, 3, 1), end=date(2025, 3, 1), percentage=10)


def test_an_open_period_overlaps_everything_after_it(doctor):
    make_period(doctor, start=date(2024, 1, 1))
    with pytest.raises(ValidationError, match="den 01.01.2030"):
        make_period(doctor, start=date(2030, 1, 1), end=date(2030, 2, 1), percentage=1)


def test_end_before_start_is_refused(client_for, leader_masfjorden, doctor):
    response = client_for(leader_masfjorden).post(
        f"/vest/leger/{doctor.pk}/perioder/ny/",
        {
            "place": "X",
            "arena": "allmennpraksis",
            "percentage": "100",
            "start": "2024-06-01",
            "end": "2024-05-01",
        },
    )
    assert "Sluttdatoen kan ikke være før startdatoen." in response.content.decode()


def test_period_edit_and_delete_are_in_the_history(client_for, leader_masfjorden, doctor):
    period = make_period(doctor, leader_masfjorden, credited=True)
    assert period.served_by == doctor.office
    client = client_for(leader_masfjorden)
    url = f"/vest/leger/{doctor.pk}/perioder/{period.pk}/"
    form = {"place": "Masfjorden legekontor", "arena": "allmennpraksis", "start": "2024-01-01"}
    assert client.post(url, {**form, "percentage": "80", "credited": "on"}).status_code == 302
    assert client.get(url + "slett/").status_code == 200
    assert client.post(url + "slett/").status_code == 302
    page = client.get(f"/vest/leger/{doctor.pk}/").content.decode()
    assert "Stillingsprosent: 100 → 80" in page
    assert "Slettet" in page
    assert "Ingen tjenesteperioder er registrert." in page


def test_service_summary_counts_part_time_proportionally_and_not_leave(doctor):
    from trainees.selectors import service_summary

    periods = [
        make_period(doctor, start=date(2024, 1, 1), end=date(2024, 12, 31), percentage=50),
        make_period(doctor, start=date(2024, 1, 1), end=date(2024, 12, 31), is_leave=True),
    ]
    summary = service_summary(periods, today=date(2025, 6, 1))
    assert str(summary.total_years) == "0.5"
    assert summary.leave_days == 366


# --- Transfer -------------------------------------------------------------------------------


@pytest.fixture
def transferred(vest, nord, vadso, leader_masfjorden, coordinator_nord, doctor):
    """Anna served in Masfjorden (Vest) and moves to Vadsø (Nord) on 1 Jan 2025: Masfjorden's
    leader asks, Nord's coordinator accepts."""
    supervisor = make_supervisor(vest, [doctor.municipality])
    make_assignment(doctor, supervisor)
    make_period(doctor, start=date(2024, 1, 1), end=date(2024, 6, 30), place="Masfjorden lkt")
    make_period(doctor, start=date(2024, 7, 1), place="Masfjorden lkt 2")
    transfer_across(
        doctor,
        vadso,
        on=date(2025, 1, 1),
        asked_by=leader_masfjorden,
        accepted_by=coordinator_nord,
    )
    with scope(office=nord):
        make_period(
            Trainee.objects.get(pk=doctor.pk),
            start=date(2025, 1, 1),
            place="Vadsø legesenter",
            acting_user=None,
        )
    return doctor


def test_transfer_moves_the_doctor_and_all_rows_to_the_new_office(nord, vest, transferred):
    with scope(office=nord):
        trainee = Trainee.objects.get(pk=transferred.pk)
        assert trainee.office == nord and trainee.municipality.number == "5607"
        periods = list(trainee.service_periods.order_by("start"))
        assert [p.office_id for p in periods] == [nord.pk] * 3
        assert [p.served_by.slug for p in periods] == ["vest", "vest", "nord"]
        assert periods[1].end == date(2024, 12, 31)  # the running period was ended
        veileder = SupervisorAssignment.objects.get(trainee=trainee)
        assert veileder.office == nord and veileder.end == date(2024, 12, 31)
    with scope(office=vest):
        assert not Trainee.objects.filter(pk=transferred.pk).exists()
        assert not ServicePeriod.objects.filter(trainee_id=transferred.pk).exists()


def test_old_office_reads_only_its_periods_and_gets_404_on_the_rest(
    client_for, coordinator_vest, leader_masfjorden, transferred
):
    for user in (coordinator_vest, leader_masfjorden):
        client = client_for(user)
        assert client.get(f"/vest/leger/{transferred.pk}/").status_code == 404
        assert client.get(f"/vest/leger/{transferred.pk}/endre/").status_code == 404
        assert "Aase" not in client.get("/vest/leger/").content.decode()
        page = client.get("/vest/leger/tidligere/").content.decode()
        assert "Anna Aase" in page and "001234567" in page
        assert "Masfjorden lkt 2" in page and "31.12.2024" in page
        assert "Vadsø legesenter" not in page
        assert "anna.aase@example.no" not in page


def test_new_office_sees_everything(client_for, coordinator_nord, leader_vadso, transferred):
    for user in (coordinator_nord, leader_vadso):
        page = client_for(user).get(f"/nord/leger/{transferred.pk}/").content.decode()
        assert "Masfjorden lkt 2" in page and "Vadsø legesenter" in page
        assert "Fulgt opp av ALIS Vest" in page
        assert "anna.aase@example.no" in page
        assert "Kommune: Masfjorden → Vadsø" in page
        assert "ALIS-kontor: ALIS Vest → ALIS Nord" in page


def test_other_leader_of_old_office_does_not_see_the_former_doctor(client_for, vest, transferred):
    bergen = Municipality.objects.get(number="4601")
    client = client_for(member(vest, Role.MUNICIPAL_LEADER, bergen, email="leder@bergen.no"))
    assert "Anna Aase" not in client.get("/vest/leger/tidligere/").content.decode()


def test_transfer_page_by_leader_and_the_doctors_login_follows(
    vest, nord, vadso, leader_masfjorden, coordinator_nord, alis_masfjorden, masfjorden
):
    trainee = make_trainee(vest, masfjorden, leader_masfjorden, email=alis_masfjorden.email)
    client, receiver = Client(), Client()
    client.force_login(leader_masfjorden)
    receiver.force_login(coordinator_nord)
    response = client.post(
        f"/vest/leger/{trainee.pk}/overfor/",
        {"to_municipality": vadso.pk, "on": "2026-11-01"},
        follow=True,
    )
    assert "Forespørselen er sendt til ALIS Nord" in response.content.decode()
    transfer = get_transfer(vest, trainee_id=trainee.pk)
    assert (
        receiver.post(f"/nord/overforinger/{transfer.pk}/", {"action": "accept"}).status_code == 302
    )
    assert Membership.objects.get(user=alis_masfjorden, municipality=vadso).office == nord
    assert not Membership.objects.get(user=alis_masfjorden, municipality=masfjorden).is_active
    doctor = Client()
    doctor.force_login(alis_masfjorden)
    page = doctor.get("/nord/lege/").content.decode()
    assert "Mine opplysninger – Anna Aase" in page


def test_transfer_within_the_office_keeps_the_veileder(vest, masfjorden, leader_masfjorden, doctor):
    supervisor = make_supervisor(vest, [masfjorden])
    make_assignment(doctor, supervisor)
    gulen = Municipality.objects.get(number="4635")
    result = services.trainee_transfer(
        office=vest,
        acting_user=leader_masfjorden,
        trainee=doctor,
        to_municipality=gulen,
        on=date(2025, 1, 1),
    )
    assert result.trainee.office == vest and result.ended_assignments == 0
    with scope(office=vest):
        assert SupervisorAssignment.objects.get(trainee=doctor).end is None


def test_transfer_refuses_periods_after_the_date(vest, vadso, leader_masfjorden, doctor):
    make_period(doctor, start=date(2025, 2, 1))
    gulen = Municipality.objects.get(number="4635")
    for service, to in (
        (services.trainee_transfer, gulen),
        (services.transfer_request_create, vadso),
    ):
        with pytest.raises(ValidationError, match="starter på eller etter"):
            service(
                office=vest,
                acting_user=leader_masfjorden,
                trainee=doctor,
                to_municipality=to,
                on=date(2025, 1, 1),
            )


# --- Query counts ---------------------------------------------------------------------------


def test_doctor_list_and_page_query_counts_do_not_grow_with_rows(
    client_for, coordinator_vest, vest, masfjorden, django_assert_max_num_queries
):
    client = client_for(coordinator_vest)
    supervisor = make_supervisor(vest, [masfjorden], capacity=10)
    first = make_trainee(vest, masfjorden, hpr_number="1000000")
    make_assignment(first, supervisor)
    make_period(first)
    with django_assert_max_num_queries(20) as small_list:
        client.get("/vest/leger/")
    with django_assert_max_num_queries(30) as small_page:
        client.get(f"/vest/leger/{first.pk}/")
    for n in range(1, 6):
        t = make_trainee(vest, masfjorden, hpr_number=f"100000{n}", last_name=f"Lege{n}")
        make_assignment(t, supervisor)
    for n in range(4):
        make_period(first, start=date(2020 + n, 1, 1), end=date(2020 + n, 12, 31))
    with django_assert_max_num_queries(20) as big_list:
        client.get("/vest/leger/")
    with django_assert_max_num_queries(30) as big_page:
        client.get(f"/vest/leger/{first.pk}/")
    assert len(big_list.captured_queries) == len(small_list.captured_queries)
    assert len(big_page.captured_queries) == len(small_page.captured_queries)


def test_leader_of_both_municipalities_lands_on_the_doctors_page_after_a_move(
    client_for, leader_masfjorden, doctor, vest
):
    # A leader moves a doctor only between municipalities they lead (anything else is the
    # office's call, tests/test_security_transfers.py), so they still see the doctor.
    gulen = Municipality.objects.get(number="4635")
    MembershipFactory(
        user=leader_masfjorden, office=vest, role=Role.MUNICIPAL_LEADER, municipality=gulen
    )
    response = client_for(leader_masfjorden).post(
        f"/vest/leger/{doctor.pk}/overfor/", {"to_municipality": gulen.pk, "on": "2026-11-01"}
    )
    assert response.status_code == 302 and response.url == f"/vest/leger/{doctor.pk}/"


def test_leader_links_a_doctor_to_a_position_of_the_office(
    client_for, leader_masfjorden, vest, masfjorden, coordinator_vest, nord, vadso
):
    from positions.services import position_create

    from .trainee_factories import make_trainee

    position = position_create(
        office=vest,
        acting_user=coordinator_vest,
        municipality=masfjorden,
        list_ceiling=800,
        employment_form="fastlonn",
        scheme="ny",
    )
    trainee = make_trainee(vest, masfjorden)
    client = client_for(leader_masfjorden)
    form = client.get(f"/vest/leger/{trainee.pk}/endre/").content.decode()
    assert f'<option value="{position.pk}">' in form
    data = {
        "first_name": "Anna",
        "last_name": "Aase",
        "email": "anna.aase@example.no",
        "phone": "",
        "hpr_number": "1234567",
        "scheme": "ny",
        "specialisation_start": "2024-01-01",
        "status": "aktiv",
        "employment_form": "fastlonn",
        "position": position.pk,
    }
    assert client.post(f"/vest/leger/{trainee.pk}/endre/", data).status_code == 302
    page = client.get(f"/vest/leger/{trainee.pk}/").content.decode()
    assert "ALIS-stilling" in page and "Masfjorden" in page
    with scope(office=vest):
        trainee.refresh_from_db()
    assert trainee.position == position


def test_courses_taken_count_on_the_requirement_page(
    client_for, alis_masfjorden, vest, masfjorden, leader_masfjorden
):
    from .trainee_factories import make_trainee

    trainee = make_trainee(vest, masfjorden, email=alis_masfjorden.email, user=alis_masfjorden)
    leader = client_for(leader_masfjorden)
    future = leader.post(
        f"/vest/leger/{trainee.pk}/kurs/",
        {"kind": "akutt", "title": "Akuttmedisinkurs", "hours": "30", "completed_on": "2099-01-01"},
    )
    assert "når det er fullført" in future.content.decode()
    assert 'value="Akuttmedisinkurs"' in future.content.decode()
    ok = leader.post(
        f"/vest/leger/{trainee.pk}/kurs/",
        {"kind": "akutt", "title": "Akuttmedisinkurs", "hours": "30", "completed_on": "2025-02-01"},
    )
    assert ok.status_code == 302
    doctor = client_for(alis_masfjorden)
    assert (
        doctor.post(
            "/vest/lege/kurs/",
            {"kind": "A", "title": "Grunnkurs A", "hours": "30", "completed_on": "2025-03-01"},
        ).status_code
        == 302
    )
    assert "Grunnkurs A" in doctor.get("/vest/lege/kurs/").content.decode()
    page = doctor.get("/vest/min-plan/krav/").content.decode()
    # The rules engine now counts them: one of four basic courses, acute medicine done.
    assert "Grunnkurs 1 av 4" in page and "akuttmedisin ✓" in page
    # The courses are recommended, not required (domain brief): what is left is said so.
    assert "Gjenstår: grunnkurs B, C, D" in page


# --- Issue 10: a leader's forms stay in their municipality ---------------------------------------


def test_leader_is_offered_only_own_municipalitys_positions(
    client_for, vest, masfjorden, leader_masfjorden
):
    from .test_positions import make_position

    gulen = Municipality.objects.get(number="4635")
    with scope(office=vest):
        own = make_position(vest, masfjorden, medical_office=None)
        other = make_position(vest, gulen, medical_office=None)
    page = client_for(leader_masfjorden).get("/vest/leger/ny/")
    options = page.context["form"].fields["position"].queryset
    with scope(office=vest):
        assert list(options) == [own]
    # A forged post of the other municipality's position is refused.
    response = client_for(leader_masfjorden).post(
        "/vest/leger/ny/", {**NEW_DOCTOR, "municipality": masfjorden.pk, "position": other.pk}
    )
    assert response.status_code == 200
    assert "position" in response.context["form"].errors
    with scope(office=vest):
        assert not Trainee.objects.filter(hpr_number="001234567").exists()


def test_hpr_registered_in_another_municipality_reveals_nothing_to_a_leader(
    client_for, vest, masfjorden, leader_masfjorden, coordinator_vest
):
    gulen = Municipality.objects.get(number="4635")
    make_trainee(vest, gulen, first_name="Hemmelig", last_name="Gulen", hpr_number="7654321")
    response = client_for(leader_masfjorden).post(
        "/vest/leger/ny/", {**NEW_DOCTOR, "hpr_number": "7654321", "municipality": masfjorden.pk}
    )
    text = response.content.decode()
    assert "Legen kan ikke registreres her; kontakt ALIS-kontoret." in text
    assert "Hemmelig" not in text
    assert "007654321" not in text and "i kontoret" not in text
    # The coordinator, who may see the whole office, gets the precise message.
    response = client_for(coordinator_vest).post(
        "/vest/leger/ny/", {**NEW_DOCTOR, "hpr_number": "7654321", "municipality": masfjorden.pk}
    )
    assert "Det finnes allerede en ALIS-lege med HPR-nummer 007654321 i kontoret." in (
        response.content.decode()
    )
