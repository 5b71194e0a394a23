"""An inbox card links to a list of exactly what it counts, and the list shows the same number
(cold-user finding on issue 14: «ALIS-leger uten veileder» said 11, the doctor list showed 13;
«to måneder uten veiledning» said 12, the supervision overview 13; the overdue invoices card
opened the whole grants page)."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django_scopes import scope

from grants import services as grant_services
from grants.models import ShareInvoice
from trainees.models import SupervisionSession, SupervisorRole, TraineeStatus

from .grant_helpers import invoice_profile, pilot_claim, signed_doctor
from .progress_helpers import make_doctor
from .trainee_factories import make_assignment, make_supervisor

TODAY = date(2026, 11, 23)  # the suite's frozen clock


def card(html: str, key: str) -> str:
    match = re.search(rf'data-inbox="{key}">(.*?)</div>', html, re.S)
    assert match, f"no card {key}"
    return re.sub(r"\s+", " ", match.group(1))


def card_count_and_url(client, key: str, slug: str = "vest") -> tuple[int, str]:
    html = client.get(reverse("inbox", args=[slug])).content.decode()
    text = card(html, key)
    count = int(re.search(r"(\d+) (?:lege|leger|faktura|fakturaer)\b", text).group(1))
    url = re.search(r'href="([^"]+)"', text).group(1).replace("&amp;", "&")
    return count, url


def follow_card(client, key: str, url: str) -> tuple[int, str]:
    """The card's count, after checking it links to `url`, and the page it links to."""
    count, linked = card_count_and_url(client, key)
    assert linked == url
    return count, client.get(url).content.decode()


def table_rows(html: str) -> int:
    """Rows of the page's (first) table body."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return len(re.findall(r"<tr>", body))


_n = iter(range(100, 999))


def doctor(vest, municipality, name, **kwargs):
    n = next(_n)
    return make_doctor(
        vest,
        municipality,
        first_name=name,
        last_name="Lege",
        hpr_number=f"009{n:06d}",
        email=f"{name.lower()}{n}@example.no",
        **kwargs,
    )


def veileder_for(trainee, role=SupervisorRole.VEILEDER, **dates):
    supervisor = make_supervisor(
        trainee.office, [trainee.municipality], name="Vera Veileder", email="vera@example.no"
    )
    make_assignment(trainee, supervisor, role=role, **dates)


@pytest.fixture
def doctors_and_veiledere(vest, masfjorden):
    """Masfjorden: with a veileder (two: one open, one ending today) and six without — none at
    all, an ended assignment, one starting next month, on leave, only a supervisør, and a
    doctor in another municipality; and two who are not in training (completed, left)."""
    other = vest.municipalities.exclude(pk=masfjorden.pk).order_by("name").first()
    veileder_for(doctor(vest, masfjorden, "Aktiv"), start=date(2024, 1, 1))
    veileder_for(doctor(vest, masfjorden, "Idag"), start=date(2024, 1, 1), end=TODAY)
    doctor(vest, masfjorden, "Ingen")
    veileder_for(
        doctor(vest, masfjorden, "Avsluttet"), start=date(2024, 1, 1), end=TODAY - timedelta(1)
    )
    veileder_for(doctor(vest, masfjorden, "Framtidig"), start=date(2026, 12, 1))
    doctor(vest, masfjorden, "Permisjon", status=TraineeStatus.ON_LEAVE)
    veileder_for(
        doctor(vest, masfjorden, "Supervisert"),
        role=SupervisorRole.SUPERVISOR,
        start=date(2024, 1, 1),
    )
    doctor(vest, other, "Annensted")
    doctor(vest, masfjorden, "Ferdig", status=TraineeStatus.COMPLETED)
    doctor(vest, masfjorden, "Sluttet", status=TraineeStatus.LEFT)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("coordinator_vest", 6), ("leader_masfjorden", 5)],
)
def test_without_veileder_card_and_its_list_count_the_same_doctors(
    client_for, doctors_and_veiledere, persona, expected, request
):
    client = client_for(request.getfixturevalue(persona))
    count, html = follow_card(client, "without_veileder", "/vest/leger/?uten-veileder=1")
    assert count == expected  # hand-counted: Ingen, Avsluttet, Framtidig, Permisjon,
    # Supervisert (+ Annensted for the office)
    assert table_rows(html) == expected
    assert f"{expected} ALIS-leger i utdanning uten veileder" in html
    for name in ("Aktiv", "Idag", "Ferdig", "Sluttet"):
        assert f"Lege, {name}<" not in html
    # The doctor starting next month shows no veileder yet in the list either.
    row = re.search(r"Lege, Framtidig</a>.*?</tr>", html, re.S).group(0)
    assert "Mangler" in row and "Vera Veileder" not in row


def sessions(trainee, *days):
    with scope(office=trainee.office):
        for day in days:
            SupervisionSession.objects.create(
                office=trainee.office, trainee=trainee, day=day, hours=Decimal("2"), topics="Vakt"
            )


def test_without_recent_session_card_and_the_overview_count_the_same_doctors(
    client_for, coordinator_vest, vest, masfjorden
):
    # Counted: no session ever; last session 61 days ago; on leave without sessions.
    doctor(vest, masfjorden, "Aldri")
    sessions(doctor(vest, masfjorden, "Lenge"), TODAY - timedelta(days=61))
    doctor(vest, masfjorden, "Permisjon", status=TraineeStatus.ON_LEAVE)
    # Not counted: a session 60 days ago (the limit), one last week, started 30 days ago,
    # completed.
    sessions(doctor(vest, masfjorden, "Grense"), TODAY - timedelta(days=60))
    sessions(doctor(vest, masfjorden, "Nylig"), TODAY - timedelta(days=7))
    doctor(vest, masfjorden, "Ny", specialisation_start=TODAY - timedelta(days=30))
    doctor(vest, masfjorden, "Ferdig", status=TraineeStatus.COMPLETED)
    client = client_for(coordinator_vest)
    count, html = follow_card(client, "behind", "/vest/veiledningsoversikt/?uten-veiledning=1")
    assert count == 3
    assert table_rows(html) == 3
    assert "3 leger i utdanning uten veiledning ført de siste 60 dagene" in html
    for name in ("Aldri", "Lenge", "Permisjon"):
        assert f"{name} Lege</a>" in html
    # Unfiltered, the page still lists all six doctors in training.
    assert table_rows(client.get("/vest/veiledningsoversikt/").content.decode()) == 6


def test_overdue_invoices_card_links_to_exactly_the_overdue_invoices(
    client_for, coordinator_vest, vest, masfjorden
):
    invoice_profile(vest, coordinator_vest)
    invoices = []
    for i, first in enumerate(["Anna", "Bodil", "Carl", "Dina"]):
        trainee = signed_doctor(vest, masfjorden, hpr=f"765430{i}", first=first)
        claim = pilot_claim(vest, coordinator_vest, trainee)
        grant_services.claim_submit(office=vest, acting_user=coordinator_vest, claim=claim)
        invoices.append(
            grant_services.invoice_create(office=vest, acting_user=coordinator_vest, claim=claim)
        )
    overdue, paid_late, due_today, not_due = invoices
    with scope(office=vest):
        issued = TODAY - timedelta(days=40)
        ShareInvoice.objects.filter(pk=overdue.pk).update(
            issued_on=issued, due_on=TODAY - timedelta(days=1)
        )
        ShareInvoice.objects.filter(pk=paid_late.pk).update(
            issued_on=issued, due_on=TODAY - timedelta(days=10), paid_on=TODAY
        )
        ShareInvoice.objects.filter(pk=due_today.pk).update(issued_on=issued, due_on=TODAY)
    client = client_for(coordinator_vest)
    count, html = follow_card(client, "invoices", "/vest/tilskudd/?forfalt=1")
    assert count == 1
    assert table_rows(html) == 1
    assert overdue.number in html
    assert not any(i.number in html for i in (paid_late, due_today, not_due))
    assert "1 faktura er ikke betalt innen forfall" in html
    # The whole page lists all four.
    whole = client.get("/vest/tilskudd/").content.decode()
    assert all(i.number in whole for i in invoices)
