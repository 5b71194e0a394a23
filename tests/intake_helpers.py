"""A recruitment round in Nord, ALIS Nord style, for the intake tests."""

from datetime import timedelta

from django_scopes import scope

from intake import services
from intake.models import PopulationFigure, QuestionKind
from municipalities.models import Municipality
from offices import clock
from offices.permissions import Role

from .conftest import member

SOURCE = "Eksempeltall for testene"
# Inhabitants used in the tests (examples, not SSB's figures).
POPULATION = {
    "5628": 2800,  # Tana
    "5624": 1300,  # Lebesby
    "5607": 5800,  # Vadsø
    "1804": 53000,  # Bodø
    "5536": 2800,  # Lyngen
}


def nord_municipality(number: str) -> Municipality:
    return Municipality.objects.get(number=number)


def population_figures(year: int = 2025) -> None:
    for number, population in POPULATION.items():
        PopulationFigure.objects.update_or_create(
            municipality=nord_municipality(number),
            year=year,
            defaults={"population": population, "source": SOURCE, "is_example": True},
        )


def deadline():
    """Three weeks from the suite's today (the suite runs on several dates)."""
    return clock.today() + timedelta(days=21)


def make_round(office, user, *, cap=4, max_per=2):
    """A draft round with three criteria (two weighted, one must-have) and two questions."""
    round_ = services.round_create(
        office=office,
        acting_user=user,
        title="Opptak 2027",
        invitation_text="Kommunene inviteres til å søke om ALIS.",
        deadline=deadline(),
        programme_cap=cap,
        max_per_municipality=max_per,
        with_defaults=False,
    )
    services.round_items_save(
        office=office,
        acting_user=user,
        round_=round_,
        criteria=[
            {"name": "Representativ", "weight": 3, "must_have": False},
            {"name": "Næring", "weight": 2, "must_have": False},
            {"name": "Ny ordning", "weight": 1, "must_have": True},
        ],
        questions=[
            {"text": "Egen pasientliste", "kind": QuestionKind.YES_NO, "required": True},
            {"text": "Timer veiledning per måned", "kind": QuestionKind.NUMBER, "required": True},
        ],
    )
    return round_


def criteria(round_):
    with scope(office=round_.office):
        return {c.name: c for c in round_.criteria.all()}


def answers(round_, patient_list=True, hours=4):
    with scope(office=round_.office):
        questions = list(round_.questions.all())
    return {str(questions[0].pk): "ja" if patient_list else "nei", str(questions[1].pk): hours}


def decided_round(office, municipality) -> dict:
    """A round of `office` taken all the way to an open offer to `municipality` (whose leader
    applies); returns the URL arguments it makes."""
    coordinator = member(office, Role.COORDINATOR)
    leader = member(office, Role.MUNICIPAL_LEADER, municipality)
    round_ = make_round(office, coordinator)
    services.round_invite(
        office=office, acting_user=coordinator, round_=round_, municipalities=[municipality]
    )
    application = services.application_save(
        office=office,
        acting_user=leader,
        round_=round_,
        lead=municipality,
        positions_requested=1,
        employment_form="fastlonn",
        answers=answers(round_),
    )
    services.application_submit(office=office, acting_user=leader, application=application)
    services.round_close(office=office, acting_user=coordinator, round_=round_)
    (offer,) = services.round_decide(
        office=office,
        acting_user=coordinator,
        round_=round_,
        decided_on=clock.today(),
        decision_reference="Styringsgruppen 20.11.2026",
        offers=[(application, municipality, 1, "fastlonn")],
    )
    return {"round_id": round_.pk, "application_id": application.pk, "offer_id": offer.pk}


def application_form(round_, lead, partners, action="lagre", note=""):
    """What the application page posts: the lead, its partners, one position on salary, and
    the two questions of `make_round` answered."""
    with scope(office=round_.office):
        questions = list(round_.questions.all())
    return {
        "lead": lead.pk,
        "partners": [m.pk for m in partners],
        "positions_requested": "1",
        "employment_form": "fastlonn",
        "note": note,
        "action": action,
        f"q_{questions[0].pk}": "ja",
        f"q_{questions[1].pk}": "4",
    }
