from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from django_scopes import scope

from confirmations.services import AchievedGoal, confirmation_request
from offices.permissions import Role
from tests.conftest import member
from trainees.models import Trainee

from .conftest import accessible

pytestmark = pytest.mark.browser


def _issue(office, leader, trainee, goals):
    from django.db import connection

    try:
        return confirmation_request(
            office=office,
            acting_user=leader,
            trainee=trainee,
            goals=goals,
            signer_name="Liv Lunde",
        )
    finally:
        connection.close()


def test_anyone_verifies_a_confirmation_by_code_and_by_file(
    page, vest, masfjorden, signing_settings, tmp_path
):
    leader = member(vest, Role.MUNICIPAL_LEADER, masfjorden, email="liv@masfjorden.example.no")
    with scope(office=vest):
        trainee = Trainee.objects.create(
            office=vest,
            municipality=masfjorden,
            first_name="Anna",
            last_name="Aase",
            email="anna@example.no",
            hpr_number="001234567",
            specialisation_start=date(2022, 9, 1),
        )
    goals = [
        AchievedGoal(
            code="ALM-001",
            title="Konsultasjonen",
            approved_on=date(2025, 3, 1),
            approved_by="Liv Lunde",
        )
    ]
    # pyHanko signs with asyncio.run(), which cannot run inside Playwright's event loop in this
    # thread; in the app it runs in a Celery worker. Issue it (tasks run eagerly) in a thread.
    with ThreadPoolExecutor(1) as pool:
        c = pool.submit(_issue, vest, leader, trainee, goals).result()
    with scope(office=vest):
        c.refresh_from_db()
        pdf = tmp_path / "bekreftelse.pdf"
        pdf.write_bytes(c.pdf.open("rb").read())

    page.goto("/verify/")
    accessible(page)
    page.get_by_label("Kontrollkode").fill(c.display_code)
    page.get_by_role("button", name="Kontroller kode").click()
    page.wait_for_url(f"**/verify/{c.display_code}")
    accessible(page)
    assert page.get_by_text("Gyldig.").is_visible()
    assert page.get_by_text("Anna Aase").is_visible()

    page.goto("/verify/")
    accessible(page)
    page.get_by_label("Bekreftelsen som PDF").set_input_files(str(pdf))
    page.get_by_role("button", name="Kontroller filen").click()
    page.wait_for_load_state("load")
    accessible(page)
    assert page.get_by_text("nøyaktig det vi utstedte").is_visible()
