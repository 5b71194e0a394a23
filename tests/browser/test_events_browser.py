"""A doctor signs up for a full course, is wait-listed, is offered the place when someone
cancels, takes it, and the organiser records that they attended (axe on every page)."""

import re
from datetime import date

import pytest
import time_machine
from django_scopes import scope

from accounts.models import Role
from events import services
from tests.conftest import member
from tests.event_helpers import at, make_event
from tests.factories import PASSWORD, UserFactory
from tests.trainee_factories import make_trainee
from trainees.models import CourseRecord

from .conftest import accessible, log_in

pytestmark = pytest.mark.browser


def test_sign_up_wait_list_offer_and_attend(page, vest, masfjorden):
    doctor_user = member(vest, Role.ALIS, masfjorden, email="lege@masfjorden.example.no")
    coordinator = member(vest, Role.COORDINATOR, email="kari@vest.example.no")
    trainee = make_trainee(vest, masfjorden, email=doctor_user.email)
    with scope(office=vest):
        trainee.user = doctor_user
        trainee.save(update_fields=["user"])
    event = make_event(vest, capacity=1)
    first = UserFactory(email="forst@example.no")
    holder = services.signup_create(office=vest, acting_user=first, event=event, user=first)

    log_in(page, doctor_user.email, PASSWORD)
    accessible(page)
    page.goto("/vest/arrangementer/")
    accessible(page)
    page.get_by_role("link", name="Grunnkurs A").click()
    page.wait_for_url(re.compile(rf"/arrangementer/{event.pk}/$"))
    accessible(page)
    page.get_by_role("button", name="Meld meg på").click()
    page.wait_for_load_state("load")
    accessible(page)
    assert page.get_by_text("Arrangementet er fullt: du står på venteliste.").is_visible()
    assert "På venteliste" in page.locator("#min-status").inner_text()

    # The one who had the place cancels: the place is offered to the doctor.
    services.signup_cancel(signup=holder, acting_user=first)
    page.reload()
    accessible(page)
    assert "Tilbudt plass" in page.locator("#min-status").inner_text()
    page.get_by_role("button", name="Takk ja til plassen").click()
    page.wait_for_load_state("load")
    accessible(page)
    assert page.get_by_text("Plassen er din. Velkommen!").is_visible()
    assert "Påmeldt" in page.locator("#min-status").inner_text()

    # The day of the course: the organiser ticks the doctor off on the attendance list.
    page.context.clear_cookies()
    with time_machine.travel(at(2026, 12, 10, 16, 30), tick=True):
        log_in(page, coordinator.email, PASSWORD)
        accessible(page)
        page.goto(f"/vest/arrangementer/{event.pk}/oppmote/")
        accessible(page)
        page.get_by_label("Anna Aase møtte").check()
        page.get_by_role("button", name="Lagre oppmøte").click()
        page.wait_for_load_state("load")
        accessible(page)
        assert page.get_by_text("Oppmøte lagret (1 endret).").is_visible()
    with scope(office=vest):
        [record] = CourseRecord.objects.filter(trainee=trainee)
    assert (record.kind, record.completed_on) == ("A", date(2026, 12, 10))


def test_an_event_form_sent_empty_moves_focus_to_the_error_summary(page, vest):
    """Issue 14: forms show the error summary with links to the fields, and move focus to it."""
    member(vest, Role.COORDINATOR, email="kari@vest.example.no")
    log_in(page, "kari@vest.example.no", PASSWORD)
    page.goto("/vest/arrangementer/ny/")
    accessible(page)
    # Before sending, nothing is focused by the script.
    assert page.evaluate("() => document.activeElement.id") != "error-summary"
    page.get_by_role("button", name="Opprett").click()
    page.wait_for_load_state("load")
    accessible(page)
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert page.evaluate("() => document.activeElement.id") == "error-summary"
    # Its first link leads to a field.
    first = summary.get_by_role("link").first
    assert first.get_attribute("href").startswith("#id_")
