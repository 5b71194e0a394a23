"""The recruitment-round pages per role: the office runs the round, a leader sees only rounds
that invite their municipality and only applications naming it, and bad input keeps the form."""

import re

import pytest
from django_scopes import scope

from intake.models import Application, ApplicationStatus, Offer, Round, RoundStatus
from offices import clock
from offices.permissions import Role
from positions.models import Position

from .conftest import member
from .intake_helpers import make_round, nord_municipality, population_figures


def text(response) -> str:
    return " ".join(response.content.decode().split())


@pytest.fixture
def alta_leader(nord):
    return member(nord, Role.MUNICIPAL_LEADER, nord_municipality("5601"), email="leder@alta.no")


def test_office_creates_and_invites_the_whole_region_by_default(client_for, nord, coordinator_nord):
    client = client_for(coordinator_nord)
    due = clock.today().replace(day=1).replace(year=clock.today().year + 1)
    response = client.post(
        "/nord/opptak/ny/",
        {
            "title": "Opptak 2027",
            "invitation_text": "Velkommen til å søke.",
            "deadline": due.isoformat(),
            "programme_cap": "32",
            "max_per_municipality": "2",
        },
    )
    with scope(office=nord):
        round_ = Round.objects.get(office=nord)
        assert round_.criteria.count() == 7 and round_.questions.count() == 6
    assert response.url == f"/nord/opptak/{round_.pk}/rediger/"
    assert client.get(response.url).status_code == 200
    page = client.get(f"/nord/opptak/{round_.pk}/inviter/")
    region = page.context["form"].fields["municipalities"].queryset.count()
    response = client.post(
        f"/nord/opptak/{round_.pk}/inviter/",
        {"municipalities": [m.pk for m in page.context["form"].initial["municipalities"]]},
    )
    assert response.status_code == 302
    with scope(office=nord):
        assert round_.invitations.count() == region > 50  # Nordland, Troms and Finnmark
    detail = text(client.get(f"/nord/opptak/{round_.pk}/", follow=True))
    assert "Åpen for søknader" in detail and "Brev til kommuner uten bruker (PDF)" in detail


def test_bad_round_input_keeps_what_was_typed(client_for, coordinator_nord):
    response = client_for(coordinator_nord).post(
        "/nord/opptak/ny/", {"title": "Opptak 2027", "programme_cap": "0"}
    )
    assert response.status_code == 200
    assert 'value="Opptak 2027"' in response.content.decode()
    assert "Denne verdien må være større enn eller lik 1." in text(response) or (
        "større enn eller lik 1" in text(response)
    )


def test_leader_applies_sees_only_their_own_and_the_office_decides(
    client, nord, coordinator_nord, leader_vadso, alta_leader, django_capture_on_commit_callbacks
):
    from intake import services

    population_figures()
    round_ = make_round(nord, coordinator_nord)
    services.round_invite(
        office=nord,
        acting_user=coordinator_nord,
        round_=round_,
        municipalities=[nord_municipality(n) for n in ("5607", "5628")],
    )
    client.force_login(leader_vadso)
    assert "Opptak 2027" in text(client.get("/nord/opptak/"))
    form = client.get(f"/nord/opptak/{round_.pk}/sok/").context["form"]
    data = {
        "lead": nord_municipality("5607").pk,
        "partners": [nord_municipality("5628").pk],
        "positions_requested": "2",
        "employment_form": "naering",
        "note": "",
        "action": "lagre",
    }
    qs = form.questions
    data[f"q_{qs[0].pk}"] = "ja"
    response = client.post(f"/nord/opptak/{round_.pk}/sok/", data)
    with scope(office=nord):
        application = Application.objects.get(round=round_)
    assert response.url == f"/nord/opptak/soknad/{application.pk}/rediger/"
    # Sending without every answer: the error on the form, the draft kept as typed.
    data["action"] = "send"
    response = client.post(response.url, data)
    assert response.status_code == 200
    assert "Svar på alle spørsmålene først: Timer veiledning per måned." in text(response)
    data[f"q_{qs[1].pk}"] = "4"
    assert "Samarbeidskommunene må bekrefte før søknaden sendes inn. Venter på: Tana." in text(
        client.post(f"/nord/opptak/soknad/{application.pk}/rediger/", data)
    )
    # Tana has no leader user: the office confirms for it, with how the yes came.
    client.force_login(coordinator_nord)
    confirm = client.post(
        f"/nord/opptak/soknad/{application.pk}/kontoret/",
        {
            "action": "bekreft",
            "municipality": nord_municipality("5628").pk,
            "reason": "E-post fra kommunen",
        },
    )
    assert confirm.status_code == 302
    client.force_login(leader_vadso)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/nord/opptak/soknad/{application.pk}/rediger/", data)
    assert response.url == f"/nord/opptak/soknad/{application.pk}/"
    page = text(client.get(response.url))
    assert "Sendt inn" in page and "Vadsø + Tana" in page
    assert "8 600" in page.replace("\xa0", " ")  # 5 800 + 2 800 inhabitants
    assert client.get(f"/nord/opptak/{round_.pk}/vurdering/").status_code == 403

    # Alta is not invited: the round and the application do not exist for its leader.
    client.force_login(alta_leader)
    assert "Opptak 2027" not in text(client.get("/nord/opptak/"))
    assert client.get(f"/nord/opptak/{round_.pk}/").status_code == 404
    assert client.get(f"/nord/opptak/soknad/{application.pk}/").status_code == 404

    client.force_login(coordinator_nord)
    assert client.post(f"/nord/opptak/{round_.pk}/lukk/", {"bekreft": "ja"}).status_code == 302
    with scope(office=nord):
        criteria = list(round_.criteria.all())
    scores = {f"c_{criteria[0].pk}": "4", f"c_{criteria[1].pk}": "3", f"c_{criteria[2].pk}": "1"}
    assert client.post(f"/nord/opptak/soknad/{application.pk}/poeng/", scores).status_code == 302
    page = text(client.get(f"/nord/opptak/{round_.pk}/vurdering/"))
    assert "18.00" in page or "18,00" in page  # 3 × 4 + 2 × 3
    decision = {
        "decided_on": clock.today().isoformat(),
        "decision_reference": "Styringsgruppen sak 1/27",
        f"n_{application.pk}_{nord_municipality('5607').pk}": "3",
        f"f_{application.pk}_{nord_municipality('5607').pk}": "naering",
        f"n_{application.pk}_{nord_municipality('5628').pk}": "1",
        f"f_{application.pk}_{nord_municipality('5628').pk}": "naering",
    }
    response = client.post(f"/nord/opptak/{round_.pk}/vedtak/", decision)
    assert response.status_code == 200
    assert "Tilbudene gir 4 ALIS, men taket for programmet er 4." not in text(response)
    assert "Vadsø ville fått 3 ALIS (0 fra før og 3 nå); høyst 2 per kommune er tillatt." in text(
        response
    )
    assert 'value="Styringsgruppen sak 1/27"' in response.content.decode()
    decision[f"n_{application.pk}_{nord_municipality('5607').pk}"] = "2"
    assert client.post(f"/nord/opptak/{round_.pk}/vedtak/", decision).status_code == 302
    round_.refresh_from_db()
    assert round_.status == RoundStatus.DECIDED
    letter = client.get(f"/nord/opptak/soknad/{application.pk}/brev/")
    assert letter["Content-Type"] == "application/pdf"

    client.force_login(leader_vadso)
    with scope(office=nord):
        offer = Offer.objects.get(municipality=nord_municipality("5607"))
    page = text(client.get(f"/nord/opptak/{round_.pk}/"))
    # Vadsø leads the joint application: its leader answers for Tana too (no leader there).
    assert "Aksepter tilbudet til Vadsø" in page and "Aksepter tilbudet til Tana" in page
    response = client.post(f"/nord/opptak/tilbud/{offer.pk}/svar/", {"answer": "ja"})
    assert response.status_code == 302
    with scope(office=nord):
        assert Position.objects.filter(municipality=nord_municipality("5607")).count() == 2
        assert Application.objects.get(pk=application.pk).status == ApplicationStatus.SUBMITTED
    # Alta's leader (not in the application) cannot answer Tana's offer.
    with scope(office=nord):
        tana_offer = Offer.objects.get(municipality=nord_municipality("5628"))
    client.force_login(alta_leader)
    assert (
        client.post(f"/nord/opptak/tilbud/{tana_offer.pk}/svar/", {"answer": "ja"}).status_code
        == 404
    )
    client.force_login(leader_vadso)
    assert re.search(
        r"Stillingene står som planlagt", text(client.get(f"/nord/opptak/{round_.pk}/"))
    )


def test_the_demo_second_assessor_logs_in_and_finds_applications_to_score(client, nord):
    from demo.seed import DEMO_PASSWORD, load_demo_users
    from intake.demo_data import OPEN, load_demo_intake

    load_demo_users()
    load_demo_intake()
    with scope(office=nord):
        open_round = Round.objects.get(office=nord, title=OPEN)
    # The open demo round has three submitted applications (Gamvik + …, Alta and one more);
    # koordinator.nord has scored two of them, koordinator2.nord one.
    for email, waiting in (
        ("koordinator2.nord@demo.alis.no", "2 søknader"),
        ("koordinator.nord@demo.alis.no", "1 søknad "),
    ):
        assert client.login(email=email, password=DEMO_PASSWORD), email
        page = text(client.get("/nord/innboks/"))
        card = page.split('data-inbox="intake_assess">', 1)[1].split("</div>", 1)[0]
        assert waiting in card, email
        # The card opens the round filtered to the applications this assessor has left.
        assert f'href="/nord/opptak/{open_round.pk}/?mine-uferdige=1"' in card, email
        client.logout()
    # Vadsø is invited to the open round and has not applied.
    assert client.login(email="leder.vadso@demo.alis.no", password=DEMO_PASSWORD)
    page = text(client.get("/nord/innboks/"))
    card = page.split('data-inbox="intake_invitations">', 1)[1].split("</div>", 1)[0]
    assert "1 åpen runde venter på søknad" in card
