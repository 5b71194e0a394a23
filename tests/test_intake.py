"""Recruitment rounds end to end (ALIS Nord style): invitation by e-mail and letter, a joint
application (Tana + Lebesby) and two single ones, drafts and the locked submission, two
assessors' scores, the region's summary and the proposal computed by hand, the hard rules
refused with clear messages, the decision, and accepted offers becoming planned positions."""

import subprocess
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django_scopes import scope

from accounts.models import Membership
from intake import selection, selectors, services
from intake.models import (
    Application,
    ApplicationStatus,
    Invitation,
    Offer,
    OfferStatus,
    RoundStatus,
)
from notifications.models import Outbox
from offices import clock
from offices.permissions import Role
from positions.models import Position
from positions.services import position_create

from .conftest import member
from .intake_helpers import (
    answers,
    criteria,
    deadline,
    make_round,
    nord_municipality,
    population_figures,
)


def pdf_text(content: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return " ".join(result.stdout.decode().split())


@pytest.fixture
def people(nord, coordinator_nord, leader_vadso):
    return {
        "k1": coordinator_nord,
        "k2": member(nord, Role.COORDINATOR, email="koordinator2@nord.example.no"),
        "vadso": leader_vadso,
        "tana": member(
            nord, Role.MUNICIPAL_LEADER, nord_municipality("5628"), email="leder@tana.example.no"
        ),
        "bodo": member(
            nord, Role.MUNICIPAL_LEADER, nord_municipality("1804"), email="leder@bodo.example.no"
        ),
    }


INVITED = ["5628", "5624", "5607", "1804", "5536"]  # Tana, Lebesby, Vadsø, Bodø, Lyngen


@pytest.fixture
def open_round(nord, people, django_capture_on_commit_callbacks):
    population_figures()
    round_ = make_round(nord, people["k1"])
    with django_capture_on_commit_callbacks(execute=True):
        services.round_invite(
            office=nord,
            acting_user=people["k1"],
            round_=round_,
            municipalities=[nord_municipality(n) for n in INVITED],
        )
    return round_


def confirm_for(application, number, user):
    """The office confirms for a partner without a leader user (by letter)."""
    services.partner_confirm(
        office=application.office,
        acting_user=user,
        application=application,
        municipality=nord_municipality(number),
        on_behalf=True,
        note="Brev fra kommunen",
    )


def apply(round_, user, lead, partners=(), n=1, form="fastlonn", submit=True, **answer_kwargs):
    office = round_.office
    application = services.application_save(
        office=office,
        acting_user=user,
        round_=round_,
        lead=nord_municipality(lead),
        partners=[nord_municipality(p) for p in partners],
        positions_requested=n,
        employment_form=form,
        answers=answers(round_, **answer_kwargs),
    )
    if submit:
        coordinator = (
            Membership.objects.filter(office=office, role=Role.COORDINATOR).order_by("pk").first()
        ).user
        for number in partners:
            confirm_for(application, number, coordinator)
        services.application_submit(office=office, acting_user=user, application=application)
    return application


def score(round_, user, application, r, n, must):
    c = criteria(round_)
    services.scores_save(
        office=round_.office,
        acting_user=user,
        application=application,
        scores={
            c["Representativ"].pk: (r, ""),
            c["Næring"].pk: (n, ""),
            c["Ny ordning"].pk: (must, "ikke bekreftet" if not must else ""),
        },
    )


@pytest.fixture
def assessed(nord, people, open_round, django_capture_on_commit_callbacks):
    """Three applications scored by two assessors; Vadsø has one active position already."""
    round_ = open_round
    with django_capture_on_commit_callbacks(execute=True):
        joint = apply(round_, people["tana"], "5628", ["5624"], n=2, form="valgfritt")
        vadso = apply(round_, people["vadso"], "5607", n=2, form="fastlonn")
        bodo = apply(round_, people["bodo"], "1804", n=1, form="naering")
    position_create(
        office=nord,
        acting_user=people["k1"],
        municipality=nord_municipality("5607"),
        employment_form="fastlonn",
        scheme="ny",
    )
    services.round_close(office=nord, acting_user=people["k1"], round_=round_)
    score(round_, people["k1"], joint, 4, 5, 1)
    score(round_, people["k2"], joint, 3, 4, 1)
    score(round_, people["k1"], vadso, 5, 1, 1)
    score(round_, people["k2"], vadso, 4, 2, 1)
    score(round_, people["k1"], bodo, 2, 5, 1)
    score(round_, people["k2"], bodo, 2, 4, 0)
    return {"round": round_, "joint": joint, "vadso": vadso, "bodo": bodo}


def test_invitation_mails_leaders_and_leaves_letters_for_the_rest(nord, open_round, people):
    with scope(office=nord):
        by_number = {
            i.municipality.number: i.channel
            for i in Invitation.objects.filter(round=open_round).select_related("municipality")
        }
        rows = Outbox.objects.filter(kind="opptak_invitasjon").order_by("recipient")
        assert [r.recipient for r in rows] == [
            "leder@bodo.example.no",
            "leder@tana.example.no",
            "leder@vadso.example.no",
        ]
    assert by_number == {
        "5628": "epost",
        "5624": "brev",
        "5607": "epost",
        "1804": "epost",
        "5536": "brev",
    }
    open_round.refresh_from_db()
    assert open_round.status == RoundStatus.OPEN
    assert sorted(m.to[0] for m in mail.outbox) == [
        "leder@bodo.example.no",
        "leder@tana.example.no",
        "leder@vadso.example.no",
    ]
    due = deadline()
    written = f"Søknadsfrist: {due.day}.{due.month}.{due.year}."
    assert written in mail.outbox[0].body
    with scope(office=nord):
        letters = list(selectors.letter_invitations(nord, open_round))
    from intake.exports import invitation_letters_pdf

    text = pdf_text(invitation_letters_pdf(nord, open_round, letters))
    assert "Lebesby kommune" in text and "Lyngen kommune" in text
    assert written in text


def test_a_draft_is_kept_and_a_submitted_application_is_locked_and_acknowledged(
    nord, open_round, people, django_capture_on_commit_callbacks
):
    draft = apply(open_round, people["tana"], "5628", ["5624"], n=2, submit=False, hours=None)
    assert draft.status == ApplicationStatus.DRAFT
    with pytest.raises(ValidationError, match="Svar på alle spørsmålene først"):
        services.application_submit(office=nord, acting_user=people["tana"], application=draft)
    draft = services.application_save(
        office=nord,
        acting_user=people["tana"],
        round_=open_round,
        application=draft,
        lead=nord_municipality("5628"),
        partners=[nord_municipality("5624")],
        positions_requested=2,
        employment_form="valgfritt",
        answers=answers(open_round, hours=6),
    )
    confirm_for(draft, "5624", people["k1"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(office=nord, acting_user=people["tana"], application=draft)
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.SUBMITTED
    assert [m.to for m in mail.outbox] == [["leder@tana.example.no"]]
    assert "Tana + Lebesby om 2 ALIS" in mail.outbox[0].body
    with pytest.raises(ValidationError, match="sendt inn og kan ikke endres"):
        services.application_save(
            office=nord,
            acting_user=people["tana"],
            round_=open_round,
            application=draft,
            lead=nord_municipality("5628"),
            positions_requested=1,
            employment_form="fastlonn",
            answers={},
        )
    with scope(office=nord):
        assert Application.objects.get(pk=draft.pk).positions_requested == 2


def test_a_municipality_is_in_one_application_per_round_and_must_be_invited(
    nord, open_round, people
):
    apply(open_round, people["tana"], "5628", ["5624"])
    with pytest.raises(
        ValidationError, match="Lebesby har bekreftet at den søker sammen med Tana i denne runden"
    ):
        apply(open_round, people["vadso"], "5607", ["5624"])
    with pytest.raises(ValidationError, match="Alta er ikke invitert i denne runden"):
        apply(open_round, people["vadso"], "5607", ["5601"])


@pytest.mark.dates
def test_no_submission_after_the_deadline(nord, open_round, people):
    draft = apply(open_round, people["vadso"], "5607", submit=False)
    due = deadline()
    with time_machine.travel(due + timedelta(days=1), tick=False):
        expired = f"Søknadsfristen gikk ut {due.day:02d}.{due.month:02d}.{due.year}."
        with pytest.raises(ValidationError, match=expired):
            services.application_submit(office=nord, acting_user=people["vadso"], application=draft)


def test_joint_population_and_the_summary_counted_by_hand(nord, assessed):
    round_ = assessed["round"]
    with scope(office=nord):
        joint = Application.objects.get(pk=assessed["joint"].pk)
        assert joint.name == "Tana + Lebesby"
        assert selectors.application_population(joint) == 2800 + 1300
        summary = selectors.round_summary(nord, round_, clock.today())
    assert summary.applications == 3
    assert summary.joint == 1
    assert summary.municipalities == 4
    assert summary.inhabitants == 62_900  # 2 800 + 1 300 + 5 800 + 53 000
    assert summary.positions_requested == 5
    assert summary.by_form == {"valgfritt": 1, "fastlonn": 1, "naering": 1}
    areas = {a.name: (a.applications, a.municipalities, a.inhabitants) for a in summary.areas}
    assert areas == {
        "Finnmarkssykehuset HF": (2, 3, 9_900),
        "Nordlandssykehuset HF": (1, 1, 53_000),
    }
    assert summary.has_examples


def test_two_assessors_side_by_side_totals_ranking_and_proposal(nord, assessed):
    with scope(office=nord):
        result = selectors.assessment(nord, assessed["round"], clock.today())
        c = criteria(assessed["round"])
    rows = {r.application.pk: r for r in result.rows}
    joint, vadso, bodo = (rows[assessed[k].pk] for k in ("joint", "vadso", "bodo"))
    assert len(result.assessors) == 2
    # Representativ (weight 3) and Næring (weight 2), each the mean of the two assessors.
    assert joint.means[c["Representativ"].pk] == Decimal("3.50")
    assert joint.total == Decimal("19.50")  # 3 × 3.5 + 2 × 4.5
    assert vadso.total == Decimal("16.50")  # 3 × 4.5 + 2 × 1.5
    assert bodo.total == Decimal("15.00")  # 3 × 2 + 2 × 4.5
    assert bodo.must_haves == selection.NOT_MET  # one assessor: not met
    assert [r.application.pk for r in result.rows] == [
        joint.application.pk,
        vadso.application.pk,
        bodo.application.pk,
    ]
    # Cap 4, at most 2 per municipality; Vadsø has one active position already.
    assert (joint.proposed, vadso.proposed, bodo.proposed) == (2, 1, 0)
    assert {(a.name, m.name, n) for a, m, n in result.allocations} == {
        ("Tana + Lebesby", "Tana", 1),
        ("Tana + Lebesby", "Lebesby", 1),
        ("Vadsø", "Vadsø", 1),
    }
    assert "høyst 2 per kommune" in vadso.note
    assert bodo.note == "Oppfyller ikke alle absolutte krav."
    coverage = result.coverage
    assert (coverage.positions, coverage.naering, coverage.naering_percent) == (3, 2, 67)
    assert (coverage.joint_included, coverage.joint_total) == (1, 1)
    assert coverage.areas_included == ["Finnmarkssykehuset HF"]
    assert coverage.areas_missing == ["Nordlandssykehuset HF"]


def test_scores_out_of_range_are_refused(nord, assessed, people):
    c = criteria(assessed["round"])
    with pytest.raises(ValidationError, match="Ny ordning: gi fra 0 til 1 poeng"):
        services.scores_save(
            office=nord,
            acting_user=people["k1"],
            application=assessed["vadso"],
            scores={c["Ny ordning"].pk: (3, "")},
        )


def _decide(round_, people, offers):
    return services.round_decide(
        office=round_.office,
        acting_user=people["k1"],
        round_=round_,
        decided_on=clock.today(),
        decision_reference="Styringsgruppemøte 20.11.2026, sak 7/26",
        offers=offers,
    )


def test_the_hard_rules_are_refused_with_clear_messages_and_nothing_changes(nord, assessed, people):
    round_, joint, vadso = assessed["round"], assessed["joint"], assessed["vadso"]
    tana, lebesby, vadso_m = (nord_municipality(n) for n in ("5628", "5624", "5607"))
    with pytest.raises(ValidationError) as refused:
        _decide(round_, people, [(vadso, vadso_m, 2, "fastlonn")])
    assert refused.value.messages == [
        "Vadsø ville fått 3 ALIS (1 fra før og 2 nå); høyst 2 per kommune er tillatt."
    ]
    with pytest.raises(ValidationError) as refused:
        _decide(
            round_,
            people,
            [
                (joint, tana, 2, "valgfritt"),
                (joint, lebesby, 2, "valgfritt"),
                (vadso, vadso_m, 1, "fastlonn"),
            ],
        )
    assert refused.value.messages == ["Tilbudene gir 5 ALIS, men taket for programmet er 4."]
    with pytest.raises(ValidationError, match="Vadsø står ikke i søknaden"):
        _decide(round_, people, [(joint, vadso_m, 1, "fastlonn")])
    round_.refresh_from_db()
    assert round_.status == RoundStatus.ASSESSMENT
    with scope(office=nord):
        assert not Offer.objects.exists()


def test_decision_offers_letters_and_accepted_offers_become_planned_positions(
    nord, assessed, people, django_capture_on_commit_callbacks
):
    round_, joint, vadso, bodo = (assessed[k] for k in ("round", "joint", "vadso", "bodo"))
    tana, lebesby, vadso_m = (nord_municipality(n) for n in ("5628", "5624", "5607"))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        offers = _decide(
            round_,
            people,
            [
                (joint, tana, 1, "valgfritt"),
                (joint, lebesby, 1, "fastlonn"),
                (vadso, vadso_m, 1, "fastlonn"),
                (bodo, nord_municipality("1804"), 0, "naering"),  # 0: no offer
            ],
        )
    assert len(offers) == 3
    round_.refresh_from_db()
    assert round_.status == RoundStatus.DECIDED
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects == {
        "leder@tana.example.no": "Tilbud om ALIS: Opptak 2027",
        "leder@vadso.example.no": "Tilbud om ALIS: Opptak 2027",
        "leder@bodo.example.no": "Svar på søknaden: Opptak 2027",
    }
    from intake.exports import decision_letter_pdf

    with scope(office=nord):
        joint_offers = list(selectors.offers_for_round(nord, round_).filter(application=joint))
        letter = pdf_text(decision_letter_pdf(nord, round_, joint, joint_offers))
        rejection = pdf_text(decision_letter_pdf(nord, round_, bodo, []))
    assert "Tilbud om ALIS" in letter and "sak 7/26" in letter and "Lebesby 1 Fastlønn" in letter
    assert "fikk dessverre ikke tilbud" in rejection

    with scope(office=nord):
        tana_offer = Offer.objects.get(municipality=tana)
        vadso_offer = Offer.objects.get(municipality=vadso_m)
        before = Position.objects.filter(municipality=tana).count()
    services.offer_answer(office=nord, acting_user=people["tana"], offer=tana_offer, accept=True)
    services.offer_answer(office=nord, acting_user=people["vadso"], offer=vadso_offer, accept=False)
    with pytest.raises(ValidationError, match="allerede besvart"):
        services.offer_answer(
            office=nord, acting_user=people["tana"], offer=tana_offer, accept=True
        )
    with scope(office=nord):
        made = list(Position.objects.filter(municipality=tana))
        tana_offer.refresh_from_db()
        assert tana_offer.status == OfferStatus.ACCEPTED
        assert list(tana_offer.created_positions.all()) == made
        assert Offer.objects.get(pk=vadso_offer.pk).status == OfferStatus.DECLINED
        # Declined: Vadsø still has only the position it had.
        assert Position.objects.filter(municipality=vadso_m).count() == 1
    assert before == 0
    assert [(p.status, p.employment_form, p.scheme) for p in made] == [
        ("planlagt", "valgfritt", "ny")
    ]


def test_proposal_spreads_a_joint_application_lead_first_and_stops_at_the_cap():
    candidates = [
        selection.Candidate(1, (10, 11), 3, Decimal("20"), selection.MET),
        selection.Candidate(2, (12,), 2, Decimal("18"), selection.MET),
        selection.Candidate(3, (13,), 1, Decimal("25"), selection.NOT_ASSESSED),
    ]
    proposal = selection.propose(candidates, cap=4, max_per_municipality=2, existing={11: 1})
    assert [(a.key, a.municipality_id, a.positions) for a in proposal.allocations] == [
        (1, 10, 2),
        (1, 11, 1),
        (2, 12, 1),
    ]
    assert proposal.notes == {
        3: "Absolutte krav er ikke vurdert.",
        2: "Taket for programmet er nådd.",
    }
