"""Each role's home is an inbox: what waits, how much, and where to do it (issue 14)."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope

from accounts.models import Invitation, Membership
from accounts.services import invitation_accept, invitation_create
from goals import services as svc
from goals.sample_catalogue import load_sample_catalogue
from inbox import selectors
from intake import services as intake_services
from intake.models import Round, RoundStatus
from national import selectors as national_selectors
from national import services as national_services
from national.models import Meeting, NationalTask, TaskStatus
from offices import clock
from offices.permissions import OfficeAccess, Role
from records.models import CorrectionRequest
from trainees.models import SupervisorAssignment, SupervisorRole, Trainee

from .conftest import member, waiting_registration
from .factories import UserFactory
from .intake_helpers import answers as intake_answers
from .intake_helpers import criteria as intake_criteria
from .intake_helpers import decided_round, make_round, nord_municipality
from .progress_helpers import (
    approve_goal,
    first_goals,
    link_supervisor,
    make_doctor,
    record,
    supervisor_user,
)
from .trainee_factories import make_trainee

TODAY = date(2026, 11, 23)  # the suite's frozen clock


@pytest.fixture(autouse=True)
def _storage(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


@pytest.fixture
def catalogue(db):
    return load_sample_catalogue()


@pytest.fixture
def doctor(vest, masfjorden, alis_masfjorden, catalogue):
    return make_doctor(vest, masfjorden, user=alis_masfjorden)


def card(html: str, key: str) -> str:
    match = re.search(rf'data-inbox="{key}">(.*?)</div>', html, re.S)
    assert match, f"no card {key}"
    return re.sub(r"\s+", " ", match.group(1))


def page(client, slug="vest") -> str:
    response = client.get(reverse("inbox", args=[slug]))
    assert response.status_code == 200
    return response.content.decode()


# --- Where each role starts ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona", ["coordinator_vest", "leader_masfjorden", "veileder_masfjorden"]
)
def test_home_sends_each_working_role_to_the_inbox(db, client_for, persona, request):
    # `db` in the signature: pytest-django then runs it with the database tests, before any
    # transactional test has flushed the migrated offices away.
    user = request.getfixturevalue(persona)
    response = client_for(user).get(reverse("home"))
    assert response.status_code == 302
    assert response.url == "/vest/innboks/"


def test_the_doctor_still_starts_on_where_do_i_stand(client_for, alis_masfjorden):
    assert client_for(alis_masfjorden).get(reverse("home")).url == "/vest/min-plan/krav/"


# --- The coordinator -----------------------------------------------------------------------------


def test_coordinator_sees_waiting_registrations_with_a_link(
    client_for, coordinator_vest, masfjorden
):
    waiting_registration(masfjorden, days=3)
    html = page(client_for(coordinator_vest))
    registrations = card(html, "registrations")
    assert "1 registrering venter" in registrations
    assert 'href="/vest/registreringer/"' in registrations
    # Nothing waits in the other queues: they say so and offer no link.
    assert "Ingenting venter" in card(html, "claims")
    assert "href" not in card(html, "claims")


def test_coordinator_counts_doctors_without_veileder_and_without_sessions(
    client_for, coordinator_vest, vest, masfjorden, veileder_masfjorden, catalogue
):
    with_veileder = make_doctor(vest, masfjorden, hpr_number="001111111", email="a@example.no")
    make_doctor(vest, masfjorden, hpr_number="002222222", email="b@example.no")
    link_supervisor(with_veileder, veileder_masfjorden)
    html = page(client_for(coordinator_vest))
    assert "1 lege" in card(html, "without_veileder")
    # Both started in 2023 and have no supervision session logged in the last two months.
    assert "2 leger" in card(html, "behind")


def correction_requests(office, doctors, n_each=1):
    with scope(office=office):
        for doctor in doctors:
            for i in range(n_each):
                CorrectionRequest.objects.create(office=office, trainee=doctor, text=f"Feil {i}")


def test_coordinator_counts_take_a_fixed_number_of_queries(vest, masfjorden, catalogue):
    waiting_registration(masfjorden, days=3)
    doctors = [
        make_doctor(vest, masfjorden, hpr_number=f"00333333{n}", email=f"d{n}@example.no")
        for n in range(3)
    ]
    correction_requests(vest, doctors[:1])
    with scope(office=vest), CaptureQueriesContext(connection) as queries:
        counts = selectors.coordinator_counts(vest, TODAY)
    # Ten queues, one query each (correction requests and past events without attendance
    # are the ninth and tenth).
    assert len(queries) == 10
    assert counts["registrations"] == 1 and counts["without_veileder"] == 3
    assert counts["corrections"] == 1
    # Five times the requests: the same number of queries.
    correction_requests(vest, doctors, n_each=2)
    with scope(office=vest), CaptureQueriesContext(connection) as more:
        counts = selectors.coordinator_counts(vest, TODAY)
    assert len(more) == 10 and counts["corrections"] == 7


# --- The municipal leader ------------------------------------------------------------------------


def leader_access(vest, leader):
    return OfficeAccess(office=vest, memberships=list(Membership.objects.filter(user=leader)))


@pytest.fixture
def team(doctor, veileder_masfjorden, vest, masfjorden):
    supervisor = supervisor_user(vest, masfjorden)
    link_supervisor(doctor, veileder_masfjorden)
    link_supervisor(doctor, supervisor, SupervisorRole.SUPERVISOR, name="Sofie Sup")
    return doctor, supervisor


def test_leader_is_asked_to_approve_goals_and_then_to_issue_a_confirmation(
    client_for, vest, leader_masfjorden, veileder_masfjorden, team
):
    doctor, supervisor = team
    goal_a, goal_b = first_goals(2)
    approve_goal(
        doctor,
        goal_a,
        veileder_masfjorden,
        supervisor,
        leader_masfjorden,
        leader_access(vest, leader_masfjorden),
    )
    activity = record(doctor, [goal_b])
    svc.activities_sign(office=vest, acting_user=veileder_masfjorden, activities=[activity])
    svc.goal_submit(office=vest, acting_user=doctor.user, trainee=doctor, goal=goal_b)

    html = page(client_for(leader_masfjorden))
    goals = card(html, "goals")
    assert "1 mål venter" in goals and 'href="/vest/godkjenning/"' in goals
    confirmations = card(html, "confirmations")
    assert "1 lege har nye godkjente mål" in confirmations
    assert "/vest/kommuner/4634/bekreftelser/utsted-alle/" in confirmations
    assert "Ingenting venter" in card(html, "without_veileder")


def test_leader_counts_take_a_fixed_number_of_queries(vest, masfjorden, catalogue):
    doctors = [
        make_doctor(vest, masfjorden, hpr_number=f"00444444{n}", email=f"e{n}@example.no")
        for n in range(3)
    ]
    other = make_doctor(
        vest,
        vest.municipalities.exclude(pk=masfjorden.pk).first(),
        hpr_number="004444449",
        email="f@example.no",
    )
    correction_requests(vest, [doctors[0], other])
    with scope(office=vest), CaptureQueriesContext(connection) as queries:
        counts = selectors.leader_counts(vest, {masfjorden.pk}, TODAY)
        checklists = selectors.start_checklists(vest, {masfjorden.pk})
    # Eight queues (the correction requests are the eighth) and the checklist.
    assert len(queries) == 9
    assert counts["without_veileder"] == 3
    assert counts["corrections"] == 1  # the other municipality's request is not theirs
    assert checklists[0].has_doctor and not checklists[0].has_plan
    correction_requests(vest, doctors, n_each=2)
    with scope(office=vest), CaptureQueriesContext(connection) as more:
        counts = selectors.leader_counts(vest, {masfjorden.pk}, TODAY)
        selectors.start_checklists(vest, {masfjorden.pk})
    assert len(more) == 9 and counts["corrections"] == 7


def test_new_leader_gets_a_start_checklist_until_it_is_done(
    client_for, leader_masfjorden, vest, masfjorden
):
    html = page(client_for(leader_masfjorden))
    assert "Kom i gang" in html
    steps = re.findall(r"<li>(.*?)</li>", html.split("Kom i gang")[1].split("</ol>")[0], re.S)
    assert [re.sub(r"<[^>]+>", "", s).strip() for s in steps] == [
        "Skriv den generelle utdanningsplanen",
        "Registrer ALIS-stillingene",
        "Registrer ALIS-legen og inviter hen",
        "Inviter ALIS-legen",
    ]
    make_trainee(vest, masfjorden)
    html = page(client_for(leader_masfjorden))
    assert "Gjort</span> ALIS-lege registrert" in html


# --- The veileder --------------------------------------------------------------------------------


def test_veileder_sees_activities_to_sign_and_their_doctor_with_status(
    client_for, vest, veileder_masfjorden, team
):
    doctor, _supervisor = team
    goal = first_goals(1)[0]
    record(doctor, [goal])
    html = page(client_for(veileder_masfjorden))
    assert "1 aktivitet" in card(html, "activities")
    assert "/vest/signering/" in card(html, "activities")
    # No session logged this month (none at all): the doctor is flagged, and counted.
    assert "1 lege uten veiledning ført" in card(html, "sessions")
    assert "Anna Aase" in html and "ingen veiledning ført ennå" in html
    assert f"/vest/leger/{doctor.pk}/plan/" in html


def test_supervisor_counts_take_a_fixed_number_of_queries(vest, veileder_masfjorden, team):
    doctor, _supervisor = team
    for goal in first_goals(3):
        record(doctor, [goal])
    with scope(office=vest), CaptureQueriesContext(connection) as queries:
        counts = selectors.supervisor_counts(vest, veileder_masfjorden)
        doctors = selectors.supervised_doctors(vest, veileder_masfjorden, TODAY)
    assert len(queries) == 3
    assert counts["activities"] == 3 and len(doctors) == 1


def test_the_doctor_and_the_trust_contact_have_no_inbox(client_for, alis_masfjorden):
    assert client_for(alis_masfjorden).get(reverse("inbox", args=["vest"])).status_code == 403


# --- Veiledere and supervisører read their doctors' pages while assigned -------------------------


def doctor_pages(doctor):
    return [
        reverse(name, args=["vest", doctor.pk])
        for name in ("plan_detail", "trainee_progress", "trainee_standing")
    ]


def test_assigned_veileder_and_supervisor_read_plan_progress_and_standing(
    vest, veileder_masfjorden, team
):
    doctor, supervisor = team
    for user in (veileder_masfjorden, supervisor):
        client = Client()
        client.force_login(user)
        for url in doctor_pages(doctor):
            assert client.get(url).status_code == 200, url


def test_access_ends_with_the_assignment(vest, masfjorden, veileder_masfjorden, team):
    doctor, _supervisor = team
    with scope(office=vest):
        SupervisorAssignment.objects.filter(trainee=doctor).update(end=date(2026, 11, 1))
    client = Client()
    client.force_login(veileder_masfjorden)
    for url in [*doctor_pages(doctor), reverse("supervision_log", args=["vest", doctor.pk])]:
        assert client.get(url).status_code == 404, url


def test_an_unassigned_veileder_of_the_municipality_is_refused(vest, masfjorden, team):
    doctor, _supervisor = team
    other = member(vest, Role.VEILEDER, masfjorden, email="annen@example.no")
    client = Client()
    client.force_login(other)
    for url in doctor_pages(doctor):
        assert client.get(url).status_code == 403, url


def test_veileder_of_another_municipality_opens_their_doctors_log(
    vest, masfjorden, doctor, catalogue
):
    """The veileder's membership names a neighbouring municipality; the assignment decides."""
    from municipalities.models import Municipality

    neighbour = Municipality.objects.filter(office=vest).exclude(pk=masfjorden.pk).first()
    veileder = member(vest, Role.VEILEDER, neighbour, email="nabo@example.no")
    link_supervisor(doctor, veileder)
    client = Client()
    client.force_login(veileder)
    assert client.get(reverse("supervision_log", args=["vest", doctor.pk])).status_code == 200


# --- Registering and inviting a doctor is one step ------------------------------------------------


TRAINEE_POST = {
    "first_name": "Nora",
    "last_name": "Nes",
    "email": "nora.nes@example.no",
    "hpr_number": "7777777",
    "specialisation_start": "01.09.2026",
    "status": "aktiv",
    "invite": "on",
}


def trainee_post(municipality) -> dict:
    def first_choice(name):
        return Trainee._meta.get_field(name).choices[0][0]

    return {
        **TRAINEE_POST,
        "municipality": municipality.pk,
        "scheme": first_choice("scheme"),
        "employment_form": first_choice("employment_form"),
    }


def test_leader_registers_and_invites_in_one_step_and_the_doctor_lands_on_their_pages(
    client_for, vest, masfjorden, leader_masfjorden, django_capture_on_commit_callbacks
):
    data = trainee_post(masfjorden)
    client = client_for(leader_masfjorden)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("trainee_create", args=["vest"]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    with scope(office=vest):
        invitation = Invitation.objects.get(email="nora.nes@example.no")
    assert invitation.role == Role.ALIS and invitation.municipality == masfjorden

    # The doctor accepts: their record is linked at once, Min fremdrift shows their goals.
    nora = UserFactory(email="nora.nes@example.no")
    invitation_accept(invitation=invitation, acting_user=nora)
    doctor_client = Client()
    doctor_client.force_login(nora)
    progress = doctor_client.get(reverse("my_progress", args=["vest"]))
    assert progress.status_code == 200
    assert "har ikke registrert deg" not in progress.content.decode()


def test_invite_without_email_asks_for_it_and_keeps_what_was_typed(
    client_for, vest, masfjorden, leader_masfjorden
):
    data = {**trainee_post(masfjorden), "email": ""}
    response = client_for(leader_masfjorden).post(reverse("trainee_create", args=["vest"]), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Skriv legens e-postadresse for å sende invitasjonen." in html
    assert 'value="Nora"' in html


def test_invited_doctor_without_a_record_gets_a_clear_page_not_a_404(
    vest, masfjorden, leader_masfjorden
):
    invitation, _token = invitation_create(
        office=vest,
        acting_user=leader_masfjorden,
        email="uten@example.no",
        role=Role.ALIS,
        municipality=masfjorden,
    )
    user = member(vest, Role.ALIS, masfjorden, email="uten@example.no")
    client = Client()
    client.force_login(user)
    for name in ("my_progress", "my_confirmations", "my_requirements", "my_plan"):
        response = client.get(reverse(name, args=["vest"]))
        assert response.status_code == 200, name


def test_no_confirmations_yet_tells_the_doctor_what_to_do(client_for, alis_masfjorden, doctor):
    html = client_for(alis_masfjorden).get(reverse("my_confirmations", args=["vest"]))
    text = html.content.decode()
    assert "Ingen bekreftelser ennå." in text
    assert "lever dem til godkjenning" in text
    assert 'href="/vest/framdrift/"' in text


# --- Recruitment rounds (intake/, issue 17) ------------------------------------------------------


def _apply(round_, leader, lead, partners=(), submit=True):
    application = intake_services.application_save(
        office=round_.office,
        acting_user=leader,
        round_=round_,
        lead=nord_municipality(lead),
        partners=[nord_municipality(p) for p in partners],
        positions_requested=1,
        employment_form="fastlonn",
        answers=intake_answers(round_),
    )
    if submit:
        for number in partners:  # each partner says yes: its leader, or the office by letter
            municipality = nord_municipality(number)
            partner_leader = Membership.objects.filter(
                office=round_.office, role=Role.MUNICIPAL_LEADER, municipality=municipality
            ).first()
            coordinator = Membership.objects.filter(
                office=round_.office, role=Role.COORDINATOR
            ).first()
            intake_services.partner_confirm(
                office=round_.office,
                acting_user=(partner_leader or coordinator).user,
                application=application,
                municipality=municipality,
                on_behalf=partner_leader is None,
                note="" if partner_leader else "Brev fra kommunen",
            )
        intake_services.application_submit(
            office=round_.office, acting_user=leader, application=application
        )
    return application


def _score(round_, assessor, application, names):
    """The assessor scores the application on the named criteria (3 points each; 1 for the
    must-have)."""
    by_name = intake_criteria(round_)
    intake_services.scores_save(
        office=round_.office,
        acting_user=assessor,
        application=application,
        scores={by_name[n].pk: (1 if by_name[n].must_have else 3, "") for n in names},
    )


def _invited_round(nord, coordinator, numbers, days_to_deadline=None):
    round_ = make_round(nord, coordinator)
    intake_services.round_invite(
        office=nord,
        acting_user=coordinator,
        round_=round_,
        municipalities=[nord_municipality(n) for n in numbers],
    )
    if days_to_deadline is not None:
        with scope(office=nord):
            Round.objects.filter(pk=round_.pk).update(
                deadline=clock.today() + timedelta(days=days_to_deadline)
            )
    return round_


ALL_CRITERIA = ("Representativ", "Næring", "Ny ordning")


@pytest.fixture
def nord_leaders(nord, leader_vadso):
    """Leaders of Vadsø, Tana, Bodø, Lyngen and Lebesby."""
    leaders = {"5607": leader_vadso}
    for number in ("5628", "1804", "5536", "5624"):
        leaders[number] = member(
            nord, Role.MUNICIPAL_LEADER, nord_municipality(number), email=f"leder@{number}.no"
        )
    return leaders


def test_coordinator_sees_applications_not_fully_scored_by_them_and_rounds_closing(
    client_for, nord, coordinator_nord, nord_leaders
):
    other = member(nord, Role.COORDINATOR, email="koordinator2@nord.example.no")
    # Deadline in three weeks: not "soon".
    round_ = _invited_round(nord, coordinator_nord, ["5607", "5628", "1804", "5536"])
    vadso = _apply(round_, nord_leaders["5607"], "5607")
    tana = _apply(round_, nord_leaders["5628"], "5628")
    _apply(round_, nord_leaders["1804"], "1804")
    _apply(round_, nord_leaders["5536"], "5536", submit=False)  # a draft: nothing to score
    _score(round_, coordinator_nord, vadso, ALL_CRITERIA)  # fully scored: done
    _score(round_, coordinator_nord, tana, ALL_CRITERIA[:2])  # the must-have is left
    _score(round_, other, tana, ALL_CRITERIA)  # the other assessor's scores are theirs

    html = page(client_for(coordinator_nord), "nord")
    assess = card(html, "intake_assess")
    # Tana (partly scored) and Bodø (not scored); Vadsø is done and Lyngen is only a draft.
    assert "2 søknader har ikke fått alle poengene dine" in assess
    assert f'href="/nord/opptak/{round_.pk}/?mine-uferdige=1"' in assess
    assert "Ingenting venter" in card(html, "intake_deadlines")
    # The link opens the round filtered to exactly those two (the card's own rule).
    linked = client_for(coordinator_nord).get(f"/nord/opptak/{round_.pk}/?mine-uferdige=1")
    body = linked.content.decode().split('id="applications-heading"', 1)[1]
    rows = body.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert rows.count("<tr>") == 2
    assert "Tana" in rows and "Bodø" in rows and "Vadsø" not in rows
    assert "2 søknader har ikke fått alle poengene dine" in body

    # The other coordinator has scored Tana fully: Vadsø and Bodø wait for them.
    html = page(client_for(other), "nord")
    assert "2 søknader har ikke fått alle poengene dine" in card(html, "intake_assess")

    # A second round closes in five days: the deadline card links to it; the applications
    # to score stay in the first round (the link is still to that round).
    soon = _invited_round(nord, coordinator_nord, ["5624"], days_to_deadline=5)
    html = page(client_for(coordinator_nord), "nord")
    deadlines = card(html, "intake_deadlines")
    assert "1 åpen runde har frist innen to uker eller har passert fristen" in deadlines
    assert f'href="/nord/opptak/{soon.pk}/"' in deadlines
    assert f'href="/nord/opptak/{round_.pk}/?mine-uferdige=1"' in card(html, "intake_assess")

    # Lebesby applies in the second round: applications wait in two rounds, so the card
    # links to the list of rounds.
    _apply(soon, nord_leaders["5624"], "5624")
    html = page(client_for(coordinator_nord), "nord")
    assess = card(html, "intake_assess")
    assert "3 søknader har ikke fått alle poengene dine" in assess
    assert 'href="/nord/opptak/"' in assess

    # Once the round is decided its scores are fixed: nothing more to score there.
    intake_services.round_close(office=nord, acting_user=coordinator_nord, round_=soon)
    with scope(office=nord):
        Round.objects.filter(pk=soon.pk).update(status=RoundStatus.DECIDED)
    html = page(client_for(coordinator_nord), "nord")
    assert "2 søknader har ikke fått alle poengene dine" in card(html, "intake_assess")
    assert "Ingenting venter" in card(html, "intake_deadlines")


def test_a_round_past_its_deadline_still_open_waits_for_the_office(
    client_for, nord, coordinator_nord
):
    late = _invited_round(nord, coordinator_nord, ["5607"], days_to_deadline=-1)
    deadlines = card(page(client_for(coordinator_nord), "nord"), "intake_deadlines")
    assert "1 åpen runde har frist innen to uker eller har passert fristen" in deadlines
    assert f'href="/nord/opptak/{late.pk}/"' in deadlines


def test_leader_is_invited_until_their_municipality_has_applied(
    client_for, nord, coordinator_nord, leader_vadso, nord_leaders
):
    round_ = _invited_round(nord, coordinator_nord, ["5607", "5628"])
    html = page(client_for(leader_vadso), "nord")
    invitations = card(html, "intake_invitations")
    assert "1 åpen runde venter på søknad" in invitations
    assert f'href="/nord/opptak/{round_.pk}/"' in invitations
    assert "Ingenting venter" in card(html, "intake_offers")

    # A draft still waits to be sent.
    application = _apply(round_, leader_vadso, "5607", submit=False)
    assert "1 åpen runde" in card(page(client_for(leader_vadso), "nord"), "intake_invitations")
    intake_services.application_submit(
        office=nord, acting_user=leader_vadso, application=application
    )
    assert "Ingenting venter" in card(page(client_for(leader_vadso), "nord"), "intake_invitations")

    # Tana is invited to a second round too; Tana's leader has one invitation per round, and
    # a joint application led by Vadsø answers Tana's invitation as well.
    second = _invited_round(nord, coordinator_nord, ["5607", "5628"])
    tana_leader = nord_leaders["5628"]
    invitations = card(page(client_for(tana_leader), "nord"), "intake_invitations")
    assert "2 åpne runder venter på søknad" in invitations
    assert 'href="/nord/opptak/"' in invitations
    _apply(second, leader_vadso, "5607", partners=["5628"])
    invitations = card(page(client_for(tana_leader), "nord"), "intake_invitations")
    assert "1 åpen runde venter på søknad" in invitations
    assert f'href="/nord/opptak/{round_.pk}/"' in invitations

    # Past the deadline an invitation can no longer be answered: it leaves the inbox.
    with scope(office=nord):
        Round.objects.filter(pk=round_.pk).update(deadline=clock.today() - timedelta(days=1))
    assert "Ingenting venter" in card(page(client_for(tana_leader), "nord"), "intake_invitations")


def test_leader_is_asked_to_answer_an_offer_until_it_is_answered(
    client_for, nord, vadso, leader_vadso, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ids = decided_round(nord, vadso)
    client = client_for(leader_vadso)
    offers = card(page(client, "nord"), "intake_offers")
    assert "1 tilbud om ALIS" in offers
    assert f'href="/nord/opptak/{ids["round_id"]}/"' in offers
    response = client.post(f"/nord/opptak/tilbud/{ids['offer_id']}/svar/", {"answer": "ja"})
    assert response.status_code == 302
    assert "Ingenting venter" in card(page(client, "nord"), "intake_offers")


def _intake_rows(nord, coordinator, leaders, numbers):
    """A decided round with an open offer to each of `numbers`, and an open round closing in
    four days where all but the first have applied and been scored on one criterion."""
    decided = _invited_round(nord, coordinator, numbers, days_to_deadline=3)
    applications = [_apply(decided, leaders[n], n) for n in numbers]
    intake_services.round_close(office=nord, acting_user=coordinator, round_=decided)
    intake_services.round_decide(
        office=nord,
        acting_user=coordinator,
        round_=decided,
        decided_on=clock.today(),
        decision_reference="Styringsgruppen",
        offers=[(a, a.lead, 1, "fastlonn") for a in applications],
    )
    open_round = _invited_round(nord, coordinator, numbers, days_to_deadline=4)
    for number in numbers[1:]:
        _score(open_round, coordinator, _apply(open_round, leaders[number], number), ["Næring"])


def _inbox_queries(nord, coordinator, leader_ids):
    with scope(office=nord), CaptureQueriesContext(connection) as queries:
        counts = selectors.coordinator_counts(nord, TODAY)
        intake = selectors.coordinator_intake(nord, coordinator, TODAY)
        leader = selectors.leader_intake(nord, leader_ids, TODAY)
    return len(queries), counts, intake, leader


def test_intake_cards_take_a_fixed_number_of_queries(nord, coordinator_nord, nord_leaders):
    ids = {nord_municipality(n).pk for n in nord_leaders}
    _intake_rows(nord, coordinator_nord, nord_leaders, ["5607", "5628"])
    few, _c, intake, leader = _inbox_queries(nord, coordinator_nord, ids)
    assert [w.count for w in (*intake.values(), *leader.values())] == [1, 1, 1, 2]
    _intake_rows(nord, coordinator_nord, nord_leaders, ["1804", "5536", "5624"])
    many, _c, intake, leader = _inbox_queries(nord, coordinator_nord, ids)
    # 10 office queues (correction requests and past events the ninth and tenth) + 2 for
    # recruitment rounds, and 2 for the leader's rounds, however many rounds, applications,
    # scores and offers there are.
    assert few == many == 14
    # To assess: Tana, then Lyngen and Lebesby; closing soon: the two open rounds; invitations:
    # the open rounds where Vadsø and Bodø have not applied; offers: one to each of the five.
    assert [w.count for w in (*intake.values(), *leader.values())] == [3, 2, 2, 5]


def test_the_coordinating_office_sees_routine_drafts_waiting_for_its_approval(
    client_for, nord, vest, coordinator_nord, coordinator_vest
):
    """Cold-user finding: «Felles rutiner å gå gjennom: Ingenting venter» while a draft waited.
    Nord coordinates on the suite's date; Vest's draft of its own routine waits for Nord, in the
    coordinating office's own section (the office's routines card counts its reviews due)."""
    national_services.routine_create(
        office=nord,
        acting_user=coordinator_nord,
        title="Rutine for sykehustjeneste",
        owner_office=vest,
        review_due=date(2027, 6, 1),  # not due for review within 30 days
        body="Veiledere avtaler sykehusperioden.",
    )
    html = page(client_for(coordinator_nord), "nord")
    assert "1 utkast venter på godkjenning" in card(html, "coordinating_routines")
    assert "Ingenting venter" in card(html, "national_routines")
    # Vest neither coordinates nor has a routine due: no coordinating section, nothing waits.
    vest_html = page(client_for(coordinator_vest))
    assert "Ingenting venter" in card(vest_html, "national_routines")
    assert 'data-inbox="coordinating_routines"' not in vest_html
    assert "Koordinerende kontor" not in vest_html


def _meeting(office, title, starts_at, **fields):
    return Meeting.objects.create(
        title=title, starts_at=starts_at, secretary_office=office, **fields
    )


def _national_rows(nord, vest, coordinator_nord, n=1):
    """Per round (`n`): a meeting held without minutes, one held with minutes, one in ten days
    without a notice, one in twenty days with its notice sent, one in sixty days; a task of
    Vest's past its deadline, one done past it, one not yet due."""
    now = clock.now()
    for i in range(n):
        _meeting(nord, f"Holdt {i}", now - timedelta(days=5))
        _meeting(nord, f"Med referat {i}", now - timedelta(days=9), minutes_written_at=now)
        _meeting(nord, f"Snart {i}", now + timedelta(days=10))
        _meeting(nord, f"Innkalt {i}", now + timedelta(days=20), notice_sent_at=now)
        _meeting(nord, f"Senere {i}", now + timedelta(days=60))
        for status, deadline in (
            (TaskStatus.IN_PROGRESS, TODAY - timedelta(days=1)),
            (TaskStatus.DONE, TODAY - timedelta(days=3)),
            (TaskStatus.NEW, TODAY),
        ):
            NationalTask.objects.create(
                title=f"Oppgave {i} {status}",
                responsible_office=vest,
                status=status,
                deadline=deadline,
                assigned_by_office=nord,
                assigned_by=coordinator_nord,
            )


def test_the_coordinating_office_has_its_own_section_of_national_work(
    client_for, nord, vest, coordinator_nord
):
    _national_rows(nord, vest, coordinator_nord)
    html = page(client_for(coordinator_nord), "nord")
    assert "Koordinerende kontor" in html
    minutes = card(html, "coordinating_minutes")
    assert "1 møte er holdt uten at referatet er skrevet" in minutes
    assert 'href="/nord/nasjonalt/moter/"' in minutes
    assert "1 møte de neste 30 dagene mangler innkalling" in card(html, "coordinating_notices")
    tasks = card(html, "coordinating_tasks")
    assert "1 oppgave hos kontorene har passert fristen" in tasks
    assert 'href="/nord/nasjonalt/oppgaver/?vis=alle"' in tasks
    assert "2 møter" in card(html, "coordinating_meetings")  # in 10 and 20 days, not 60
    assert "Ingenting venter" in card(html, "coordinating_routines")


def test_coordinating_work_takes_one_query_whatever_the_rows(nord, vest, coordinator_nord):
    _national_rows(nord, vest, coordinator_nord)
    with CaptureQueriesContext(connection) as few:
        work = national_selectors.coordinating_work(nord, clock.now())
    assert (work.minutes_missing, work.notices_missing, work.overdue_tasks) == (1, 1, 1)
    _national_rows(nord, vest, coordinator_nord, n=3)
    with CaptureQueriesContext(connection) as many:
        work = national_selectors.coordinating_work(nord, clock.now())
    assert len(few) == len(many) == 1
    assert (work.minutes_missing, work.notices_missing, work.overdue_tasks) == (4, 4, 4)
    assert work.meetings_coming == 8
    # An office that does not coordinate today: the same one query, and nothing to do.
    with CaptureQueriesContext(connection) as other:
        assert national_selectors.coordinating_work(vest, clock.now()).coordinating is False
    assert len(other) == 1
