"""The office's flags on its municipalities and its contact log, on the dashboard too."""

from datetime import date, timedelta

from django.utils import timezone
from django_scopes import scope

from municipalities.models import ContactLogEntry, MunicipalityProfile
from municipalities.selectors import months_before
from municipalities.services import contact_log_add, profile_update


def test_coordinator_flags_recruitment_trouble_with_a_reason(client_for, coordinator_vest, vest):
    client = client_for(coordinator_vest)
    url = "/vest/kommuner/4634/profil/"
    missing_reason = client.post(url, {"recruitment_trouble": "on", "cooperation": "Nordhordland"})
    page = missing_reason.content.decode()
    assert "Skriv kort hvorfor" in page and 'value="Nordhordland"' in page
    with scope(office=vest):
        assert not MunicipalityProfile.objects.exists()
    saved = client.post(
        url,
        {
            "recruitment_trouble": "on",
            "recruitment_reason": "To ledige hjemler",
            "sami_area": "",
            "cooperation": "Nordhordland",
        },
    )
    assert saved.status_code == 302
    detail = client.get("/vest/kommuner/4634/").content.decode()
    assert "Rekrutteringsproblemer" in detail and "To ledige hjemler" in detail
    flagged = client.get("/vest/?problemer=1").content.decode()
    assert "1 kommune" in flagged and "Masfjorden" in flagged


def test_leader_neither_sees_nor_edits_the_offices_notes(
    client_for, leader_masfjorden, vest, coordinator_vest, masfjorden
):
    profile_update(
        office=vest,
        acting_user=coordinator_vest,
        municipality=masfjorden,
        recruitment_trouble=True,
        recruitment_reason="Intern merknad",
    )
    client = client_for(leader_masfjorden)
    assert "Intern merknad" not in client.get("/vest/kommuner/4634/").content.decode()
    assert client.get("/vest/kommuner/4634/profil/").status_code == 403
    assert client.get("/vest/kommuner/4634/kontakt/").status_code == 403


def test_contact_log_and_follow_ups_on_the_dashboard(
    client_for, coordinator_vest, vest, masfjorden
):
    client = client_for(coordinator_vest)
    today = timezone.localdate()
    bad = client.post(
        "/vest/kommuner/4634/kontakt/",
        {
            "date": today.isoformat(),
            "channel": "telefon",
            "people": "Liv Lunde",
            "notes": "Snakket om ny hjemmel",
            "follow_up_on": (today - timedelta(days=1)).isoformat(),
        },
    )
    assert "kan ikke være før kontakten" in bad.content.decode()
    assert 'value="Liv Lunde"' in bad.content.decode()
    ok = client.post(
        "/vest/kommuner/4634/kontakt/",
        {
            "date": today.isoformat(),
            "channel": "telefon",
            "people": "Liv Lunde",
            "notes": "Snakket om ny hjemmel",
            "follow_up_on": (today + timedelta(days=3)).isoformat(),
        },
    )
    assert ok.status_code == 302
    dashboard = client.get("/vest/").content.decode()
    assert "Oppfølging neste 7 dager" in dashboard
    assert "/vest/kommuner/4634/kontakt/" in dashboard
    with scope(office=vest):
        entry = ContactLogEntry.objects.get()
    client.post("/vest/kommuner/4634/kontakt/", {"done": entry.pk})
    assert "Ingen oppfølging forfaller" in client.get("/vest/").content.decode()


def test_municipalities_without_contact_for_six_months(
    client_for, coordinator_vest, vest, masfjorden
):
    today = timezone.localdate()
    contact_log_add(
        office=vest,
        acting_user=coordinator_vest,
        municipality=masfjorden,
        date=today - timedelta(days=30),
        channel="mote",
        people="x",
        notes="y",
    )
    bergen = masfjorden.__class__.objects.get(number="4601")
    contact_log_add(
        office=vest,
        acting_user=coordinator_vest,
        municipality=bergen,
        date=months_before(today, 7),
        channel="mote",
        people="x",
        notes="y",
    )
    page = client_for(coordinator_vest).get("/vest/?uten_kontakt=1").content.decode()
    assert "65 kommuner" in page  # 66 in Vest, only Masfjorden had contact lately
    assert "Bergen" in page and ">Masfjorden<" not in page


def test_months_before_uses_calendar_months():
    assert months_before(date(2026, 8, 31), 6) == date(2026, 2, 28)
    assert months_before(date(2028, 8, 29), 6) == date(2028, 2, 29)
    assert months_before(date(2026, 3, 15), 6) == date(2025, 9, 15)


def test_profile_and_log_follow_a_moved_municipality(vest, nord, coordinator_vest, masfjorden):
    from municipalities.services import municipalities_move

    profile_update(
        office=vest, acting_user=coordinator_vest, municipality=masfjorden, sami_area=True
    )
    contact_log_add(
        office=vest,
        acting_user=coordinator_vest,
        municipality=masfjorden,
        date=date(2026, 1, 5),
        channel="epost",
        people="x",
        notes="y",
    )
    municipalities_move(
        numbers=["4634"], to_office=nord, on=timezone.localdate() + timedelta(days=1)
    )
    with scope(office=nord):
        assert MunicipalityProfile.objects.get().sami_area
        assert ContactLogEntry.objects.count() == 1
