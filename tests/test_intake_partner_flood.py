"""What a security tester found in intake: a leader could write to a partner municipality's
leaders without limit by writing a joint draft, deleting it and writing it again (each draft
sent a new letter, whose link then led to a deleted application), and could name any number
of partners in one application."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django_scopes import scope

from intake import services
from intake.models import Application
from municipalities.models import Municipality
from notifications.models import Outbox
from offices.permissions import Role

from .conftest import member
from .intake_helpers import application_form, make_round, nord_municipality


@pytest.fixture(autouse=True)
def monday_23_november_2026():
    with time_machine.travel(datetime(2026, 11, 23, 10, tzinfo=ZoneInfo("Europe/Oslo"))):
        yield


def partner_mail(nord):
    with scope(office=nord):
        return list(Outbox.objects.filter(kind="opptak_samarbeid"))


def test_deleting_and_writing_the_draft_again_does_not_write_to_the_partner_again(
    client_for, nord, coordinator_nord, leader_vadso
):
    round_ = make_round(nord, coordinator_nord)
    vadso, tana = nord_municipality("5607"), nord_municipality("5628")
    services.round_invite(
        office=nord, acting_user=coordinator_nord, round_=round_, municipalities=[vadso, tana]
    )
    member(nord, Role.MUNICIPAL_LEADER, tana, email="leder@tana.example.no")
    client = client_for(leader_vadso)

    for _ in range(3):
        response = client.post(
            f"/nord/opptak/{round_.pk}/sok/", application_form(round_, vadso, [tana])
        )
        assert response.status_code == 302
        with scope(office=nord):
            draft = Application.objects.get(round=round_, lead=vadso)
        response = client.post(f"/nord/opptak/soknad/{draft.pk}/slett/")
        assert response.status_code == 302
        with scope(office=nord):
            assert not Application.objects.filter(pk=draft.pk).exists()

    # One letter to Tana's leader for the round, however many drafts came and went.
    (letter,) = partner_mail(nord)
    assert letter.recipient == "leder@tana.example.no"
    # Its link is the round's page, which still answers with the draft deleted, and lists the
    # draft Tana stands in once Vadsø writes it again.
    assert letter.link == f"/nord/opptak/{round_.pk}/"
    response = client.post(
        f"/nord/opptak/{round_.pk}/sok/", application_form(round_, vadso, [tana])
    )
    assert response.status_code == 302
    with scope(office=nord):
        draft = Application.objects.get(round=round_, lead=vadso)
    tana_leader = client_for(member(nord, Role.MUNICIPAL_LEADER, tana, email="to@tana.example.no"))
    response = tana_leader.get(letter.link)
    assert response.status_code == 200
    assert f"/nord/opptak/soknad/{draft.pk}/" in response.content.decode()
    assert len(partner_mail(nord)) == 1


def test_a_joint_application_names_at_most_ten_partners_and_keeps_what_was_written(
    client_for, nord, coordinator_nord, leader_vadso
):
    round_ = make_round(nord, coordinator_nord)
    vadso = nord_municipality("5607")
    with scope(office=nord):
        others = list(
            Municipality.objects.filter(office=nord, is_active=True)
            .exclude(pk=vadso.pk)
            .order_by("number")[:11]
        )
    assert len(others) == 11
    services.round_invite(
        office=nord, acting_user=coordinator_nord, round_=round_, municipalities=[vadso, *others]
    )
    for municipality in others:
        member(nord, Role.MUNICIPAL_LEADER, municipality, email=f"leder@{municipality.number}.no")
    client = client_for(leader_vadso)

    response = client.post(
        f"/nord/opptak/{round_.pk}/sok/",
        application_form(round_, vadso, others, note="Felles legevakt i Øst-Finnmark."),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "En felles søknad kan ha høyst 10 samarbeidskommuner; 11 er valgt." in page
    assert "Felles legevakt i Øst-Finnmark." in page  # what was written is kept
    assert page.count("checked") >= 11  # and the partners ticked
    with scope(office=nord):
        assert not Application.objects.filter(round=round_).exists()
    assert partner_mail(nord) == []

    response = client.post(
        f"/nord/opptak/{round_.pk}/sok/", application_form(round_, vadso, others[:10])
    )
    assert response.status_code == 302
    assert len(partner_mail(nord)) == 10
