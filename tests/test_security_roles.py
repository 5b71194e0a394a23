"""Issue 10, access ends when the role does: the office's members page and «Avslutt rolle»."""

from datetime import timedelta

import pytest
from django.test import Client

from accounts.models import Membership
from audit.models import SecurityEvent
from offices import clock
from offices.models import Office
from offices.permissions import Role

from .conftest import REGISTRATION_DATA, member
from .factories import MembershipFactory, UserFactory

Kind = SecurityEvent.Kind


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def membership_of(user, role) -> Membership:
    return Membership.objects.get(user=user, role=role)


def end_url(membership) -> str:
    return f"/vest/brukere/{membership.pk}/avslutt/"


@pytest.mark.dates
def test_the_coordinator_ends_a_leaders_role_and_the_leader_is_out_at_once(
    coordinator_vest, leader_masfjorden
):
    leader = logged_in(leader_masfjorden)
    assert leader.get("/vest/kommuner/4634/").status_code == 200
    coordinator = logged_in(coordinator_vest)
    listing = coordinator.get("/vest/brukere/").content.decode()
    role = membership_of(leader_masfjorden, Role.MUNICIPAL_LEADER)
    assert leader_masfjorden.email in listing and end_url(role) in listing
    # The confirmation step writes nothing and offers today (the suite's clock).
    today = clock.today()
    confirm = coordinator.get(end_url(role)).content.decode()
    assert "mister tilgangen gjennom denne rollen med en gang" in confirm
    assert f'value="{today:%Y-%m-%d}"' in confirm
    role.refresh_from_db()
    assert role.is_active
    response = coordinator.post(
        end_url(role), {"on": "", "reason": "Sluttet i kommunen"}, REMOTE_ADDR="192.0.2.7"
    )
    assert response.status_code == 302 and response.url == "/vest/brukere/"
    role.refresh_from_db()
    assert not role.is_active
    assert (role.ended_on, role.end_reason, role.ended_by) == (
        today,
        "Sluttet i kommunen",
        coordinator_vest,
    )
    # The leader's next request: the office's pages do not exist for them any more, and as it
    # was their only role, the session itself has ended.
    assert leader.get("/vest/kommuner/4634/").status_code == 302
    assert leader.get("/hjem/").status_code == 302
    # One security event, with who ended it, from where and why.
    event = SecurityEvent.objects.get(kind=Kind.ROLE_REVOKED)
    assert event.user == leader_masfjorden and event.office.slug == "vest"
    assert event.ip == "192.0.2.7"
    assert "leder (Masfjorden) avsluttet av koordinator@vest.example.no" in event.detail
    assert "Sluttet i kommunen" in event.detail
    assert leader_masfjorden.email not in coordinator.get("/vest/brukere/").content.decode()


def test_a_member_with_a_role_in_another_office_keeps_it(vest, nord, coordinator_vest):
    person = member(vest, Role.VEILEDER, None, email="veileder@begge.example.no")
    MembershipFactory(user=person, office=nord, role=Role.VEILEDER)
    client = logged_in(person)
    assert client.get("/vest/veiledning/").status_code == 200
    role = Membership.objects.get(user=person, office=vest)
    logged_in(coordinator_vest).post(end_url(role), {"reason": "Slutter som veileder i Vest"})
    assert client.get("/vest/veiledning/").status_code == 404
    assert client.get("/nord/veiledning/").status_code == 200


def test_a_revoked_leader_no_longer_blocks_a_new_registration(
    coordinator_vest, leader_masfjorden, masfjorden
):
    chief = logged_in(UserFactory(email="ny.helsesjef@masfjorden.example.no"))
    data = {"municipality": masfjorden.pk, **REGISTRATION_DATA}
    refused = chief.post("/registrering/", data).content.decode()
    assert "Masfjorden har allerede en aktiv kommunal leder i ALIS" in refused
    role = membership_of(leader_masfjorden, Role.MUNICIPAL_LEADER)
    logged_in(coordinator_vest).post(end_url(role), {"reason": "Gikk av"})
    assert chief.post("/registrering/", data).status_code == 302


def test_the_end_date_is_today_or_back_to_when_the_role_was_given(
    coordinator_vest, veileder_masfjorden
):
    role = membership_of(veileder_masfjorden, Role.VEILEDER)
    client = logged_in(coordinator_vest)
    today = clock.today()  # the role was given today (the suite's clock)
    later = f"{today + timedelta(days=8):%Y-%m-%d}"
    ahead = client.post(end_url(role), {"on": later, "reason": "Slutter"})
    page = ahead.content.decode()
    assert ahead.status_code == 200
    assert "datoen kan ikke være fram i tid" in page
    assert f'value="{later}"' in page and "Slutter</textarea>" in page
    before = client.post(end_url(role), {"on": "2020-01-01", "reason": "Slutter"})
    given = f"{today.day}.{today.month}.{today.year}"
    assert f"Rollen ble gitt {given}; den kan ikke avsluttes før det." in before.content.decode()
    no_reason = client.post(end_url(role), {"on": "", "reason": ""})
    assert "Skriv hvorfor rollen avsluttes." in no_reason.content.decode()
    role.refresh_from_db()
    assert role.is_active
    assert not SecurityEvent.objects.filter(kind=Kind.ROLE_REVOKED).exists()


def test_a_leader_ends_the_veiledere_of_their_own_municipality_only(
    vest, leader_masfjorden, veileder_masfjorden, alis_masfjorden
):
    from municipalities.models import Municipality

    gulen = Municipality.objects.get(number="4635")
    veileder_gulen = member(vest, Role.VEILEDER, gulen, email="veileder@gulen.example.no")
    supervisor = member(vest, Role.SUPERVISOR, None, email="supervisor@vest.example.no")
    client = logged_in(leader_masfjorden)
    listing = client.get("/vest/brukere/").content.decode()
    own = membership_of(veileder_masfjorden, Role.VEILEDER)
    doctor = membership_of(alis_masfjorden, Role.ALIS)
    assert end_url(own) in listing
    assert alis_masfjorden.email in listing and end_url(doctor) not in listing
    assert veileder_gulen.email not in listing and supervisor.email not in listing
    # Another municipality's veileder and a supervisor of no municipality: not there at all.
    for other in (veileder_gulen, supervisor):
        role = Membership.objects.get(user=other)
        assert client.get(end_url(role)).status_code == 404
        assert client.post(end_url(role), {"reason": "x"}).status_code == 404
    # The doctor of their own municipality: visible, but not theirs to end.
    assert client.post(end_url(doctor), {"reason": "x"}).status_code == 403
    assert client.post(end_url(own), {"reason": "Flyttet"}).status_code == 302
    own.refresh_from_db()
    doctor.refresh_from_db()
    assert not own.is_active and doctor.is_active


def test_nobody_ends_their_own_role_and_others_cannot_reach_the_page(
    coordinator_vest, veileder_masfjorden, alis_masfjorden, leader_masfjorden
):
    own = membership_of(coordinator_vest, Role.COORDINATOR)
    client = logged_in(coordinator_vest)
    assert end_url(own) not in client.get("/vest/brukere/").content.decode()
    assert client.post(end_url(own), {"reason": "x"}).status_code == 403
    leader_role = membership_of(leader_masfjorden, Role.MUNICIPAL_LEADER)
    for user in (veileder_masfjorden, alis_masfjorden):
        other = logged_in(user)
        assert other.get("/vest/brukere/").status_code == 403
        assert other.post(end_url(leader_role), {"reason": "x"}).status_code == 403
    leader_role.refresh_from_db()
    assert leader_role.is_active


def test_the_list_filters_by_role_and_municipality_and_is_paginated(
    vest, masfjorden, coordinator_vest, leader_masfjorden
):
    from municipalities.models import Municipality

    gulen = Municipality.objects.get(number="4635")
    for n in range(51):
        member(vest, Role.VEILEDER, masfjorden, email=f"veileder{n:02}@example.no", last_name="Vik")
    member(vest, Role.VEILEDER, gulen, email="veileder@gulen.example.no", last_name="Vik")
    client = logged_in(coordinator_vest)
    first = client.get("/vest/brukere/", {"role": "veileder"}).content.decode()
    assert "52 roller" in first and "Side 1 av 2" in first
    assert leader_masfjorden.email not in first
    second = client.get(
        "/vest/brukere/", {"role": "veileder", "municipality": gulen.pk}
    ).content.decode()
    assert "1 rolle" in second and "veileder@gulen.example.no" in second
    assert "veileder00@example.no" not in second
    leaders = client.get("/vest/brukere/", {"role": "leder"}).content.decode()
    assert "1 rolle" in leaders and leader_masfjorden.email in leaders


def test_another_offices_coordinator_cannot_end_a_vest_role(
    nord, coordinator_nord, leader_masfjorden
):
    role = membership_of(leader_masfjorden, Role.MUNICIPAL_LEADER)
    client = logged_in(coordinator_nord)
    assert client.get(f"/nord/brukere/{role.pk}/avslutt/").status_code == 404
    assert client.post(f"/nord/brukere/{role.pk}/avslutt/", {"reason": "x"}).status_code == 404
    assert Office.objects.get(slug="vest").memberships.get(pk=role.pk).is_active
