"""What a cold user found in recruitment rounds, fixed: «Send inn» on a new application says
why it was not sent; the blank «new question» row does not stop the round from saving and
errors are summed up at the top; closing a round asks first; and the smaller things (must-have
scores in words, a past deadline refused at once, the invitation page grouped by county, the
letters' addresses, status after the decision, population source)."""

import pytest
from django_scopes import scope

from intake import services
from intake.models import Application, ApplicationStatus, Round, RoundStatus
from municipalities.models import Municipality
from offices import clock
from offices.permissions import Role

from .conftest import member
from .intake_helpers import answers, make_round, nord_municipality


def text(response) -> str:
    return " ".join(response.content.decode().split())


@pytest.fixture
def tana_leader(nord):
    return member(
        nord, Role.MUNICIPAL_LEADER, nord_municipality("5628"), email="leder@tana.example.no"
    )


@pytest.fixture
def open_round(nord, coordinator_nord):
    round_ = make_round(nord, coordinator_nord)
    services.round_invite(
        office=nord,
        acting_user=coordinator_nord,
        round_=round_,
        municipalities=[nord_municipality(n) for n in ("5628", "5607", "5624")],
    )
    return round_


def _questions(round_):
    with scope(office=round_.office):
        return list(round_.questions.all())


def test_send_on_a_new_application_with_unanswered_questions_says_why(
    client_for, nord, open_round, tana_leader
):
    client = client_for(tana_leader)
    patient_list, hours = _questions(open_round)
    response = client.post(
        f"/nord/opptak/{open_round.pk}/sok/",
        {
            "lead": nord_municipality("5628").pk,
            "positions_requested": "1",
            "employment_form": "fastlonn",
            "note": "Vi har god plass.",
            "action": "send",
            f"q_{hours.pk}": "4",
        },
        follow=True,
    )
    page = text(response)
    assert "Søknaden er lagret som utkast, men ikke sendt inn:" in page
    assert "Svar på alle spørsmålene først: Egen pasientliste." in page
    with scope(office=nord):
        draft = Application.objects.get(round=open_round)
    assert draft.status == ApplicationStatus.DRAFT
    assert response.redirect_chain[-1][0] == f"/nord/opptak/soknad/{draft.pk}/rediger/"
    # What was typed is on the form again.
    assert "Vi har god plass." in page and 'value="4"' in page


def _round_post(round_, **changes):
    """The edit page's form as the browser sends it, untouched: the blank new rows included."""
    with scope(office=round_.office):
        criteria = list(round_.criteria.all())
        questions = list(round_.questions.all())
    data = {
        "title": round_.title,
        "invitation_text": round_.invitation_text,
        "deadline": round_.deadline.isoformat(),
        "programme_cap": str(round_.programme_cap),
        "max_per_municipality": str(round_.max_per_municipality),
        "kriterier-TOTAL_FORMS": str(len(criteria) + 1),
        "kriterier-INITIAL_FORMS": str(len(criteria)),
        "sporsmal-TOTAL_FORMS": str(len(questions) + 1),
        "sporsmal-INITIAL_FORMS": str(len(questions)),
    }
    for i, c in enumerate(criteria):
        data |= {
            f"kriterier-{i}-id": str(c.pk),
            f"kriterier-{i}-name": c.name,
            f"kriterier-{i}-weight": str(c.weight),
        }
        if c.must_have:
            data[f"kriterier-{i}-must_have"] = "on"
    n = len(criteria)
    data |= {f"kriterier-{n}-weight": "1"}
    for i, q in enumerate(questions):
        data |= {f"sporsmal-{i}-id": str(q.pk), f"sporsmal-{i}-text": q.text}
        data |= {f"sporsmal-{i}-kind": q.kind, f"sporsmal-{i}-required": "on"}
    n = len(questions)
    # The blank new question: «Må besvares» comes ticked, the first answer type chosen.
    data |= {f"sporsmal-{n}-kind": "janei", f"sporsmal-{n}-required": "on"}
    data.update(changes)
    return data


def test_changing_only_the_deadline_saves_the_round(client_for, nord, coordinator_nord):
    round_ = make_round(nord, coordinator_nord)
    client = client_for(coordinator_nord)
    new_deadline = clock.today().replace(year=clock.today().year + 1, month=1, day=15)
    response = client.post(
        f"/nord/opptak/{round_.pk}/rediger/",
        _round_post(round_, deadline=new_deadline.isoformat()),
        follow=True,
    )
    assert "Runden er lagret." in text(response)
    with scope(office=nord):
        round_.refresh_from_db()
        assert round_.deadline == new_deadline
        assert round_.questions.count() == 2 and round_.criteria.count() == 3


def test_round_errors_are_summed_up_at_the_top_with_links(client_for, nord, coordinator_nord):
    round_ = make_round(nord, coordinator_nord)
    client = client_for(coordinator_nord)
    response = client.post(
        f"/nord/opptak/{round_.pk}/rediger/",
        _round_post(round_, **{"programme_cap": "0", "sporsmal-0-text": ""}),
    )
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index('class="ds-error-summary"')
    summary = html[start : html.index('<form method="post" class="form-stack"', start)]
    assert "Skjemaet ble ikke lagret. Rett opp dette:" in summary
    assert 'href="#id_programme_cap"' in summary
    assert 'href="#id_sporsmal-0-text"' in summary and "Spørsmål: " in summary
    with scope(office=nord):
        round_.refresh_from_db()
        assert round_.programme_cap == 4


def _apply(round_, leader, number, *, send):
    municipality = nord_municipality(number)
    application = services.application_save(
        office=round_.office,
        acting_user=leader,
        round_=round_,
        lead=municipality,
        positions_requested=1,
        employment_form="fastlonn",
        answers=answers(round_),
    )
    if send:
        services.application_submit(
            office=round_.office, acting_user=leader, application=application
        )
    return application


def test_closing_a_round_asks_first_and_says_what_is_left_behind(
    client_for, nord, open_round, coordinator_nord, tana_leader, leader_vadso
):
    _apply(open_round, tana_leader, "5628", send=True)
    draft = _apply(open_round, leader_vadso, "5607", send=False)
    office = client_for(coordinator_nord)
    detail = office.get(f"/nord/opptak/{open_round.pk}/")
    assert f'<form method="get" action="/nord/opptak/{open_round.pk}/lukk/">' in text(detail)

    page = office.get(f"/nord/opptak/{open_round.pk}/lukk/")
    shown = text(page)
    # The deadline is three weeks away (intake_helpers.deadline).
    assert "har ikke gått ut: det er 21 dager igjen." in shown
    assert "1 utkast er ikke sendt inn og blir ikke med i vurderingen." in shown
    assert "1 søknad er sendt inn og går til vurdering." in shown
    assert "Ja, lukk runden" in shown
    # Only looking, or a POST without the confirmation, closes nothing.
    office.post(f"/nord/opptak/{open_round.pk}/lukk/")
    with scope(office=nord):
        open_round.refresh_from_db()
        assert open_round.status == RoundStatus.OPEN

    response = office.post(f"/nord/opptak/{open_round.pk}/lukk/", {"bekreft": "ja"}, follow=True)
    assert "Runden er lukket for søknader og klar for vurdering." in text(response)
    with scope(office=nord):
        open_round.refresh_from_db()
        assert open_round.status == RoundStatus.ASSESSMENT

    # Vadsø's leader sees the draft as not sent in, on the round and on the application.
    leader = client_for(leader_vadso)
    row = text(leader.get(f"/nord/opptak/{open_round.pk}/"))
    assert "Vadsø</a></th> <td>1</td><td>Fastlønn</td><td>Ikke sendt inn</td>" in row
    status = text(leader.get(f"/nord/opptak/soknad/{draft.pk}/"))
    assert '<dd id="status">Ikke sendt inn</dd>' in status


def _joint_decided(nord, round_, coordinator, tana_leader, *, tana_places=1):
    """Tana + Lebesby (Lebesby confirmed by the office) sent in, closed and decided: Tana
    gets `tana_places`, Lebesby none."""
    tana, lebesby = nord_municipality("5628"), nord_municipality("5624")
    application = services.application_save(
        office=nord,
        acting_user=tana_leader,
        round_=round_,
        lead=tana,
        partners=[lebesby],
        positions_requested=2,
        employment_form="fastlonn",
        answers=answers(round_),
    )
    services.partner_confirm(
        office=nord,
        acting_user=coordinator,
        application=application,
        municipality=lebesby,
        on_behalf=True,
        note="Brev fra Lebesby",
    )
    services.application_submit(office=nord, acting_user=tana_leader, application=application)
    services.round_close(office=nord, acting_user=coordinator, round_=round_)
    return application


def test_must_have_scores_read_as_met_or_not_and_one_of_two(
    client_for, nord, open_round, coordinator_nord, tana_leader
):
    second = member(nord, Role.COORDINATOR, email="vurderer2@nord.example.no")
    application = _joint_decided(nord, open_round, coordinator_nord, tana_leader)
    with scope(office=nord):
        must = open_round.criteria.get(must_have=True)
    for user, value in ((coordinator_nord, 1), (second, 0)):
        services.scores_save(
            office=nord, acting_user=user, application=application, scores={must.pk: (value, "")}
        )
    page = text(client_for(coordinator_nord).get(f"/nord/opptak/soknad/{application.pk}/"))
    row = page[page.index("Ny ordning (absolutt krav)") :]
    row = row[: row.index("</tr>")]
    # One cell per assessor (in the page's order of assessors), then the two together.
    assert "<td>Oppfylt</td>" in row and "<td>Ikke oppfylt</td>" in row
    assert row.endswith("<td>1 av 2 oppfylt</td>")
    assert "0,50" not in row
    ranking = text(client_for(coordinator_nord).get(f"/nord/opptak/{open_round.pk}/vurdering/"))
    assert "<td>1 av 2 oppfylt</td>" in ranking


def test_a_round_with_a_past_deadline_is_refused_when_it_is_made(
    client_for, nord, coordinator_nord
):
    yesterday = clock.today().toordinal() - 1
    response = client_for(coordinator_nord).post(
        "/nord/opptak/ny/",
        {
            "title": "Opptak 2027",
            "invitation_text": "Velkommen.",
            "deadline": type(clock.today()).fromordinal(yesterday).isoformat(),
            "programme_cap": "8",
            "max_per_municipality": "2",
        },
    )
    assert response.status_code == 200
    assert "Søknadsfristen kan ikke være tilbake i tid." in text(response)
    assert 'value="Opptak 2027"' in response.content.decode()
    with scope(office=nord):
        assert not Round.objects.filter(office=nord).exists()


def test_the_invitation_page_groups_the_region_by_county(client_for, nord, coordinator_nord):
    round_ = make_round(nord, coordinator_nord)
    page = text(client_for(coordinator_nord).get(f"/nord/opptak/{round_.pk}/inviter/"))
    counties = {}
    for m in Municipality.objects.filter(office=nord, is_active=True):
        counties[m.county] = counties.get(m.county, 0) + 1
    assert len(counties) >= 2
    for county, n in counties.items():
        assert f'<legend class="ds-label">{county} ({n} kommuner)</legend>' in page
        assert f"Velg ingen i {county}" in page
    # Every box is ticked to start with, and the buttons wait for the script.
    assert page.count('type="checkbox"') == page.count("checked") == sum(counties.values())
    assert "js/check-groups.js" in page


def test_the_default_cut_off_criterion_states_its_date(nord, coordinator_nord):
    round_ = services.round_create(
        office=nord,
        acting_user=coordinator_nord,
        title="Opptak 2027",
        invitation_text="Velkommen.",
        deadline=clock.today(),
        programme_cap=8,
    )
    shown = clock.today().strftime("%d.%m.%Y")
    with scope(office=nord):
        names = [c.name for c in round_.criteria.all()]
        cut_off = round_.criteria.get(name=f"Legen er ikke ansatt før {shown}")
    assert "Legen er ikke ansatt før skjæringsdatoen" not in names
    assert f"før skjæringsdatoen {shown}." in cut_off.description


def test_letters_have_an_address_block_and_each_municipality_its_places(
    client_for, nord, open_round, coordinator_nord, tana_leader, monkeypatch
):
    from intake import exports

    nord.contact_email, nord.contact_phone = "post@alisnord.example.no", "77 00 00 00"
    nord.save()
    monkeypatch.setattr(exports, "render_pdf", lambda html: html.encode())
    application = _joint_decided(nord, open_round, coordinator_nord, tana_leader)
    services.round_decide(
        office=nord,
        acting_user=coordinator_nord,
        round_=open_round,
        decided_on=clock.today(),
        decision_reference="Styringsgruppen sak 4/26",
        offers=[(application, nord_municipality("5628"), 1, "fastlonn")],
    )
    office = client_for(coordinator_nord)
    letter = text(office.get(f"/nord/opptak/soknad/{application.pk}/brev/"))
    assert "Til: Tana kommune, postmottak" in letter
    assert "Til: Lebesby kommune, postmottak" in letter
    assert "E-post: post@alisnord.example.no" in letter and "Telefon: 77 00 00 00" in letter
    assert "<tr><td>Tana</td><td>1</td><td>Fastlønn</td></tr>" in letter
    assert "<tr><td>Lebesby</td><td>0</td><td>–</td></tr>" in letter

    # Vadsø and Lebesby have no leader user: the invitation letters go by post.
    invitations = text(office.get(f"/nord/opptak/{open_round.pk}/brev/"))
    assert "Til: Lebesby kommune, postmottak" in invitations
    assert "E-post: post@alisnord.example.no" in invitations
    assert "for å få tilgang.</p>" in invitations

    # After the decision the application says what came of it.
    page = text(client_for(tana_leader).get(f"/nord/opptak/soknad/{application.pk}/"))
    assert '<dd id="status">Tilbud gitt (sendt inn' in page
    round_page = text(client_for(tana_leader).get(f"/nord/opptak/{open_round.pk}/"))
    assert "<td>Tilbud gitt</td>" in round_page


def test_summary_grammar_and_example_population_source(
    client_for, nord, open_round, coordinator_nord, tana_leader
):
    from .intake_helpers import population_figures

    population_figures()
    _joint_decided(nord, open_round, coordinator_nord, tana_leader)
    page = text(client_for(coordinator_nord).get(f"/nord/opptak/{open_round.pk}/"))
    assert "1 er en felles søknad. Til sammen søkes det om 2 ALIS." in page
    assert "Folketall: Eksempeltall (ikke fra SSB) (2025)" in page
    assert "07459" not in page and "Eksempeltall for testene" not in page
