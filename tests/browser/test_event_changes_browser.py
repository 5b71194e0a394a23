"""The organiser changes an event (a refused change keeps what was typed, then a saved one),
a leader cancels the sign-up they made for a doctor, and the coordinator sees which
municipalities the status survey could not reach (axe and 320-px reflow on every page)."""

import re

import pytest
from django_scopes import scope

from accounts.models import Role
from events import services
from events.models import Event, Signup, SignupStatus
from municipalities.models import Municipality
from notifications.surveys import status_survey_send
from positions.services import position_create
from tests.conftest import member
from tests.event_helpers import make_event
from tests.factories import PASSWORD
from tests.trainee_factories import make_trainee

from .conftest import accessible, log_in

pytestmark = pytest.mark.browser


def test_organiser_changes_an_event_and_a_leader_cancels_for_a_doctor(page, vest, masfjorden):
    coordinator = member(vest, Role.COORDINATOR, email="kari@vest.example.no")
    leader = member(vest, Role.MUNICIPAL_LEADER, masfjorden, email="leder@masfjorden.example.no")
    doctor = make_trainee(vest, masfjorden)
    event = make_event(vest, capacity=2)
    services.signup_create(office=vest, acting_user=leader, event=event, trainee=doctor)

    log_in(page, coordinator.email, PASSWORD)
    page.goto(f"/vest/arrangementer/{event.pk}/")
    accessible(page)
    page.get_by_role("link", name="Endre arrangementet").click()
    page.wait_for_url(re.compile(rf"/arrangementer/{event.pk}/endre/$"))
    accessible(page)
    page.get_by_label("Antall plasser").fill("0")
    page.get_by_label("Sted").fill("Voss")
    page.get_by_role("button", name="Lagre endringene").click()
    page.wait_for_load_state("load")
    accessible(page)
    assert page.get_by_label("Sted").input_value() == "Voss"  # kept
    page.get_by_label("Antall plasser").fill("3")
    page.get_by_role("button", name="Lagre endringene").click()
    page.wait_for_url(re.compile(rf"/arrangementer/{event.pk}/$"))
    accessible(page)
    assert page.get_by_text("Endringene er lagret. 1 påmeldt har fått beskjed.").is_visible()
    with scope(office=vest):
        assert Event.objects.get(pk=event.pk).place == "Voss"

    page.context.clear_cookies()
    log_in(page, leader.email, PASSWORD)
    page.goto(f"/vest/arrangementer/{event.pk}/")
    accessible(page)
    page.get_by_role("link", name="Meld av Anna Aase").click()
    page.wait_for_load_state("load")
    accessible(page)  # the question first: nothing is cancelled by following the link
    with scope(office=vest):
        assert Signup.objects.get(event=event).status != SignupStatus.CANCELLED
    page.get_by_role("button", name="Ja, meld av Anna Aase").click()
    page.wait_for_load_state("load")
    accessible(page)
    assert page.get_by_text("Anna Aase er meldt av.").is_visible()
    with scope(office=vest):
        assert Signup.objects.get(event=event).status == SignupStatus.CANCELLED


def test_the_survey_page_names_the_municipalities_without_a_leader(page, vest, masfjorden):
    coordinator = member(vest, Role.COORDINATOR, email="kari@vest.example.no")
    gulen = Municipality.objects.get(number="4635")
    for municipality in (masfjorden, gulen):
        position_create(
            office=vest,
            acting_user=coordinator,
            municipality=municipality,
            list_ceiling=700,
            employment_form="fastlonn",
            scheme="ny",
        )
    member(vest, Role.MUNICIPAL_LEADER, masfjorden, email="leder@masfjorden.example.no")
    status_survey_send(office=vest, acting_user=coordinator, period="2026-11")
    log_in(page, coordinator.email, PASSWORD)
    page.goto("/vest/oversikt/status/")
    accessible(page)
    assert page.get_by_text("1 kommune har ikke fått skjemaet").is_visible()
    assert page.get_by_role("link", name="Last ned brev til dem (PDF)").is_visible()
    page.get_by_role("link", name="Registrer svaret Gulen").click()
    page.wait_for_url(re.compile(r"/oversikt/status/\d+/4635/$"))
    accessible(page)
