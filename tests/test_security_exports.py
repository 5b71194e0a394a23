"""Issue 10, logs a data protection officer asks for: every download of personal data is a
security event (who, when, from where, what), written by one helper, `audit.services.log_export`."""

import ast
from pathlib import Path

from django.test import Client
from django_scopes import scope

from audit.models import SecurityEvent

from .agreement_helpers import make_agreement, make_trainee
from .test_layers import APPS
from .test_tenancy import _issued_confirmation

ROOT = Path(__file__).resolve().parent.parent
DOWNLOAD_MARKERS = ("Content-Disposition", "FileResponse(", "as_attachment")

# Functions that send a file but no personal data, and why.
NOT_PERSONAL = {
    "municipalities/views.py:agreement_document": "a cooperation agreement between organisations",
    "hospital/views.py:agreement_document": "an agreement between the office and a health trust",
    "events/views.py:event_calendar": "an event's time and place (.ics), the same for everyone",
    "events/views.py:public_calendar": "the event the visitor signed up for, to themself",
    "national/views.py:_pdf_response": "a shared routine of the offices (no personal data)",
}


def _download_functions():
    """(file:function, source) of every function in the apps that builds a file download."""
    for app in sorted(APPS):
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            text = path.read_text()
            if not any(marker in text for marker in DOWNLOAD_MARKERS):
                continue
            for node in ast.walk(ast.parse(text)):
                if isinstance(node, ast.FunctionDef):
                    source = ast.get_source_segment(text, node) or ""
                    if any(marker in source for marker in DOWNLOAD_MARKERS):
                        yield f"{path.relative_to(ROOT)}:{node.name}", source


def test_every_download_of_personal_data_goes_through_the_one_helper():
    found = dict(_download_functions())
    assert len(found) >= 8, sorted(found)
    unlogged = [
        name
        for name, source in found.items()
        if "log_export(" not in source and name not in NOT_PERSONAL
    ]
    assert unlogged == [], "Nedlasting uten log_export: " + ", ".join(unlogged)
    assert set(NOT_PERSONAL) <= set(found), "NOT_PERSONAL names a function that is gone"


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def exports():
    return list(SecurityEvent.objects.filter(kind=SecurityEvent.Kind.EXPORT))


def test_the_positions_overview_export_is_logged_with_who_and_from_where(db, coordinator_vest):
    response = logged_in(coordinator_vest).get(
        "/vest/oversikt/eksport.csv", REMOTE_ADDR="192.0.2.44"
    )
    assert response.status_code == 200
    [event] = exports()
    assert event.user == coordinator_vest and event.email == coordinator_vest.email
    assert event.ip == "192.0.2.44" and event.office.slug == "vest"
    assert event.detail.startswith("alis-stillinger-vest-") and event.detail.endswith(".csv")


def test_a_confirmation_downloaded_by_the_office_is_logged_not_by_the_doctor_themself(
    vest, masfjorden, coordinator_vest, alis_masfjorden
):
    confirmation = _issued_confirmation(vest, coordinator_vest, masfjorden)
    url = f"/vest/bekreftelser/{confirmation.serial}.pdf"
    assert logged_in(coordinator_vest).get(url).status_code == 200
    [event] = exports()
    assert event.user == coordinator_vest
    assert event.detail == f"bekreftelse {confirmation.serial}"
    with scope(office=vest):
        trainee = confirmation.trainee
        trainee.user = alis_masfjorden
        trainee.save(update_fields=["user"])
    assert logged_in(alis_masfjorden).get(url).status_code == 200
    assert len(exports()) == 1


def test_an_agreement_pdf_and_the_read_log_export_are_logged(vest, masfjorden, coordinator_vest):
    agreement = make_agreement(make_trainee(vest, masfjorden, hpr="7654322"))
    client = logged_in(coordinator_vest)
    assert client.get(f"/vest/avtaler/{agreement.pk}/pdf/").status_code == 200
    assert client.get("/vest/innsynslogg/eksport.csv").status_code == 200
    details = sorted(e.detail for e in exports())
    assert details == [f"ALIS-avtale {agreement.pk} (PDF)", "innsynslogg.csv"]


def test_a_refused_download_is_not_logged(db, leader_masfjorden):
    assert logged_in(leader_masfjorden).get("/vest/oversikt/eksport.csv").status_code == 403
    assert exports() == []
