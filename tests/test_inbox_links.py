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
from hospital.models import Booking, BookingStatus
from municipalities.models import ContactChannel, ContactLogEntry
from national import services as national_services
from national.models import Meeting, Routine
from offices import clock
from trainees.models import SupervisionSession, SupervisorRole, TraineeStatus

from .grant_helpers import invoice_profile, pilot_claim, signed_doctor
from .hospital_helpers import gp_doctor, make_department, make_place
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
    count = int(re.search(r'inbox-card__count">\s*(\d+)', text).group(1))
    url = re.search(r'href="([^"]+)"', text).group(1).replace("&amp;", "&")
    return count, url


def follow_card(client, key: str, url: str, slug: str = "vest") -> tuple[int, str]:
    """The card's count, after checking it links to `url`, and the page it links to."""
    count, linked = card_count_and_url(client, key, slug)
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


# --- Claims, follow-ups, national work and applications (cold-user findings, second round) ----


def test_claims_cards_link_to_the_claims_they_count(
    client_for, coordinator_vest, leader_masfjorden, vest, masfjorden
):
    """«Tilskuddskrav til vedtak – 2 krav er sendt inn» opened the page of every claim."""
    invoice_profile(vest, coordinator_vest)
    other = vest.municipalities.exclude(pk=masfjorden.pk).order_by("name").first()
    claims = {}
    for i, (first, municipality) in enumerate(
        [("Anna", masfjorden), ("Bodil", masfjorden), ("Carl", masfjorden), ("Dina", other)]
    ):
        trainee = signed_doctor(vest, municipality, hpr=f"765431{i}", first=first)
        claims[first] = pilot_claim(vest, coordinator_vest, trainee)
    for first in ("Anna", "Dina"):
        grant_services.claim_submit(office=vest, acting_user=coordinator_vest, claim=claims[first])
    # Sent in: Anna (Masfjorden) and Dina (elsewhere). Drafts: Bodil and Carl (Masfjorden).
    client = client_for(coordinator_vest)
    count, html = follow_card(client, "claims", "/vest/tilskudd/?krav=sendt")
    assert count == 2
    assert table_rows(html) == 2
    assert "2 krav er sendt inn og venter på vedtak" in html
    assert "Anna" in html and "Dina" in html and "Bodil" not in html and "Carl" not in html

    client = client_for(leader_masfjorden)
    count, html = follow_card(client, "claims", "/vest/tilskudd/?krav=ikke-sendt")
    assert count == 2
    assert table_rows(html) == 2
    assert "2 krav er ikke sendt inn" in html
    assert "Bodil" in html and "Carl" in html and "Anna" not in html
    # The whole page still lists the municipality's three claims.
    assert table_rows(client.get("/vest/tilskudd/").content.decode()) == 3


def test_overdue_follow_ups_card_links_to_exactly_the_follow_ups_due(
    client_for, coordinator_vest, vest, masfjorden
):
    """«Oppfølginger som er forfalt» opened the region page mixing overdue and coming ones."""
    with scope(office=vest):
        for days, done in ((-10, False), (-1, False), (0, False), (-3, True), (1, False)):
            ContactLogEntry.objects.create(
                office=vest,
                municipality=masfjorden,
                date=TODAY - timedelta(days=30),
                channel=ContactChannel.choices[0][0],
                people="Kari Nordmann, kommuneoverlege",
                notes="Samtale",
                follow_up_on=TODAY + timedelta(days=days),
                follow_up_done=done,
                created_by=coordinator_vest,
            )
    client = client_for(coordinator_vest)
    count, html = follow_card(client, "follow_ups", "/vest/?forfalt=1")
    # Due 10 and 1 days ago and today; not the one done, nor tomorrow's.
    assert count == 3
    assert "3 oppfølginger er forfalt" in html
    section = html.split("data-follow-ups>", 1)[1].split("</ul>", 1)[0]
    assert section.count("<li>") == 3
    assert "24.11.2026" not in section  # tomorrow's
    # Without the filter the card shows the coming week too.
    whole = client.get("/vest/").content.decode().split("data-follow-ups>", 1)[1]
    assert whole.split("</ul>", 1)[0].count("<li>") == 4


def _meeting(office, title, starts_at, **fields):
    return Meeting.objects.create(
        title=title, starts_at=starts_at, secretary_office=office, **fields
    )


def test_coordinating_meeting_cards_link_to_the_meetings_they_count(
    client_for, nord, coordinator_nord
):
    now = clock.now()
    _meeting(nord, "Holdt", now - timedelta(days=5))
    _meeting(nord, "Snart", now + timedelta(days=10))
    _meeting(nord, "Straks", now + timedelta(days=2))
    _meeting(nord, "Innkalt", now + timedelta(days=20), notice_sent_at=now)
    _meeting(nord, "Senere", now + timedelta(days=60))
    client = client_for(coordinator_nord)
    count, html = follow_card(
        client, "coordinating_notices", "/nord/nasjonalt/moter/?uten-innkalling=1", "nord"
    )
    assert count == 2
    assert table_rows(html) == 2
    assert "Snart<" in html and "Straks<" in html and "Innkalt<" not in html
    count, html = follow_card(
        client, "coordinating_meetings", "/nord/nasjonalt/moter/?kommende=1", "nord"
    )
    assert count == 3
    assert table_rows(html) == 3
    assert "Holdt<" not in html and "Senere<" not in html
    assert table_rows(client.get("/nord/nasjonalt/moter/").content.decode()) == 5


def test_routine_drafts_card_links_to_the_routines_with_a_draft(
    client_for, nord, vest, coordinator_nord
):
    for title in ("Rutine for sykehustjeneste", "Rutine for veiledning"):
        national_services.routine_create(
            office=nord,
            acting_user=coordinator_nord,
            title=title,
            owner_office=vest,
            review_due=date(2027, 6, 1),
            body="Veiledere avtaler sykehusperioden.",
        )
    with scope(office=nord):
        approved = Routine.objects.get(title="Rutine for veiledning")
        approved.versions.update(approved_at=clock.now())
    client = client_for(coordinator_nord)
    count, html = follow_card(
        client, "coordinating_routines", "/nord/nasjonalt/rutiner/?utkast=1", "nord"
    )
    assert count == 1
    assert table_rows(html) == 1
    assert "Rutine for sykehustjeneste" in html and "Rutine for veiledning" not in html
    assert table_rows(client.get("/nord/nasjonalt/rutiner/").content.decode()) == 2


def test_routines_to_review_card_links_to_exactly_the_routines_due_for_review(
    client_for, nord, vest, coordinator_vest, coordinator_nord
):
    """«Felles rutiner å gå gjennom» opened the list of every routine."""
    for title, owner, due in (
        ("Rutine forfalt", vest, date(2026, 11, 1)),  # passed
        ("Rutine grense", vest, date(2026, 12, 23)),  # in 30 days: the limit
        ("Rutine senere", vest, date(2026, 12, 24)),  # in 31 days
        ("Rutine nord", nord, date(2026, 11, 30)),  # another office's
    ):
        national_services.routine_create(
            office=nord,
            acting_user=coordinator_nord,
            title=title,
            owner_office=owner,
            review_due=due,
            body="Veiledere avtaler sykehusperioden.",
        )
    client = client_for(coordinator_vest)
    count, html = follow_card(client, "national_routines", "/vest/nasjonalt/rutiner/?gjennomgang=1")
    assert count == 2
    assert table_rows(html) == 2
    assert "2 rutiner skal gjennomgås" in html
    assert "Rutine forfalt" in html and "Rutine grense" in html
    assert "Rutine senere" not in html and "Rutine nord" not in html
    assert table_rows(client.get("/vest/nasjonalt/rutiner/").content.decode()) == 4


def test_waiting_bookings_card_links_to_exactly_the_bookings_waiting_for_an_answer(
    client_for, coordinator_vest, vest, masfjorden
):
    """«Sykehusplasser som venter på svar» opened the hospital overview, not the bookings."""
    department = make_department(vest, coordinator_vest)
    statuses = {
        "Anna": BookingStatus.REQUESTED,
        "Bodil": BookingStatus.PROPOSED,
        "Carl": BookingStatus.CONFIRMED,
        "Dina": BookingStatus.DECLINED,
    }
    with scope(office=vest):
        for i, (first, status) in enumerate(statuses.items()):
            Booking.objects.create(
                office=vest,
                trainee=gp_doctor(
                    vest,
                    masfjorden,
                    first_name=first,
                    email=f"{first.lower()}@example.no",
                    hpr_number=f"765432{i}",
                ),
                place=make_place(department, start=date(2027, 1 + i, 1)),
                status=status,
            )
    client = client_for(coordinator_vest)
    count, html = follow_card(client, "bookings", "/vest/sykehus/bestillinger/?venter=1")
    assert count == 2
    assert table_rows(html) == 2
    assert "2 bestillinger venter på svar" in html
    assert "Anna" in html and "Bodil" in html and "Carl" not in html and "Dina" not in html
    assert table_rows(client.get("/vest/sykehus/bestillinger/").content.decode()) == 4
