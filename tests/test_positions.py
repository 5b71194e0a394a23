"""Positions and medical offices: the create/edit/status flow, the office's rule for the most
positions per municipality, who sees what, and that pages do not grow queries with rows."""

import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope

from municipalities.models import Municipality
from municipalities.services import municipalities_move
from positions.models import OfficeRules, Position, PositionStatusChange, Status
from positions.services import (
    medical_office_create,
    position_change_status,
    position_create,
)


def make_position(office, municipality, user=None, *, medical_office=None, **kwargs):
    data = {"list_ceiling": 800, "employment_form": "fastlonn", "scheme": "ny", **kwargs}
    return position_create(
        office=office,
        acting_user=user,
        municipality=municipality,
        medical_office=medical_office,
        **data,
    )


@pytest.fixture
def gulen(db):
    return Municipality.objects.get(number="4635")


def test_coordinator_creates_edits_and_moves_a_position_through_its_statuses(
    client_for, coordinator_vest, vest, masfjorden
):
    client = client_for(coordinator_vest)
    mo = medical_office_create(
        office=vest,
        acting_user=coordinator_vest,
        municipality=masfjorden,
        name="Masfjorden legekontor",
        ownership="kommunal",
    )
    response = client.post(
        "/vest/stillinger/ny/",
        {
            "municipality": masfjorden.pk,
            "medical_office": mo.pk,
            "list_ceiling": "800",
            "employment_form": "naering",
            "scheme": "ny",
            "applicants": "2",
        },
    )
    assert response.status_code == 302
    with scope(office=vest):
        position = Position.objects.get()
    assert response.url == f"/vest/stillinger/{position.pk}/"
    assert (position.status, position.employment_form, position.applicants) == (
        Status.PLANNED,
        "naering",
        2,
    )

    response = client.post(
        f"/vest/stillinger/{position.pk}/endre/",
        {
            "municipality": masfjorden.pk,
            "medical_office": mo.pk,
            "list_ceiling": "900",
            "employment_form": "naering",
            "scheme": "gammel",
            "applicants": "4",
        },
    )
    assert response.status_code == 302
    position.refresh_from_db()
    assert (position.list_ceiling, position.scheme, position.applicants) == (900, "gammel", 4)

    day = date.today()
    for status in ("utlyst", "besatt", "ledig"):
        response = client.post(
            f"/vest/stillinger/{position.pk}/status/",
            {"status": status, "on": day.isoformat(), "note": ""},
        )
        assert response.status_code == 302, response.content.decode()
    position.refresh_from_db()
    assert position.status == Status.VACANT
    with scope(office=vest):
        history = list(
            PositionStatusChange.objects.filter(position=position).values_list("status", flat=True)
        )
    assert history == ["planlagt", "utlyst", "besatt", "ledig"]
    page = client.get(f"/vest/stillinger/{position.pk}/").content.decode()
    assert "Statushistorikk" in page and "Ledig" in page


def test_a_status_cannot_jump_or_go_back_in_time(vest, coordinator_vest, masfjorden):
    position = make_position(vest, masfjorden, coordinator_vest)
    with pytest.raises(ValidationError, match="kan ikke bli «besatt»"):
        position_change_status(
            office=vest,
            acting_user=coordinator_vest,
            position=position,
            status="besatt",
            on=date.today(),
        )
    with pytest.raises(ValidationError, match="før forrige statusendring"):
        position_change_status(
            office=vest,
            acting_user=coordinator_vest,
            position=position,
            status="utlyst",
            on=date.today() - timedelta(days=1),
        )


def test_form_keeps_what_the_user_typed_and_explains_the_error(
    client_for, coordinator_vest, masfjorden
):
    response = client_for(coordinator_vest).post(
        "/vest/stillinger/ny/",
        {
            "municipality": masfjorden.pk,
            "list_ceiling": "50",
            "employment_form": "fastlonn",
            "scheme": "ny",
            "applicants": "3",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Listetaket må være minst 100." in html
    assert 'value="3"' in html and 'value="50"' in html


def test_most_positions_per_municipality_is_the_office_rule(
    client_for, vest, coordinator_vest, masfjorden
):
    make_position(vest, masfjorden, coordinator_vest)
    second = make_position(vest, masfjorden, coordinator_vest)
    with pytest.raises(ValidationError) as error:
        make_position(vest, masfjorden, coordinator_vest)
    assert "Masfjorden har allerede 2 aktive ALIS-stillinger" in str(error.value)
    # The same message reaches the coordinator in the form.
    response = client_for(coordinator_vest).post(
        "/vest/stillinger/ny/",
        {
            "municipality": masfjorden.pk,
            "employment_form": "fastlonn",
            "scheme": "ny",
            "applicants": "0",
        },
    )
    assert "Masfjorden har allerede 2 aktive ALIS-stillinger" in response.content.decode()
    # An ended position no longer counts.
    position_change_status(
        office=vest,
        acting_user=coordinator_vest,
        position=second,
        status="avsluttet",
        on=date.today(),
    )
    make_position(vest, masfjorden, coordinator_vest)
    # The rule is data: an office may allow more.
    OfficeRules.objects.create(office=vest, max_positions_per_municipality=3)
    make_position(vest, masfjorden, coordinator_vest)
    with pytest.raises(ValidationError):
        make_position(vest, masfjorden, coordinator_vest)


def test_leader_sees_and_manages_only_own_municipality(
    client_for, vest, coordinator_vest, leader_masfjorden, masfjorden, gulen
):
    own = make_position(vest, masfjorden, coordinator_vest, list_ceiling=777)
    other = make_position(vest, gulen, coordinator_vest, list_ceiling=888)
    medical_office_create(
        office=vest,
        acting_user=coordinator_vest,
        municipality=gulen,
        name="Gulen legekontor",
        ownership="kommunal",
    )
    client = client_for(leader_masfjorden)
    page = client.get("/vest/stillinger/").content.decode()
    assert "777" in page and "888" not in page
    assert client.get(f"/vest/stillinger/{own.pk}/").status_code == 200
    assert client.get(f"/vest/stillinger/{other.pk}/").status_code == 403
    assert client.get(f"/vest/stillinger/{other.pk}/endre/").status_code == 403
    assert (
        client.post(
            f"/vest/stillinger/{other.pk}/status/", {"status": "utlyst", "on": "2030-01-01"}
        ).status_code
        == 403
    )
    assert "Gulen legekontor" not in client.get("/vest/legekontor/").content.decode()
    # The create form offers only the leader's municipality; another one is refused.
    response = client.post(
        "/vest/stillinger/ny/",
        {
            "municipality": gulen.pk,
            "employment_form": "fastlonn",
            "scheme": "ny",
            "applicants": "0",
        },
    )
    assert response.status_code == 200
    assert "Velg et gyldig valg" in response.content.decode()
    # The regional overview is the coordinator's.
    assert client.get("/vest/oversikt/").status_code == 403
    assert client.get("/vest/oversikt/import/").status_code == 403


def test_alis_doctor_has_no_position_pages(client_for, alis_masfjorden):
    client = client_for(alis_masfjorden)
    assert client.get("/vest/stillinger/").status_code == 403
    assert client.get("/vest/oversikt/").status_code == 403


def test_a_position_of_another_office_is_404_inside_my_office(
    client_for, nord, coordinator_nord, coordinator_vest, vadso
):
    position = make_position(nord, vadso, coordinator_nord)
    client = client_for(coordinator_vest)
    assert client.get(f"/vest/stillinger/{position.pk}/").status_code == 404
    assert client.get(f"/vest/stillinger/{position.pk}/endre/").status_code == 404


def test_positions_follow_a_municipality_moved_to_another_office(
    vest, nord, coordinator_vest, masfjorden
):
    mo = medical_office_create(
        office=vest,
        acting_user=coordinator_vest,
        municipality=masfjorden,
        name="Masfjorden legekontor",
        ownership="kommunal",
    )
    position = make_position(vest, masfjorden, coordinator_vest, medical_office=mo)
    municipalities_move(numbers=["4634"], to_office=nord, on=date.today() + timedelta(days=1))
    with scope(office=nord):
        assert Position.objects.get(pk=position.pk).office == nord
        assert PositionStatusChange.objects.filter(position=position).count() == 1
    with scope(office=vest):
        assert not Position.objects.filter(pk=position.pk).exists()


def _positions(office, municipalities, user, n):
    for i in range(n):
        mo = medical_office_create(
            office=office,
            acting_user=user,
            municipality=municipalities[i % len(municipalities)],
            name=f"Legekontor {i}",
            ownership="privat" if i % 2 else "kommunal",
        )
        make_position(office, mo.municipality, user, medical_office=mo, list_ceiling=600 + i)


@pytest.mark.parametrize("url", ["/vest/stillinger/", "/vest/legekontor/"])
def test_position_pages_do_not_grow_queries_with_rows(
    client_for, vest, coordinator_vest, url, django_assert_max_num_queries
):
    OfficeRules.objects.create(office=vest, max_positions_per_municipality=50)
    municipalities = list(Municipality.objects.filter(office=vest)[:10])
    client = client_for(coordinator_vest)
    _positions(vest, municipalities, coordinator_vest, 3)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
    _positions(vest, municipalities[::-1], coordinator_vest, 30)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert len(re.findall(r"<tr>", response.content.decode())) >= 33


def test_coordinator_sets_the_rule_and_a_leader_may_not(
    client_for, vest, coordinator_vest, leader_masfjorden, masfjorden
):
    from positions.services import office_rules

    client = client_for(coordinator_vest)
    assert client.get("/vest/oversikt/regler/").status_code == 200
    response = client.post("/vest/oversikt/regler/", {"max_positions_per_municipality": "3"})
    assert response.status_code == 302
    assert office_rules(vest).max_positions_per_municipality == 3
    for _i in range(3):
        make_position(vest, masfjorden, coordinator_vest)
    client = client_for(leader_masfjorden)
    assert (
        client.post("/vest/oversikt/regler/", {"max_positions_per_municipality": "9"}).status_code
        == 403
    )
