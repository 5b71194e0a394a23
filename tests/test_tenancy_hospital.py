"""A health trust's contact sees the requests, bookings and places of their own trust and
nothing else: every other page of the office, and every booking of another trust, is 404, as if
it did not exist. Walks every office route, so a new page is classified by this test too."""

from datetime import date

import pytest
from django_scopes import scope

from hospital.models import Booking
from offices.permissions import PERMISSIONS, Role

from .hospital_helpers import make_department, make_place, seed_rules, trust_contact
from .test_tenancy import _url_for, office_routes, sample_kwargs, vest_objects_for
from .trainee_factories import make_trainee


@pytest.fixture
def route_kwargs(vest, coordinator_vest, masfjorden, masfjorden_unit):
    seed_rules()
    return sample_kwargs(
        {**vest_objects_for(vest, coordinator_vest, masfjorden), **masfjorden_unit}
    )


def test_trust_contact_gets_404_everywhere_but_their_own_trusts_bookings(
    client_for, vest, route_kwargs
):
    contact = trust_contact(vest)  # Helse Bergen; the sample booking is at Haukeland (Bergen)
    client = client_for(contact)
    allowed_routes = []
    for _route, pattern in office_routes():
        url = _url_for(pattern, route_kwargs, "vest")
        perm = pattern.callback.access[1]
        if Role.TRUST_CONTACT in PERMISSIONS[perm]:
            allowed_routes.append(pattern.name)
            assert client.get(url).status_code in (200, 302), url
        else:
            # 405: a POST-only action (require_POST answers a GET before any permission
            # check, and says nothing about any row); the POST itself is 404.
            assert client.get(url).status_code in (404, 405), url
            assert client.post(url, {}).status_code == 404, url
    assert {"hospital_bookings", "hospital_booking", "hospital_places"} <= set(allowed_routes)


def test_trust_contact_gets_404_for_another_trusts_booking(client_for, vest, masfjorden):
    seed_rules()
    fonna = make_department(vest, None, code="FONNA", hospital="Haugesund sjukehus")
    trainee = make_trainee(vest, masfjorden, specialisation_start=date(2024, 1, 1))
    with scope(office=vest):
        booking = Booking.objects.create(office=vest, trainee=trainee, place=make_place(fonna))
    client = client_for(trust_contact(vest))
    assert client.get(f"/vest/sykehus/bestillinger/{booking.pk}/").status_code == 404
    assert (
        client.post(
            f"/vest/sykehus/bestillinger/{booking.pk}/", {"decision": "bekreft"}
        ).status_code
        == 404
    )
    assert "Aase" not in client.get("/vest/sykehus/bestillinger/").content.decode()
    assert "Haugesund" not in client.get("/vest/sykehus/moduler/").content.decode()


def test_trust_contact_of_vest_is_an_outsider_in_nord(client_for, vest):
    client = client_for(trust_contact(vest))
    assert client.get("/nord/sykehus/bestillinger/").status_code == 404


def test_leader_gets_404_for_a_booking_in_another_municipality(client_for, vest, leader_masfjorden):
    from municipalities.models import Municipality

    seed_rules()
    department = make_department(vest, None)
    trainee = make_trainee(vest, Municipality.objects.get(number="4601"))
    with scope(office=vest):
        booking = Booking.objects.create(office=vest, trainee=trainee, place=make_place(department))
    client = client_for(leader_masfjorden)
    assert client.get(f"/vest/sykehus/bestillinger/{booking.pk}/").status_code == 404
    assert client.post(f"/vest/sykehus/bestillinger/{booking.pk}/trekk/").status_code == 404
