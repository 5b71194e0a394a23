"""What users found in intake (a shipped defect): a municipality named as a partner in a joint
application was never told. Its leaders are now e-mailed (through the outbox, in their own
language) asking them to confirm, once per application."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django_scopes import scope

from intake import services
from intake.models import Application
from notifications.models import Outbox
from offices.permissions import Role

from .conftest import member
from .intake_helpers import application_form, make_round, nord_municipality
from .translation_helpers import pending_translations


@pytest.fixture(autouse=True)
def monday_23_november_2026():
    # The round's deadline is three weeks on: 14.12.2026, whatever day the suite runs on.
    with time_machine.travel(datetime(2026, 11, 23, 10, tzinfo=ZoneInfo("Europe/Oslo"))):
        yield


@pytest.fixture
def round_(nord, coordinator_nord):
    round_ = make_round(nord, coordinator_nord)
    services.round_invite(
        office=nord,
        acting_user=coordinator_nord,
        round_=round_,
        municipalities=[nord_municipality(n) for n in ("5607", "5628", "5624", "1804")],
    )
    return round_


def partner_mail(nord):
    with scope(office=nord):
        return list(Outbox.objects.filter(kind="opptak_samarbeid").order_by("recipient"))


def test_a_named_partner_municipalitys_leaders_are_asked_to_confirm_in_their_language(
    client_for, nord, round_, leader_vadso
):
    vadso, tana, lebesby = (nord_municipality(n) for n in ("5607", "5628", "5624"))
    member(
        nord,
        Role.MUNICIPAL_LEADER,
        tana,
        email="leder@tana.example.no",
        language="nn",
    )
    member(nord, Role.MUNICIPAL_LEADER, lebesby, email="leder@lebesby.example.no")
    client = client_for(leader_vadso)
    with pending_translations("nn", "left"):
        response = client.post(
            f"/nord/opptak/{round_.pk}/sok/", application_form(round_, vadso, [tana])
        )
    assert response.status_code == 302
    with scope(office=nord):
        application = Application.objects.get(round=round_, lead=vadso)

    (tana_mail,) = partner_mail(nord)
    assert tana_mail.recipient == "leder@tana.example.no"
    assert tana_mail.subject == "Vadsø ber Tana stadfeste ein felles ALIS-søknad"
    assert tana_mail.body == (
        "Vadsø har ført opp Tana som samarbeidskommune i søknaden til «Opptak 2027» hos ALIS "
        "Nord. Søknaden kan ikkje sendast inn før Tana har stadfesta. Opne søknaden for å "
        "stadfeste samarbeidet, eller ta kommunen ut av han om de ikkje skal vere med. "
        "Søknadsfristen er 14.12.2026."
    )
    assert tana_mail.link == f"/nord/opptak/{round_.pk}/"
    assert tana_mail.urgent  # a letter with a deadline, not held for a digest

    # Lebesby is added when the draft is changed: only Lebesby's leader gets a letter, in
    # bokmål (no language chosen); Vadsø's own leader, who wrote it, gets none.
    response = client.post(
        f"/nord/opptak/soknad/{application.pk}/rediger/",
        application_form(round_, vadso, [tana, lebesby]),
    )
    assert response.status_code == 302
    mails = partner_mail(nord)
    assert [m.recipient for m in mails] == ["leder@lebesby.example.no", "leder@tana.example.no"]
    assert mails[0].subject == "Vadsø ber Lebesby bekrefte en felles ALIS-søknad"
    assert "Søknaden kan ikke sendes inn før Lebesby har bekreftet." in mails[0].body

    # Taken out and named again: no second letter for the same application.
    client.post(
        f"/nord/opptak/soknad/{application.pk}/rediger/", application_form(round_, vadso, [tana])
    )
    client.post(
        f"/nord/opptak/soknad/{application.pk}/rediger/",
        application_form(round_, vadso, [tana, lebesby]),
    )
    assert len(partner_mail(nord)) == 2


def test_a_partner_without_a_leader_gets_no_letter_the_office_confirms_for_it(
    client_for, nord, round_, leader_vadso
):
    vadso, bodo = nord_municipality("5607"), nord_municipality("1804")
    response = client_for(leader_vadso).post(
        f"/nord/opptak/{round_.pk}/sok/", application_form(round_, vadso, [bodo])
    )
    assert response.status_code == 302
    assert partner_mail(nord) == []
