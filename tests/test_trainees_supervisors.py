"""Veiledere and supervisører, the supervisor pool with its capacity, and group supervision."""

import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope

from municipalities.models import Municipality
from offices.permissions import Role
from trainees.models import SupervisionGroup, SupervisorAssignment
from trainees.selectors import capacity_overview, supervisors_for_municipality

from .conftest import member
from .trainee_factories import make_assignment, make_group, make_supervisor, make_trainee


@pytest.fixture
def doctor(vest, masfjorden, leader_masfjorden):
    return make_trainee(vest, masfjorden, leader_masfjorden)


@pytest.fixture
def gp(vest, masfjorden):
    return make_supervisor(vest, [masfjorden], name="Gunn Allmenn", capacity=2)


@pytest.fixture
def other_specialist(vest, masfjorden):
    return make_supervisor(
        vest, [masfjorden], name="Ola Indremed", specialty="annen", other_specialty="Indremedisin"
    )


# --- One veileder at a time -----------------------------------------------------------------


def test_a_new_veileder_ends_the_previous_one_and_history_is_kept(
    client_for, leader_masfjorden, vest, masfjorden, doctor, gp
):
    second = make_supervisor(vest, [masfjorden], name="Per Praksis")
    make_assignment(doctor, gp, start=date(2024, 1, 1))
    client = client_for(leader_masfjorden)
    response = client.post(
        f"/vest/leger/{doctor.pk}/veiledning/ny/",
        {"role": "veileder", "supervisor": second.pk, "start": "2025-03-01"},
    )
    assert response.status_code == 302
    with scope(office=vest):
        rows = list(SupervisorAssignment.objects.filter(trainee=doctor).order_by("start"))
    assert [(r.supervisor_name, r.end) for r in rows] == [
        ("Gunn Allmenn", date(2025, 2, 28)),
        ("Per Praksis", None),
    ]
    page = client.get(f"/vest/leger/{doctor.pk}/").content.decode()
    assert "Gunn Allmenn, 01.01.2024–28.02.2025" in page
    assert "Per Praksis, 01.03.2025–løpende" in page
    assert "Til: – → 28.02.2025" in page  # the history


def test_database_allows_only_one_current_veileder(vest, doctor, gp):
    make_assignment(doctor, gp)
    with scope(office=vest), pytest.raises(ValidationError, match="allerede en veileder"):
        SupervisorAssignment(
            office=vest, trainee=doctor, supervisor=gp, role="veileder", start=date(2025, 1, 1)
        ).full_clean()


def test_new_veileder_must_start_after_the_current_one(doctor, gp):
    make_assignment(doctor, gp, start=date(2025, 1, 1))
    with pytest.raises(ValidationError, match="ny veileder må starte etter det"):
        make_assignment(doctor, gp, start=date(2024, 6, 1))


def test_any_number_of_supervisors(vest, masfjorden, doctor, gp):
    make_assignment(doctor, gp)
    for name in ("S1", "S2", "S3"):
        make_assignment(doctor, make_supervisor(vest, [masfjorden], name=name), role="supervisor")
    with scope(office=vest):
        assert doctor.supervisors.filter(end__isnull=True).count() == 4


def test_non_specialist_veileder_needs_reason_and_end_date(
    client_for, leader_masfjorden, doctor, other_specialist
):
    client = client_for(leader_masfjorden)
    url = f"/vest/leger/{doctor.pk}/veiledning/ny/"
    form = {"role": "veileder", "supervisor": other_specialist.pk, "start": "2025-01-01"}
    page = client.post(url, form).content.decode()
    assert "Ola Indremed er ikke spesialist i allmennmedisin." in page
    assert "Et unntak gjelder for en bestemt periode: oppgi sluttdato." in page
    response = client.post(
        url,
        {**form, "end": "2025-12-31", "exception_reason": "Sykehustjeneste i Bergen i ett år"},
    )
    assert response.status_code == 302
    page = client.get(f"/vest/leger/{doctor.pk}/").content.decode()
    assert "unntak: Sykehustjeneste i Bergen i ett år" in page
    # As supervisør, no exception is needed.
    assert (
        client.post(url, {**form, "role": "supervisor", "start": "2025-02-01"}).status_code == 302
    )


def test_ending_an_assignment(client_for, leader_masfjorden, vest, doctor, gp):
    assignment = make_assignment(doctor, gp, start=date(2024, 1, 1))
    client = client_for(leader_masfjorden)
    url = f"/vest/leger/{doctor.pk}/veiledning/{assignment.pk}/avslutt/"
    assert (
        "Sluttdatoen kan ikke være før" in client.post(url, {"end": "2023-01-01"}).content.decode()
    )
    assert client.post(url, {"end": "2024-12-31"}).status_code == 302
    with scope(office=vest):
        assignment.refresh_from_db()
    assert assignment.end == date(2024, 12, 31)


def test_the_veileder_sees_their_doctors(vest, masfjorden, veileder_masfjorden, client_for, doctor):
    supervisor = make_supervisor(vest, [masfjorden], user=veileder_masfjorden, name="Vidar Vik")
    make_assignment(doctor, supervisor)
    page = client_for(veileder_masfjorden).get("/vest/veiledning/").content.decode()
    assert "Anna Aase" in page and "Masfjorden" in page


# --- Pool, load and capacity ----------------------------------------------------------------


def test_load_counts_current_veileder_assignments_only(vest, masfjorden, doctor, gp):
    other = make_trainee(vest, masfjorden, hpr_number="2222222", last_name="Berg")
    third = make_trainee(vest, masfjorden, hpr_number="3333333", last_name="Dahl")
    make_assignment(doctor, gp, start=date(2023, 1, 1), end=date(2023, 12, 31))  # ended
    make_assignment(other, gp)
    make_assignment(third, gp, role="supervisor")  # supervisør: not veileder capacity
    with scope(office=vest):
        s = supervisors_for_municipality(vest, masfjorden, only_free=False).get(pk=gp.pk)
    assert (s.capacity, s.load, s.free) == (2, 1, 1)
    make_assignment(third, gp)
    with scope(office=vest):
        assert not supervisors_for_municipality(vest, masfjorden).filter(pk=gp.pk).exists()
        full = supervisors_for_municipality(vest, masfjorden, only_free=False).get(pk=gp.pk)
    assert (full.load, full.free) == (2, 0)


def test_leader_sees_nearby_supervisors_with_free_capacity_first(
    client_for, leader_masfjorden, vest, masfjorden
):
    gulen = Municipality.objects.get(number="4635")  # Vestland, like Masfjorden
    stavanger = Municipality.objects.get(number="1103")  # Rogaland
    make_supervisor(vest, [stavanger], name="C Stavanger")
    make_supervisor(vest, [gulen], name="B Gulen")
    make_supervisor(vest, [masfjorden], name="D Masfjorden annen", specialty="annen",
                    other_specialty="Psykiatri")  # fmt: skip
    make_supervisor(vest, [masfjorden], name="A Masfjorden")
    make_supervisor(vest, [masfjorden], name="E Full", capacity=0)
    with scope(office=vest):
        names = [s.name for s in supervisors_for_municipality(vest, masfjorden)]
    assert names == ["A Masfjorden", "D Masfjorden annen", "B Gulen", "C Stavanger"]
    page = client_for(leader_masfjorden).get("/vest/veilederpool/").content.decode()
    assert "Finn veileder for Masfjorden" in page
    assert page.index("A Masfjorden") < page.index("B Gulen") < page.index("C Stavanger")
    assert "Nabokommune i fylket" in page and "E Full" not in page
    assert (
        "E Full" in client_for(leader_masfjorden).get("/vest/veilederpool/?alle=1").content.decode()
    )
    # Leaders search the pool; only the coordinator keeps it.
    assert client_for(leader_masfjorden).get("/vest/veilederpool/ny/").status_code == 403
    assert client_for(leader_masfjorden).get("/vest/veilederpool/kapasitet/").status_code == 403


def test_coordinator_adds_to_the_pool(client_for, coordinator_vest, vest, masfjorden):
    client = client_for(coordinator_vest)
    form = {
        "name": "Siri Sund",
        "email": "siri@example.no",
        "specialty": "annen",
        "capacity": "3",
        "municipalities": [masfjorden.pk],
        "is_active": "on",
    }
    page = client.post("/vest/veilederpool/ny/", form).content.decode()
    assert "Skriv hvilken spesialitet." in page and 'value="Siri Sund"' in page
    response = client.post("/vest/veilederpool/ny/", {**form, "specialty": "allmennmedisin"})
    assert response.status_code == 302
    page = client.get("/vest/veilederpool/").content.decode()
    assert "Siri Sund" in page and "Masfjorden" in page


def test_capacity_overview_shows_where_capacity_is_short(
    client_for, coordinator_vest, vest, masfjorden, doctor, gp
):
    gulen = Municipality.objects.get(number="4635")
    for n in range(3):
        make_trainee(vest, gulen, hpr_number=f"444444{n}", last_name=f"Gulen{n}")
    second = make_trainee(vest, masfjorden, hpr_number="5555555", last_name="Mo")
    make_assignment(second, gp)
    with scope(office=vest):
        overview = capacity_overview(vest)
    rows = {r.name: r for r in overview["municipalities"]}
    assert (rows["Gulen"].without_veileder, rows["Gulen"].free, rows["Gulen"].shortfall) == (
        3,
        0,
        3,
    )
    m = rows["Masfjorden"]
    assert (m.doctors, m.without_veileder, m.free, m.shortfall) == (2, 1, 1, 0)
    assert overview["municipalities"][0].name == "Gulen"  # worst first
    county = overview["counties"][0]
    assert (county.name, county.without_veileder, county.free, county.shortfall) == (
        "Vestland",
        4,
        1,
        3,
    )
    page = client_for(coordinator_vest).get("/vest/veilederpool/kapasitet/").content.decode()
    assert "4 ALIS-leger i utdanning mangler veileder" in page
    assert "<strong>3</strong>" in page


def test_pool_and_capacity_pages_do_not_grow_queries_with_rows(
    client_for, coordinator_vest, vest, masfjorden, django_assert_max_num_queries
):
    client = client_for(coordinator_vest)
    make_supervisor(vest, [masfjorden], name="S0")
    make_group(vest, [make_trainee(vest, masfjorden, hpr_number="6000000")], name="G")
    counts = []
    for round_ in range(2):
        with django_assert_max_num_queries(15) as pool:
            client.get("/vest/veilederpool/")
        with django_assert_max_num_queries(15) as cap:
            client.get("/vest/veilederpool/kapasitet/")
        with django_assert_max_num_queries(15) as groups:
            client.get("/vest/veiledningsgrupper/")
        counts.append((len(pool), len(cap), len(groups)))
        gulen = Municipality.objects.get(number="4635")
        for n in range(4):
            t = make_trainee(vest, gulen, hpr_number=f"70{round_}000{n}", last_name=f"L{n}")
            s = make_supervisor(vest, [masfjorden, gulen], name=f"S{round_}{n}")
            make_assignment(t, s)
            make_group(vest, [t], name=f"G{round_}{n}")
    assert counts[0] == counts[1]


# --- Group supervision ----------------------------------------------------------------------


def test_leader_creates_and_edits_a_group_of_own_doctors(
    client_for, leader_masfjorden, vest, masfjorden, doctor
):
    gulen = Municipality.objects.get(number="4635")
    gulen_doctor = make_trainee(vest, gulen, hpr_number="8888888", first_name="Gina")
    client = client_for(leader_masfjorden)
    form = {"name": "Nordhordland 2025", "start": "2025-01-01", "hours_held": "12.5"}
    page = client.post("/vest/veiledningsgrupper/ny/", form).content.decode()
    assert "Oppgi gruppelederen." in page
    assert "Gina" not in page  # only own doctors can be chosen
    response = client.post(
        "/vest/veiledningsgrupper/ny/",
        {**form, "leader_name": "Gro Gruppe", "members": [doctor.pk]},
    )
    assert response.status_code == 302
    with scope(office=vest):
        group = SupervisionGroup.objects.get(name="Nordhordland 2025")
        group.members.add(gulen_doctor)  # the coordinator added a doctor from Gulen
    response = client.post(
        f"/vest/veiledningsgrupper/{group.pk}/",
        {**form, "leader_name": "Gro Gruppe", "hours_held": "20", "members": [doctor.pk]},
    )
    assert response.status_code == 302
    with scope(office=vest):
        group.refresh_from_db()
        assert group.hours_held == 20
        assert set(group.members.all()) == {doctor, gulen_doctor}  # Gina kept
    page = client.get("/vest/veiledningsgrupper/").content.decode()
    assert "Nordhordland 2025" in page and "Gro Gruppe" in page
    assert "Nordhordland 2025" in client.get(f"/vest/leger/{doctor.pk}/").content.decode()


def test_leader_does_not_see_other_municipalities_groups(client_for, vest, doctor):
    make_group(vest, [doctor], name="Masfjorden-gruppa")
    bergen = Municipality.objects.get(number="4601")
    client = client_for(member(vest, Role.MUNICIPAL_LEADER, bergen, email="leder@bergen.no"))
    assert "Masfjorden-gruppa" not in client.get("/vest/veiledningsgrupper/").content.decode()
    with scope(office=vest):
        group = SupervisionGroup.objects.get()
    assert client.get(f"/vest/veiledningsgrupper/{group.pk}/").status_code == 404


def test_groups_are_listed_under_their_doctors_health_trust(
    client_for, coordinator_vest, vest, doctor
):
    """Masfjorden lies in Helse Bergen's area, Gulen and Kinn in Helse Førde's: the page is
    grouped as the coordinators' tables are, a group across both under «A / B»."""
    gulen = Municipality.objects.get(number="4635")
    kinn = Municipality.objects.get(number="4602")
    gina = make_trainee(vest, gulen, hpr_number="8888888", first_name="Gina")
    kari = make_trainee(vest, kinn, hpr_number="7777777", first_name="Kari")
    make_group(vest, [gina, kari], name="Sogn og Fjordane 2025")
    make_group(vest, [doctor], name="Nordhordland 2025")
    make_group(vest, [doctor, gina], name="Felles 2025")
    make_group(vest, [], name="Ny gruppe uten deltakere")
    html = client_for(coordinator_vest).get("/vest/veiledningsgrupper/").content.decode()
    headings = [
        " ".join(h.split())
        for h in re.findall(r'<h2 class="ds-heading trust-heading"[^>]*>(.*?)</h2>', html, re.S)
    ]
    assert [re.sub(r"<[^>]+>", "", h) for h in headings] == [
        "Helse Bergen HF (1 gruppe, 1 deltaker)",
        "Helse Bergen HF / Helse Førde HF (1 gruppe, 2 deltakere)",
        "Helse Førde HF (1 gruppe, 2 deltakere)",
        "Uten deltakere (1 gruppe, 0 deltakere)",
    ]
    sections = html.split('<h2 class="ds-heading trust-heading"')[1:]
    assert "Nordhordland 2025" in sections[0] and "Sogn og Fjordane" not in sections[0]
    assert "Felles 2025" in sections[1] and "Nordhordland 2025" not in sections[1]
    assert "Sogn og Fjordane 2025" in sections[2] and "Nordhordland 2025" not in sections[2]
    assert "Ny gruppe uten deltakere" in sections[3]


def test_group_end_before_start(vest, doctor):
    with pytest.raises(ValidationError, match="Sluttdatoen"):
        make_group(vest, [doctor], start=date(2025, 1, 1), end=date(2025, 1, 1) - timedelta(1))


def test_capacity_page_lists_doctors_waiting_for_a_veileder(
    client_for, coordinator_vest, vest, masfjorden, doctor, gp
):
    helped = make_trainee(vest, masfjorden, hpr_number="5555555", last_name="Mo")
    make_assignment(helped, gp)
    page = client_for(coordinator_vest).get("/vest/veilederpool/kapasitet/").content.decode()
    waiting = page[page.index("Leger som venter på veileder") :]
    assert "Anna Aase" in waiting and "Mo" not in waiting
    assert "?kommune=4634" in waiting


def test_assigning_beyond_capacity_warns(client_for, leader_masfjorden, vest, masfjorden, doctor):
    full = make_supervisor(vest, [masfjorden], name="Fulle Frida", capacity=0)
    response = client_for(leader_masfjorden).post(
        f"/vest/leger/{doctor.pk}/veiledning/ny/",
        {"role": "veileder", "supervisor": full.pk, "start": "2025-01-01"},
        follow=True,
    )
    assert "Fulle Frida er nå veileder for flere ALIS-leger enn kapasiteten (0)." in (
        response.content.decode()
    )
