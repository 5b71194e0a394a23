"""The hospital period in the browser: the leader requests a module place for a doctor, the
trust's contact confirms it, and the doctor's plan has the module as its institution arena
(axe on every page)."""

import re
from datetime import date

import pytest
from django_scopes import scope

from accounts.models import Role
from hospital.models import Booking, BookingStatus
from tests.conftest import member
from tests.factories import PASSWORD
from tests.hospital_helpers import (
    gp_doctor,
    make_department,
    make_place,
    seed_rules,
    trust_contact,
)
from tests.trainee_factories import make_plan_version

from .conftest import accessible, log_in

pytestmark = pytest.mark.browser


def test_request_confirm_plan(page, vest, masfjorden):
    seed_rules()
    leader = member(vest, Role.MUNICIPAL_LEADER, masfjorden, email="leder@masfjorden.example.no")
    contact = trust_contact(vest)
    doctor = gp_doctor(vest, masfjorden)
    make_plan_version(doctor)
    place = make_place(make_department(vest, leader, name="Akuttmottaket"))

    log_in(page, leader.email, PASSWORD)
    accessible(page)
    page.goto("/vest/sykehus/behov/")
    accessible(page)
    page.get_by_role("link", name="Bestill plass for Anna Aase").click()
    page.wait_for_url(re.compile(rf"/sykehus/behov/{doctor.pk}/bestill/$"))
    accessible(page)
    assert "01.07.2028" in page.locator("main").inner_text()  # latest start
    page.get_by_label("Modul").select_option(str(place.pk))
    page.get_by_label("Ønsker").fill("Helst akuttmottaket")
    page.get_by_role("button", name="Send forespørsel").click()
    page.wait_for_url(re.compile(r"/sykehus/bestillinger/\d+/$"))
    accessible(page)
    assert page.get_by_text("Forespørselen er sendt til helseforetaket.").is_visible()

    page.context.clear_cookies()
    log_in(page, contact.email, PASSWORD)
    accessible(page)
    page.goto("/vest/sykehus/bestillinger/")
    accessible(page)
    page.get_by_role("link", name="Anna Aase").click()
    page.wait_for_load_state("load")
    accessible(page)
    page.get_by_label("Bekreft modulen").check()
    page.get_by_label("Melding til den som bestilte").fill("Velkommen 1. januar")
    page.get_by_role("button", name="Send svar").click()
    page.wait_for_load_state("load")
    accessible(page)
    assert page.get_by_text("Modulen er bekreftet.").is_visible()
    assert "Bekreftet" in page.locator("#status").inner_text()

    page.context.clear_cookies()
    log_in(page, leader.email, PASSWORD)
    accessible(page)
    with scope(office=vest):
        booking = Booking.objects.get()
    assert booking.status == BookingStatus.CONFIRMED
    page.goto(f"/vest/sykehus/bestillinger/{booking.pk}/")
    accessible(page)
    page.get_by_role("link", name="Versjon 2 med institusjonstjenesten").click()
    page.wait_for_url(re.compile(rf"/leger/{doctor.pk}/plan/2/$"))
    accessible(page)
    text = page.locator("main").inner_text()
    assert "Akuttmottaket, Haukeland" in text
    assert date(2027, 1, 1).strftime("%d.%m.%Y") in text or "1.1.2027" in text
