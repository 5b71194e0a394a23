"""What users found in events (shipped defects): the event form had no error summary, «Pris»
refused a decimal comma, and «Meld meg av» cancelled at once, without asking."""

from decimal import Decimal

from django.core import signing
from django_scopes import scope

from events import services
from events.models import Event, Signup, SignupStatus
from offices.permissions import Role

from .conftest import member
from .event_helpers import make_activity, make_event


def event_data(activity, **changes):
    data = {
        "activity": activity.pk,
        "title": "Grunnkurs A, Bergen",
        "starts_at": "2027-01-10T09:00",
        "ends_at": "2027-01-10T16:00",
        "capacity": "20",
        "signup_deadline": "2027-01-03T09:00",
        "cancel_deadline": "2027-01-05T09:00",
        "price": "2500",
        "payer": "kommune",
    }
    return {**data, **changes}


def test_event_form_lists_every_error_at_the_top_linked_to_its_field(
    vest, coordinator_vest, client_for
):
    activity = make_activity(vest)
    response = client_for(coordinator_vest).post(
        "/vest/arrangementer/ny/",
        event_data(activity, capacity="", signup_deadline="2027-01-11T09:00"),
    )
    html = response.content.decode()
    start = html.index('id="error-summary"')
    summary = html[start : html.index("</ul>", start)]
    assert "Skjemaet ble ikke lagret. Rett opp dette:" in summary
    assert '<a class="ds-link" href="#id_capacity">Antall plasser: Feltet er påkrevet.</a>' in (
        summary
    )
    assert (
        '<a class="ds-link" href="#id_signup_deadline">Påmeldingsfrist: Påmeldingsfristen må '
        "være før arrangementet starter.</a>"
    ) in summary
    # A form not yet sent has no summary.
    page = client_for(coordinator_vest).get("/vest/arrangementer/ny/").content.decode()
    assert 'id="error-summary"' not in page


def test_price_takes_a_decimal_comma_and_is_shown_back_the_same_way(
    vest, coordinator_vest, client_for
):
    activity = make_activity(vest)
    client = client_for(coordinator_vest)
    response = client.post("/vest/arrangementer/ny/", event_data(activity, price="250,50"))
    assert response.status_code == 302
    with scope(office=vest):
        event = Event.objects.get(office=vest, title="Grunnkurs A, Bergen")
    assert event.price == Decimal("250.50")
    page = client.get(f"/vest/arrangementer/{event.pk}/endre/").content.decode()
    assert 'value="250,50"' in page
    assert "250,50 kr" in client.get(f"/vest/arrangementer/{event.pk}/").content.decode()

    # A thousand with a space, and what is not a price, as a Norwegian writes it.
    client.post(f"/vest/arrangementer/{event.pk}/endre/", event_data(activity, price="1 250,00"))
    event.refresh_from_db()
    assert event.price == Decimal("1250.00")
    response = client.post(
        f"/vest/arrangementer/{event.pk}/endre/", event_data(activity, price="gratis")
    )
    assert "Skriv beløpet med tall, for eksempel 12 345,50." in response.content.decode()


def test_a_free_event_with_a_price_is_refused_on_the_price_and_keeps_what_was_typed(
    vest, coordinator_vest, client_for
):
    """Cold-user finding (issue 14): «Pris 2 500» with «Hvem betaler: Gratis» was saved."""
    activity = make_activity(vest)
    client = client_for(coordinator_vest)
    response = client.post(
        "/vest/arrangementer/ny/", event_data(activity, price="2 500", payer="gratis")
    )
    assert response.status_code == 200
    html = response.content.decode()
    message = "Et gratis arrangement har ingen pris. Fjern prisen, eller velg hvem som betaler."
    summary = html[html.index('id="error-summary"') :]
    assert '<a class="ds-link" href="#id_price">' in summary and message in summary
    assert html.count(message) == 2  # in the summary and by the field
    assert 'value="2 500"' in html and 'value="Grunnkurs A, Bergen"' in html
    with scope(office=vest):
        assert not Event.objects.filter(office=vest).exists()
    # Free at 0 kr is fine.
    response = client.post(
        "/vest/arrangementer/ny/", event_data(activity, price="0", payer="gratis")
    )
    assert response.status_code == 302


def status_of(signup):
    with scope(office=signup.office):
        return Signup.objects.get(pk=signup.pk).status


def test_meld_meg_av_asks_first_and_only_the_answer_cancels(vest, alis_masfjorden, client_for):
    event = make_event(vest, capacity=1)
    signup = services.signup_create(
        office=vest, acting_user=alis_masfjorden, event=event, user=alis_masfjorden
    )
    client = client_for(alis_masfjorden)
    url = f"/vest/arrangementer/pameldinger/{signup.pk}/meld-av/"
    detail = client.get(f"/vest/arrangementer/{event.pk}/").content.decode()
    assert f'href="{url}">Meld meg av</a>' in detail

    page = " ".join(client.get(url).content.decode().split())
    assert "Vil du melde deg av Grunnkurs A?" in page
    assert "10.12.2026 09:00–16:00" in page
    assert "Plassen går videre til den første på ventelisten." in page
    assert "Ja, meld meg av" in page and "Nei, tilbake til arrangementet" in page
    assert status_of(signup) == SignupStatus.CONFIRMED  # asking changes nothing

    # A POST without the answer (an old page, a double click) only asks again.
    response = client.post(url)
    assert response.status_code == 200 and "Vil du melde deg av Grunnkurs A?" in (
        response.content.decode()
    )
    assert status_of(signup) == SignupStatus.CONFIRMED

    response = client.post(url, {"bekreft": "ja"}, follow=True)
    assert "Du er meldt av." in response.content.decode()
    assert status_of(signup) == SignupStatus.CANCELLED


def test_someone_else_cannot_open_the_question(vest, masfjorden, alis_masfjorden, client_for):
    event = make_event(vest)
    signup = services.signup_create(
        office=vest, acting_user=alis_masfjorden, event=event, user=alis_masfjorden
    )
    other = member(vest, Role.ALIS, masfjorden, email="annen@example.no")
    url = f"/vest/arrangementer/pameldinger/{signup.pk}/meld-av/"
    assert client_for(other).get(url).status_code == 404
    assert client_for(other).post(url, {"bekreft": "ja"}).status_code == 404
    assert status_of(signup) == SignupStatus.CONFIRMED


def test_public_sign_up_asks_before_it_cancels(vest, client):
    event = make_event(vest, is_public=True)
    signup = services.signup_public(
        office=vest, event=event, name="Pia Privat", email="pia@example.no"
    )
    token = services.manage_token(services.signup_verify(token=_verify_token(signup)))
    url = f"/arrangementer/min/{token}/"
    page = client.post(url, {"action": "cancel"}).content.decode()
    assert "Vil du melde deg av Grunnkurs A?" in page and "Ja, meld meg av" in page
    assert status_of(signup) == SignupStatus.CONFIRMED
    response = client.post(url, {"action": "cancel", "bekreft": "ja"}, follow=True)
    assert "Du er meldt av." in response.content.decode()
    assert status_of(signup) == SignupStatus.CANCELLED


def _verify_token(signup):
    return signing.dumps(signup.pk, salt=services.VERIFY_SALT)
