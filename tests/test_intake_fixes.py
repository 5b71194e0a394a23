"""What a cold attacker found in recruitment rounds, fixed: naming partners binds nobody until
they confirm (no leader can lock other municipalities out of a round), a partner withdraws and
the office removes, confirms for or withdraws with a reason in the log; the lead answers the
offers of its joint application and the office records an answer that came by letter; free
texts have a longest length; two answers to one offer at once give one answer."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django_scopes import scope

from accounts.models import User
from demo.seed import DEMO_PASSWORD, DEMO_USERS
from intake import services
from intake.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Offer,
    OfferStatus,
    PartnerConfirmation,
    Round,
)
from municipalities.models import Municipality
from offices import clock
from offices.permissions import Role
from positions.models import Position

from .conftest import member
from .intake_helpers import answers, decided_round, make_round, nord_municipality
from .intake_helpers import application_form as _form


def text(response) -> str:
    return " ".join(response.content.decode().split())


@pytest.fixture
def leaders(nord, leader_vadso):
    return {
        "vadso": leader_vadso,
        "tana": member(
            nord, Role.MUNICIPAL_LEADER, nord_municipality("5628"), email="leder@tana.example.no"
        ),
        "bodo": member(
            nord, Role.MUNICIPAL_LEADER, nord_municipality("1804"), email="leder@bodo.example.no"
        ),
    }


@pytest.fixture
def whole_region(nord, coordinator_nord):
    """An open round inviting every municipality of the region (as the office does)."""
    round_ = make_round(nord, coordinator_nord)
    services.round_invite(
        office=nord,
        acting_user=coordinator_nord,
        round_=round_,
        municipalities=list(Municipality.objects.filter(office=nord, is_active=True)),
    )
    return round_


def test_a_draft_naming_every_municipality_locks_nobody_out(
    client_for, nord, whole_region, leaders, coordinator_nord
):
    round_ = whole_region
    vadso, tana, bodo = (nord_municipality(n) for n in ("5607", "5628", "1804"))
    with scope(office=nord):
        others = list(
            Municipality.objects.filter(pk__in=round_.invitations.values("municipality_id"))
            .exclude(pk=vadso.pk)
            .order_by("name")
        )
    assert len(others) > 50
    attacker = client_for(leaders["vadso"])
    # Every municipality at once is more than a joint application may name (at most 10) …
    response = attacker.post(f"/nord/opptak/{round_.pk}/sok/", _form(round_, vadso, others))
    assert response.status_code == 200
    assert "En felles søknad kan ha høyst 10 samarbeidskommuner" in text(response)
    # … and ten, Tana and Bodø among them, still bind none of them.
    named = [tana, bodo, *[m for m in others if m not in (tana, bodo)][:8]]
    response = attacker.post(f"/nord/opptak/{round_.pk}/sok/", _form(round_, vadso, named))
    assert response.status_code == 302
    with scope(office=nord):
        draft = Application.objects.get(round=round_, lead=vadso)
        assert draft.partners.count() == 10
        assert not PartnerConfirmation.objects.exists()

    # Tana's leader still gets the form and applies on its own.
    tana_client = client_for(leaders["tana"])
    page = tana_client.get(f"/nord/opptak/{round_.pk}/sok/")
    assert page.status_code == 200
    assert "bare med når den selv har bekreftet det" in text(page)
    response = tana_client.post(
        f"/nord/opptak/{round_.pk}/sok/", _form(round_, tana, [], action="send")
    )
    with scope(office=nord):
        own = Application.objects.get(round=round_, lead=tana)
    assert response.url == f"/nord/opptak/soknad/{own.pk}/"
    assert own.status == ApplicationStatus.SUBMITTED

    # Vadsø cannot send in the draft: Tana has its own application, the rest have not said yes.
    attacker = client_for(leaders["vadso"])
    response = attacker.post(f"/nord/opptak/soknad/{draft.pk}/send/", follow=True)
    page = text(response)
    assert "Tana har sin egen søknad i denne runden." in page
    assert "Ta kommunen ut av søknaden før den sendes inn." in page

    # Bodø's leader sees the draft naming Bodø and takes Bodø out of it.
    bodo_client = client_for(leaders["bodo"])
    detail = text(bodo_client.get(f"/nord/opptak/soknad/{draft.pk}/"))
    assert "Venter på bekreftelse" in detail and "Ta Bodø ut av søknaden" in detail
    response = bodo_client.post(
        f"/nord/opptak/soknad/{draft.pk}/samarbeid/",
        {"municipality": bodo.pk, "action": "trekk"},
    )
    assert response.url == f"/nord/opptak/{round_.pk}/"
    assert bodo_client.get(f"/nord/opptak/soknad/{draft.pk}/").status_code == 404

    # The office withdraws the draft; a reason is required and goes into the log.
    office = client_for(coordinator_nord)
    refused = office.post(
        f"/nord/opptak/soknad/{draft.pk}/kontoret/",
        {"action": "trekk", "reason": " "},
        follow=True,
    )
    assert "Skriv en begrunnelse." in text(refused)
    office.post(
        f"/nord/opptak/soknad/{draft.pk}/kontoret/",
        {"action": "trekk", "reason": "Kommunene er ikke spurt"},
    )
    with scope(office=nord):
        draft.refresh_from_db()
        assert draft.status == ApplicationStatus.WITHDRAWN
        assert draft.withdrawn_by == coordinator_nord
        event = ApplicationEvent.objects.get(application=draft, kind="trukket")
        assert (event.kind, event.by, event.reason) == (
            "trukket",
            coordinator_nord,
            "Kommunene er ikke spurt",
        )
    detail = text(office.get(f"/nord/opptak/soknad/{draft.pk}/"))
    assert "Søknaden trukket av kontoret" in detail and "Kommunene er ikke spurt" in detail
    # Withdrawn: Vadsø may apply again.
    attacker = client_for(leaders["vadso"])
    assert attacker.get(f"/nord/opptak/{round_.pk}/sok/").status_code == 200


def test_a_partner_is_bound_only_when_it_confirms(nord, whole_region, leaders, coordinator_nord):
    round_ = whole_region
    vadso, tana, bodo, lebesby = (nord_municipality(n) for n in ("5607", "5628", "1804", "5624"))
    joint = services.application_save(
        office=nord,
        acting_user=leaders["tana"],
        round_=round_,
        lead=tana,
        partners=[bodo, lebesby],
        positions_requested=2,
        employment_form="fastlonn",
        answers=answers(round_),
    )
    # Bodø has a leader: the office cannot confirm for it.
    with pytest.raises(ValidationError, match="Bodø har en leder med bruker i ALIS"):
        services.partner_confirm(
            office=nord,
            acting_user=coordinator_nord,
            application=joint,
            municipality=bodo,
            on_behalf=True,
            note="Telefon",
        )
    # Lebesby has none: the office confirms for it, saying how.
    with pytest.raises(ValidationError, match="Skriv hvordan kommunen bekreftet"):
        services.partner_confirm(
            office=nord,
            acting_user=coordinator_nord,
            application=joint,
            municipality=lebesby,
            on_behalf=True,
        )
    services.partner_confirm(
        office=nord,
        acting_user=coordinator_nord,
        application=joint,
        municipality=lebesby,
        on_behalf=True,
        note="Brev 20.11.2026",
    )
    # Bodø has not confirmed: it may apply alone, and then cannot confirm Tana's.
    own = services.application_save(
        office=nord,
        acting_user=leaders["bodo"],
        round_=round_,
        lead=bodo,
        positions_requested=1,
        employment_form="naering",
        answers=answers(round_),
    )
    with pytest.raises(ValidationError, match="Bodø har sin egen søknad i denne runden"):
        services.partner_confirm(
            office=nord, acting_user=leaders["bodo"], application=joint, municipality=bodo
        )
    with pytest.raises(ValidationError, match="Bodø har sin egen søknad i denne runden"):
        services.application_submit(office=nord, acting_user=leaders["tana"], application=joint)
    services.application_delete_draft(office=nord, acting_user=leaders["bodo"], application=own)
    services.partner_confirm(
        office=nord, acting_user=leaders["bodo"], application=joint, municipality=bodo
    )
    # Confirmed: Lebesby is bound (no other application may name it, Vadsø included).
    with pytest.raises(ValidationError, match="Lebesby har bekreftet at den søker sammen med Tana"):
        services.application_save(
            office=nord,
            acting_user=leaders["vadso"],
            round_=round_,
            lead=vadso,
            partners=[lebesby],
            positions_requested=1,
            employment_form="fastlonn",
            answers={},
        )
    services.application_submit(office=nord, acting_user=leaders["tana"], application=joint)
    # Sent in: the partner cannot leave by itself; the office removes it with a reason.
    with pytest.raises(ValidationError, match="Kontakt kontoret"):
        services.partner_withdraw(
            office=nord, acting_user=leaders["bodo"], application=joint, municipality=bodo
        )
    with pytest.raises(ValidationError, match="Den ansvarlige kommunen kan ikke fjernes"):
        services.application_remove_municipality(
            office=nord,
            acting_user=coordinator_nord,
            application=joint,
            municipality=tana,
            reason="Feil",
        )
    services.application_remove_municipality(
        office=nord,
        acting_user=coordinator_nord,
        application=joint,
        municipality=bodo,
        reason="Bodø trakk seg i brev 21.11.2026",
    )
    with scope(office=nord):
        joint = Application.objects.get(pk=joint.pk)
        assert joint.name == "Tana + Lebesby"
        assert list(
            ApplicationEvent.objects.filter(application=joint).values_list("kind", "reason")
        ) == [
            ("bekreftet_kontor", "Brev 20.11.2026"),
            ("bekreftet", ""),
            ("fjernet", "Bodø trakk seg i brev 21.11.2026"),
        ]


def test_the_lead_answers_for_its_partners_and_the_office_records_an_answer(
    client_for, nord, coordinator_nord, leader_vadso
):
    tana, lebesby = nord_municipality("5628"), nord_municipality("5624")
    round_ = make_round(nord, coordinator_nord)
    services.round_invite(
        office=nord, acting_user=coordinator_nord, round_=round_, municipalities=[tana, lebesby]
    )
    leader = member(nord, Role.MUNICIPAL_LEADER, tana, email="leder@tana.example.no")
    joint = services.application_save(
        office=nord,
        acting_user=leader,
        round_=round_,
        lead=tana,
        partners=[lebesby],
        positions_requested=2,
        employment_form="fastlonn",
        answers=answers(round_),
    )
    services.partner_confirm(
        office=nord,
        acting_user=coordinator_nord,
        application=joint,
        municipality=lebesby,
        on_behalf=True,
        note="Brev",
    )
    services.application_submit(office=nord, acting_user=leader, application=joint)
    services.round_close(office=nord, acting_user=coordinator_nord, round_=round_)
    tana_offer, lebesby_offer = services.round_decide(
        office=nord,
        acting_user=coordinator_nord,
        round_=round_,
        decided_on=clock.today(),
        decision_reference="Sak 1/27",
        offers=[(joint, tana, 1, "fastlonn"), (joint, lebesby, 1, "fastlonn")],
    )
    lead = client_for(leader)
    page = text(lead.get(f"/nord/opptak/{round_.pk}/"))
    assert "Aksepter tilbudet til Lebesby" in page
    response = lead.post(f"/nord/opptak/tilbud/{lebesby_offer.pk}/svar/", {"answer": "ja"})
    assert response.status_code == 302
    with scope(office=nord):
        lebesby_offer.refresh_from_db()
        assert (lebesby_offer.status, lebesby_offer.answered_by) == (OfferStatus.ACCEPTED, leader)
        assert Position.objects.filter(municipality=lebesby).count() == 1

    # The office records Tana's answer, which came by phone: how it came is required.
    office = client_for(coordinator_nord)
    page = text(office.get(f"/nord/opptak/{round_.pk}/"))
    assert "Registrer at Tana avslår" in page
    refused = office.post(
        f"/nord/opptak/tilbud/{tana_offer.pk}/registrer/", {"answer": "nei"}, follow=True
    )
    assert "Skriv hvordan svaret kom (brev, e-post, telefon)." in text(refused)
    office.post(
        f"/nord/opptak/tilbud/{tana_offer.pk}/registrer/",
        {"answer": "nei", "note": "Telefon med helsesjefen"},
    )
    with scope(office=nord):
        tana_offer = Offer.objects.get(pk=tana_offer.pk)
    assert tana_offer.status == OfferStatus.DECLINED
    assert tana_offer.answered_by == coordinator_nord and tana_offer.answered_by_office
    assert tana_offer.answer_note == "Telefon med helsesjefen"
    detail = text(office.get(f"/nord/opptak/soknad/{joint.pk}/"))
    assert "Telefon med helsesjefen" in detail
    # A leader cannot use the office's page.
    lead = client_for(leader)
    assert (
        lead.post(
            f"/nord/opptak/tilbud/{tana_offer.pk}/registrer/", {"answer": "ja", "note": "x"}
        ).status_code
        == 403
    )


def test_free_texts_have_a_longest_length_and_the_typed_text_is_kept(
    client_for, nord, coordinator_nord, leader_vadso
):
    office = client_for(coordinator_nord)
    response = office.post(
        "/nord/opptak/ny/",
        {
            "title": "Opptak 2027",
            "invitation_text": "x" * 10_001,
            "deadline": clock.today().replace(year=clock.today().year + 1).isoformat(),
            "programme_cap": "8",
            "max_per_municipality": "2",
        },
    )
    assert response.status_code == 200
    assert "Teksten er for lang: høyst 10000 tegn er tillatt, du har skrevet 10001." in text(
        response
    )
    assert 'value="Opptak 2027"' in response.content.decode()
    with scope(office=nord):
        assert not Round.objects.exists()

    vadso = nord_municipality("5607")
    round_ = make_round(nord, coordinator_nord)
    services.round_invite(
        office=nord, acting_user=coordinator_nord, round_=round_, municipalities=[vadso]
    )
    leader = client_for(leader_vadso)
    response = leader.post(
        f"/nord/opptak/{round_.pk}/sok/", _form(round_, vadso, [], note="Legekontor " + "y" * 4_000)
    )
    assert response.status_code == 200
    assert "høyst 4000 tegn er tillatt, du har skrevet 4011." in text(response)
    assert "Legekontor yyy" in response.content.decode()
    with scope(office=nord):
        assert not Application.objects.exists()
    with pytest.raises(ValidationError, match="høyst 4000 tegn"):
        services.application_save(
            office=nord,
            acting_user=leader_vadso,
            round_=round_,
            lead=vadso,
            positions_requested=1,
            employment_form="fastlonn",
            answers={},
            note="z" * 4_001,
        )


def test_letter_pdfs_break_long_unbroken_strings(nord, coordinator_nord):
    round_ = make_round(nord, coordinator_nord)
    for name in ("intake/invitation_letters_pdf.html", "intake/decision_letter_pdf.html"):
        html = render_to_string(
            name, {"round": round_, "office": nord, "invitations": [], "offers": []}
        )
        assert "overflow-wrap: anywhere" in html


def test_the_second_demo_assessor_logs_in_with_the_demo_password(nord, monkeypatch):
    from demo import seed

    (row,) = [r for r in DEMO_USERS if r[0] == "koordinator2.nord@demo.alis.no"]
    assert row[3:5] == ("nord", Role.COORDINATOR)
    monkeypatch.setattr(seed, "DEMO_USERS", [row])
    User.objects.create(email="koordinator2.nord@demo.alis.no")  # made by an older demo
    seed.load_demo_users()
    assert User.objects.get(email="koordinator2.nord@demo.alis.no").check_password(DEMO_PASSWORD)


def test_two_answers_to_one_offer_at_once_give_one_answer(transactional_db, nord):
    """Two leaders press «Aksepter» at the same moment (PostgreSQL: the offer row is locked,
    so the second is refused as already answered and the positions are made once)."""
    vadso = nord_municipality("5607")
    ids = decided_round(nord, vadso)
    second = member(nord, Role.MUNICIPAL_LEADER, vadso, email="leder2@vadso.example.no")
    with scope(office=nord):
        offer = Offer.objects.get(pk=ids["offer_id"])
        first = Offer.objects.get(pk=ids["offer_id"])
    barrier = threading.Barrier(2)
    outcomes = []

    from django.db import connection

    def press(user, row):
        try:
            barrier.wait()
            services.offer_answer(office=nord, acting_user=user, offer=row, accept=True)
            outcomes.append("ok")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            connection.close()

    with scope(office=nord):
        leader = offer.application.created_by
    threads = [
        threading.Thread(target=press, args=(leader, offer)),
        threading.Thread(target=press, args=(second, first)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["Tilbudet er allerede besvart.", "ok"]
    with scope(office=nord):
        assert Position.objects.filter(municipality=vadso).count() == 1
