"""The positions status survey: the coordinator sends a pre-filled form through the outbox,
the municipal leader confirms or corrects it, the positions change with history, and the
coordinator sees who has answered."""

import re
import subprocess
from datetime import timedelta

import pytest
from django_scopes import scope

from accounts.models import Role
from audit.models import SecurityEvent
from municipalities.models import Municipality
from notifications.models import Outbox
from notifications.reminders import run_sweep
from notifications.services import week_period
from notifications.surveys import status_survey_send, unreached_answers
from offices import clock
from positions.models import Position, PositionStatusChange
from positions.services import position_create
from positions.survey import StatusSurvey, SurveyAnswer
from positions.survey_services import survey_answer_submit
from tests.conftest import member


def test_send_answer_and_progress(
    client_for, vest, coordinator_vest, masfjorden, django_capture_on_commit_callbacks
):
    from municipalities.models import Municipality

    gulen = Municipality.objects.get(number="4635")
    leader = member(vest, Role.MUNICIPAL_LEADER, masfjorden, email="leder@masfjorden.example.no")
    member(vest, Role.MUNICIPAL_LEADER, gulen, email="leder@gulen.example.no")
    position = position_create(
        office=vest,
        acting_user=coordinator_vest,
        municipality=masfjorden,
        list_ceiling=800,
        employment_form="fastlonn",
        scheme="ny",
        applicants=2,
    )
    position_create(
        office=vest,
        acting_user=coordinator_vest,
        municipality=gulen,
        list_ceiling=700,
        employment_form="naering",
        scheme="ny",
    )
    coordinator = client_for(coordinator_vest)
    response = coordinator.post("/vest/oversikt/status/", {"period": "2026-11"})
    assert response.status_code == 302
    with scope(office=vest):
        mails = list(Outbox.objects.filter(office=vest, kind="status_survey").order_by("recipient"))
    assert [m.recipient for m in mails] == ["leder@gulen.example.no", "leder@masfjorden.example.no"]
    assert "Masfjorden, uten legekontor: Planlagt, 2 søkere, Fastlønn, Ny ordning" in mails[1].body
    link = mails[1].link
    html = coordinator.get("/vest/oversikt/status/").content.decode()
    assert "0 av 2 kommuner har svart" in html
    # Sending the same period again is refused, and sends nothing twice.
    html = coordinator.post("/vest/oversikt/status/", {"period": "2026-11"}).content.decode()
    assert "Statusskjemaet for 2026-11 er allerede sendt." in html

    client = client_for(leader)
    page = client.get(link).content.decode()
    assert f'name="p{position.pk}-applicants" value="2"' in page  # pre-filled
    prefix = f"p{position.pk}-"
    response = client.post(
        link,
        {
            prefix + "status": "besatt",
            prefix + "applicants": "3",
            prefix + "employment_form": "fastlonn",
            prefix + "scheme": "ny",
            prefix + "group_supervision": "ja",
            prefix + "individual_supervisor": "ja",
            prefix + "individual_plan": "",
            "note": "Legen startet 1. november.",
        },
    )
    assert response.status_code == 302
    with scope(office=vest):
        position = Position.objects.get(pk=position.pk)
        assert (position.status, position.applicants, position.group_supervision) == (
            "besatt",
            3,
            "ja",
        )
        steps = list(
            PositionStatusChange.objects.filter(position=position).values_list("status", "note")
        )
    assert steps == [
        ("planlagt", "Opprettet"),
        ("utlyst", "Fra statusskjema 2026-11"),
        ("besatt", "Fra statusskjema 2026-11"),
    ]
    coordinator = client_for(coordinator_vest)  # one test client: log the coordinator back in
    html = coordinator.get("/vest/oversikt/status/").content.decode()
    assert "1 av 2 kommuner har svart" in html
    assert "Legen startet 1. november." in html
    # The leader of Gulen cannot answer for Masfjorden.
    other = member(vest, Role.MUNICIPAL_LEADER, gulen, email="leder2@gulen.example.no")
    assert client_for(other).get(link).status_code == 403
    assert re.search(r"/vest/oversikt/status/\d+/4634/", link)


def _pdf_text(content: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return " ".join(result.stdout.decode().replace("\u00a0", " ").split())


def _survey_mails(office, kind="status_survey"):
    with scope(office=office):
        return list(Outbox.objects.filter(office=office, kind=kind).order_by("recipient"))


@pytest.fixture
def two_positions(vest, coordinator_vest, masfjorden):
    """Masfjorden (with a leader) and Gulen (without one) each have a planned position."""
    gulen = Municipality.objects.get(number="4635")
    for municipality in (masfjorden, gulen):
        position_create(
            office=vest,
            acting_user=coordinator_vest,
            municipality=municipality,
            list_ceiling=700,
            employment_form="fastlonn",
            scheme="ny",
            applicants=1,
        )
    return gulen


def test_municipalities_without_a_leader_are_named_with_a_letter_and_a_list(
    client_for, vest, coordinator_vest, masfjorden, two_positions
):
    gulen = two_positions
    member(vest, Role.MUNICIPAL_LEADER, masfjorden, email="leder@masfjorden.example.no")
    coordinator = client_for(coordinator_vest)
    response = coordinator.post("/vest/oversikt/status/", {"period": "2026-11"}, follow=True)
    html = " ".join(response.content.decode().split())
    # One e-mail: singular, not «1 e-poster».
    assert "Statusskjemaet er sendt: 1 e-post til kommunale ledere." in html
    assert (
        "1 kommune fikk ikke skjemaet fordi den ikke har noen aktiv kommunal leder: Gulen." in html
    )
    assert [m.recipient for m in _survey_mails(vest)] == ["leder@masfjorden.example.no"]
    assert "1 kommune har ikke fått skjemaet" in html
    assert "Gulen (4635)" in html
    assert "0 av 2 kommuner har svart" in html

    survey_id = re.search(r"/vest/oversikt/status/(\d+)/brev\.pdf", html).group(1)
    letters = coordinator.get(f"/vest/oversikt/status/{survey_id}/brev.pdf")
    assert letters["Content-Type"] == "application/pdf"
    text = _pdf_text(letters.content)
    assert "Til kommunal leder for ALIS, Gulen kommune" in text
    assert "Status for ALIS-stillingene i Gulen (2026-11)" in text
    assert "Masfjorden" not in text  # it got the e-mail
    listing = coordinator.get(f"/vest/oversikt/status/{survey_id}/uten-leder.csv")
    rows = listing.content.decode("utf-8-sig").splitlines()
    assert rows == ["Kommunenr.;Kommune;Aktive ALIS-stillinger;Runde", "4635;Gulen;1;2026-11"]
    with scope(office=vest):
        assert SecurityEvent.objects.filter(
            user=coordinator_vest, detail__icontains="uten-leder.csv"
        ).exists()

    # The coordinator registers the answer Gulen gave by telephone; Gulen leaves the list.
    with scope(office=vest):
        position = Position.objects.get(municipality=gulen)
    prefix = f"p{position.pk}-"
    answer_link = f"/vest/oversikt/status/{survey_id}/4635/"
    assert answer_link in html
    response = coordinator.post(
        answer_link,
        {
            prefix + "status": "planlagt",
            prefix + "applicants": "1",
            prefix + "employment_form": "fastlonn",
            prefix + "scheme": "ny",
            "note": "Svar på telefon.",
        },
    )
    assert response.status_code == 302
    html = " ".join(coordinator.get("/vest/oversikt/status/").content.decode().split())
    assert "1 av 2 kommuner har svart" in html
    assert "har ikke fått skjemaet" not in html


def test_everyone_reached_says_so_in_the_plural(
    client_for, vest, coordinator_vest, masfjorden, two_positions
):
    member(vest, Role.MUNICIPAL_LEADER, masfjorden, email="a@masfjorden.example.no")
    member(vest, Role.MUNICIPAL_LEADER, two_positions, email="b@gulen.example.no")
    response = client_for(coordinator_vest).post(
        "/vest/oversikt/status/", {"period": "2026-11"}, follow=True
    )
    html = " ".join(response.content.decode().split())
    assert "Statusskjemaet er sendt: 2 e-poster til kommunale ledere." in html
    assert "fikk ikke skjemaet" not in html


@pytest.mark.dates
def test_unanswered_municipalities_are_reminded_weekly_while_the_round_is_open(
    vest, coordinator_vest, masfjorden, two_positions, django_capture_on_commit_callbacks
):
    gulen = two_positions
    masfjorden_leader = member(
        vest, Role.MUNICIPAL_LEADER, masfjorden, email="leder@masfjorden.example.no"
    )
    with django_capture_on_commit_callbacks(execute=True):
        sent = status_survey_send(office=vest, acting_user=coordinator_vest, period="2026-11")
    assert (sent.queued, [m.name for m in sent.without_leader]) == (1, ["Gulen"])
    sent_on = clock.today()

    def sweep(day):
        with django_capture_on_commit_callbacks(execute=True):
            run_sweep(office=vest, today=day)
        return [(m.recipient, m.period) for m in _survey_mails(vest, "status_survey_purring")]

    # Six days on: no reminder yet.
    assert sweep(sent_on + timedelta(days=6)) == []
    # A week on: Masfjorden's leader is reminded; Gulen has no leader, nobody to remind.
    week = sent_on + timedelta(days=7)
    assert sweep(week) == [("leder@masfjorden.example.no", week_period(week))]
    reminder = _survey_mails(vest, "status_survey_purring")[0]
    assert reminder.subject == "Påminnelse: status for ALIS-stillingene i Masfjorden"
    closes = sent_on + timedelta(days=42)
    assert f"innen {closes.day:02d}.{closes.month:02d}.{closes.year}" in reminder.body
    assert reminder.link.endswith("/4634/")
    # The same week again: nothing new.
    assert len(sweep(week)) == 1
    # Gulen gets a leader, Masfjorden answers: the next week only Gulen's new leader is reminded,
    # and Gulen is no longer among those the e-mails did not reach.
    member(vest, Role.MUNICIPAL_LEADER, gulen, email="ny.leder@gulen.example.no")
    with scope(office=vest):
        answer = SurveyAnswer.objects.get(survey=sent.survey, municipality=masfjorden)
        survey_answer_submit(
            office=vest, acting_user=masfjorden_leader, answer=answer, positions=[]
        )
    next_week = week + timedelta(days=7)
    assert sweep(next_week)[-1] == ("ny.leder@gulen.example.no", week_period(next_week))
    assert len(_survey_mails(vest, "status_survey_purring")) == 2
    with scope(office=vest):
        assert unreached_answers(StatusSurvey.objects.get(pk=sent.survey.pk)) == []
    # Six weeks after it was sent the round is closed: no more reminders.
    assert len(sweep(sent_on + timedelta(days=43))) == 2
