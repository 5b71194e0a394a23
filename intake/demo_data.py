"""Demo recruitment rounds in ALIS Nord: one finished round (decided, offers answered, the
accepted ones now planned positions) and one open round with a few applications, some
scored. Safe to run again (a round that exists is left alone)."""

from datetime import timedelta

from django.db import transaction
from django_scopes import scope

from accounts.models import Membership, User
from municipalities.models import Municipality
from offices import clock
from offices.models import Office
from offices.permissions import Role

from . import services
from .models import Round
from .reference import load_example_population

FINISHED = "Opptak 2026 (ALIS Nord)"
OPEN = "Opptak 2027 (ALIS Nord)"
INVITATION = (
    "ALIS Nord inviterer kommunene i Nordland, Troms og Finnmark til å søke om ALIS-stillinger. "
    "Kommuner kan søke alene eller sammen med nabokommuner. Programmet har plass til inntil "
    "%(cap)s ALIS, og ingen kommune får mer enn to."
)


def _m(number: str) -> Municipality:
    return Municipality.objects.get(number=number)


def _answers(round_, *, hours: int, list_: bool = True):
    values = {}
    for q in round_.questions.all():
        if q.kind == "janei":
            values[str(q.pk)] = "ja" if list_ else "nei"
        elif q.kind == "tall":
            values[str(q.pk)] = hours
        else:
            values[str(q.pk)] = "Hver 4. uke"
    return values


def _score(office, user, application, values):
    criteria = list(application.round.criteria.all())
    services.scores_save(
        office=office,
        acting_user=user,
        application=application,
        scores={c.pk: (v, "") for c, v in zip(criteria, values, strict=False)},
    )


def _apply(
    office,
    round_,
    user,
    lead,
    partners=(),
    n=1,
    form="fastlonn",
    hours=4,
    submit=True,
    office_user=None,
):
    application = services.application_save(
        office=office,
        acting_user=user,
        round_=round_,
        lead=_m(lead),
        partners=[_m(p) for p in partners],
        positions_requested=n,
        employment_form=form,
        answers=_answers(round_, hours=hours),
    )
    for number in partners:
        # The demo's partner municipalities have no leader user: the office confirms for them.
        services.partner_confirm(
            office=office,
            acting_user=office_user,
            application=application,
            municipality=_m(number),
            on_behalf=True,
            note="Bekreftet i brev fra kommunen",
        )
    if submit:
        services.application_submit(office=office, acting_user=user, application=application)
    return application


@transaction.atomic
def load_demo_intake() -> str:
    load_example_population()
    office = Office.objects.get(slug="nord")
    coordinator = User.objects.get(email="koordinator.nord@demo.alis.no")
    leader = Membership.objects.get(
        office=office, role=Role.MUNICIPAL_LEADER, municipality__number="5607"
    ).user
    # A demo login (demo/seed.py DEMO_USERS, with the demo password); made here only when the
    # rounds are loaded without the demo users.
    second, _created = User.objects.get_or_create(
        email="koordinator2.nord@demo.alis.no",
        defaults={"first_name": "Kristin", "last_name": "Kvalsund", "is_active": True},
    )
    Membership.objects.get_or_create(user=second, office=office, role=Role.COORDINATOR)
    today = clock.today()
    made = []
    with scope(office=office):
        if not Round.objects.filter(office=office, title=FINISHED).exists():
            _finished_round(office, coordinator, second, today)
            made.append(FINISHED)
        if not Round.objects.filter(office=office, title=OPEN).exists():
            _open_round(office, coordinator, second, leader, today)
            made.append(OPEN)
    return f"Opptaksrunder laget: {', '.join(made) or 'ingen (fantes fra før)'}"


def _finished_round(office, coordinator, second, today):
    round_ = services.round_create(
        office=office,
        acting_user=coordinator,
        title=FINISHED,
        invitation_text=INVITATION % {"cap": 6},
        deadline=today + timedelta(days=1),
        programme_cap=6,
    )
    numbers = ["5628", "5624", "5610", "5536", "1848", "5636", "5632"]
    services.round_invite(
        office=office,
        acting_user=coordinator,
        round_=round_,
        municipalities=[_m(n) for n in numbers],
    )
    joint = _apply(
        office,
        round_,
        None,
        "5628",
        ["5624"],
        n=2,
        form="valgfritt",
        hours=5,
        office_user=coordinator,
    )
    karasjok = _apply(office, round_, None, "5610", n=1, form="fastlonn", hours=4)
    lyngen = _apply(office, round_, None, "5536", n=2, form="naering", hours=4)
    steigen = _apply(office, round_, None, "1848", n=1, form="fastlonn", hours=2)
    services.round_close(office=office, acting_user=coordinator, round_=round_)
    # Criteria in order: representative, næring, cooperation, Sámi, supervision, two must-haves.
    for user, shift in ((coordinator, 0), (second, 1)):
        _score(office, user, joint, [4, 5 - shift, 5, 2, 4, 1, 1])
        _score(office, user, karasjok, [5, 1, 1, 5, 3 + shift, 1, 1])
        _score(office, user, lyngen, [3, 5, 1, 1, 3, 1, 1])
        _score(office, user, steigen, [2, 1, 1, 1, 2, 1, 1 - shift])
    offers = services.round_decide(
        office=office,
        acting_user=coordinator,
        round_=round_,
        decided_on=today,
        decision_reference="Styringsgruppemøte, sak 4/26",
        offers=[
            (joint, _m("5628"), 1, "valgfritt"),
            (joint, _m("5624"), 1, "fastlonn"),
            (karasjok, _m("5610"), 1, "fastlonn"),
            (lyngen, _m("5536"), 2, "naering"),
        ],
    )
    for offer in offers:
        services.offer_answer(
            office=office,
            acting_user=coordinator,
            offer=offer,
            accept=offer.municipality.number != "5624",
        )
    # The round ran last year: move its dates back (demo history).
    year_ago = today - timedelta(days=330)
    Round.objects.filter(pk=round_.pk).update(
        deadline=year_ago,
        opened_on=year_ago - timedelta(days=42),
        decided_on=year_ago + timedelta(days=30),
    )


def _open_round(office, coordinator, second, leader, today):
    round_ = services.round_create(
        office=office,
        acting_user=coordinator,
        title=OPEN,
        invitation_text=INVITATION % {"cap": 8},
        deadline=today + timedelta(days=30),
        programme_cap=8,
    )
    services.round_invite(
        office=office,
        acting_user=coordinator,
        round_=round_,
        municipalities=list(Municipality.objects.filter(office=office, is_active=True)),
    )
    gamvik = _apply(
        office,
        round_,
        None,
        "5626",
        ["5630"],
        n=2,
        form="valgfritt",
        hours=4,
        office_user=coordinator,
    )
    alta = _apply(office, round_, None, "5601", n=1, form="naering", hours=5)
    _apply(office, round_, None, "5634", n=1, form="fastlonn", hours=4)
    _apply(office, round_, None, "5632", n=1, form="fastlonn", hours=3, submit=False)
    _score(office, coordinator, gamvik, [4, 4, 5, 2, 4, 1, 1])
    _score(office, second, gamvik, [4, 3, 5, 2, 3, 1, 1])
    _score(office, coordinator, alta, [3, 5, 1, 1, 4, 1, 1])
