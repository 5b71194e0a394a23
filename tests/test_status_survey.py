"""The positions status survey: the coordinator sends a pre-filled form through the outbox,
the municipal leader confirms or corrects it, the positions change with history, and the
coordinator sees who has answered."""

import re

from django_scopes import scope

from accounts.models import Role
from notifications.models import Outbox
from positions.models import Position, PositionStatusChange
from positions.services import position_create
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
