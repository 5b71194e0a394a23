"""The national workspace and the open pages in a browser: axe (WCAG 2.1 A/AA) and 320-px reflow
on the front page, the positions list and a position, the workspace overview, a meeting with
minutes and action items, and a routine with its archive."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from national import services
from offices.models import Office
from offices.permissions import Role
from positions.models import Status
from positions.services import medical_office_create, position_create
from tests.conftest import member
from tests.factories import PASSWORD

from .conftest import accessible, log_in

pytestmark = pytest.mark.browser


def test_front_page_and_open_positions_are_accessible_without_login(page, vest, masfjorden):
    coordinator = member(vest, Role.COORDINATOR, email="koordinator@vest.example.no")
    office = medical_office_create(
        office=vest,
        acting_user=coordinator,
        municipality=masfjorden,
        name="Masfjorden legekontor",
        ownership="kommunal",
    )
    position = position_create(
        office=vest,
        acting_user=coordinator,
        municipality=masfjorden,
        medical_office=office,
        list_ceiling=900,
        employment_form="fastlonn",
        scheme="ny",
        status=Status.ADVERTISED,
    )
    services.advertisement_save(
        office=vest,
        acting_user=coordinator,
        position=position,
        url="https://www.masfjorden.kommune.no/ledige-stillingar/alis-med-ein-svaert-lang-adresse",
        deadline=date(2027, 1, 10),
    )
    page.goto("/")
    accessible(page)
    assert page.get_by_role("heading", name="De regionale ALIS-kontorene").is_visible()
    page.get_by_role("link", name="Ledige ALIS-stillinger").first.click()
    accessible(page)
    page.get_by_label("ALIS-kontor").select_option("vest")
    page.get_by_role("button", name="Vis stillingene").click()
    accessible(page)
    assert page.get_by_role("heading", name="1 stilling").is_visible()
    page.get_by_role(
        "link", name="ALIS-stilling ved Masfjorden legekontor, Masfjorden", exact=True
    ).click()
    accessible(page)
    page.goto("/rutiner/")
    accessible(page)


def test_national_workspace_meeting_and_routine_are_accessible(page, db):
    nord = Office.objects.get(slug="nord")
    vest = Office.objects.get(slug="vest")
    coordinator = member(nord, Role.NATIONAL_COORDINATOR, email="nasjonal@nord.example.no")
    meeting = services.meeting_create(
        office=nord,
        acting_user=coordinator,
        title="Fellesmøte desember",
        starts_at=datetime(2026, 12, 8, 10, tzinfo=ZoneInfo("Europe/Oslo")),
        agenda="## Saker\n\n1. Sykehustjenesten\n2. Eventuelt",
    )
    services.action_item_add(
        office=nord,
        acting_user=coordinator,
        meeting=meeting,
        text="Skriv utkast til rutine",
        owner_office=nord,
        due=date(2027, 1, 15),
    )
    routine = services.routine_create(
        office=nord,
        acting_user=coordinator,
        title="Rutine for sykehustjeneste",
        owner_office=vest,
        review_due=date(2027, 6, 1),
        body="## Ansvar\n\n- Kommunen melder behovet.",
    )
    log_in(page, coordinator.email, PASSWORD)
    page.goto("/nord/nasjonalt/")
    accessible(page)
    page.goto(f"/nord/nasjonalt/moter/{meeting.pk}/")
    accessible(page)
    page.get_by_role("link", name="Skriv referat og oppmøte").click()
    accessible(page)
    page.get_by_label("ALIS Vest møtte").check()
    page.get_by_label("Referat").fill("Kontorene ble enige om **én** rutine.")
    page.get_by_role("button", name="Lagre referatet").click()
    accessible(page)
    assert page.get_by_text("Kontorene ble enige om").is_visible()
    page.get_by_role("button", name=re.compile("Marker som utført")).click()
    accessible(page)
    assert page.get_by_text("Utført 23.11.2026").is_visible()
    page.goto(f"/nord/nasjonalt/rutiner/{routine.pk}/")
    accessible(page)
    page.goto("/nord/nasjonalt/rutiner/?q=sykehus")
    accessible(page)
    page.goto("/nord/nasjonalt/oppgaver/ny/")
    accessible(page)
