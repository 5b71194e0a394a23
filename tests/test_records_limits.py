"""Issue 22 (attack): a doctor learns nothing about other doctors' documents from status codes,
keeps at most three application packages and cannot build them back to back, and a doctor
without a record yet gets the clear page instead of 404."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.test import Client
from django_scopes import scope

from offices import clock
from offices.permissions import Role
from records.models import ApplicationPackage, PackageStatus

from . import test_confirmations as confirmations_tests
from .conftest import member
from .progress_helpers import make_doctor
from .test_security_verify import upload

doctor = confirmations_tests.doctor
issue = confirmations_tests.issue


@pytest.fixture(autouse=True)
def _signing(signing_settings):
    cache.clear()


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_another_doctor_cannot_tell_a_confirmation_exists(
    issue, vest, masfjorden, alis_masfjorden, leader_masfjorden
):
    c = issue(2)
    other_user = member(vest, Role.ALIS, masfjorden, email="bjorn@example.no")
    make_doctor(vest, masfjorden, user=other_user, hpr_number="007654321", first_name="Bjørn")
    other = logged_in(other_user)
    assert other.get(f"/vest/bekreftelser/{c.pk}/status/").status_code == 404
    assert other.get("/vest/bekreftelser/999999/status/").status_code == 404
    # A doctor with a role but no record yet: the same.
    newcomer = member(vest, Role.ALIS, masfjorden, email="ny@example.no")
    assert logged_in(newcomer).get(f"/vest/bekreftelser/{c.pk}/status/").status_code == 404
    # Its subject and the leader still see it.
    assert logged_in(alis_masfjorden).get(f"/vest/bekreftelser/{c.pk}/status/").status_code == 200
    assert logged_in(leader_masfjorden).get(f"/vest/bekreftelser/{c.pk}/status/").status_code == 200


def test_a_doctor_without_a_record_gets_the_clear_page(vest, masfjorden):
    newcomer = member(vest, Role.ALIS, masfjorden, email="ny@example.no")
    response = logged_in(newcomer).get("/vest/lege/mappe/")
    assert response.status_code == 200
    assert "Kommunen har ikke registrert deg som ALIS-lege ennå" in response.content.decode()


def _build(client, capture):
    with capture(execute=True):
        return client.post("/vest/lege/mappe/soknadspakke/")


def test_three_packages_are_kept_and_builds_wait_a_minute(
    vest, masfjorden, alis_masfjorden, dev_pki, django_capture_on_commit_callbacks
):
    trainee = make_doctor(vest, masfjorden, user=alis_masfjorden)
    client = logged_in(alis_masfjorden)
    start = clock.now()
    _build(client, django_capture_on_commit_callbacks)
    # Again 30 seconds later: refused with a clear message, nothing queued.
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        response = _build(client, django_capture_on_commit_callbacks)
        assert response.status_code == 302
        said = [str(m) for m in get_messages(response.wsgi_request)]
        assert said[-1] == (
            "Du laget en søknadspakke for under ett minutt siden. Vent litt før du lager en ny."
        )
    with scope(office=vest):
        assert ApplicationPackage.objects.filter(trainee=trainee).count() == 1
        first = ApplicationPackage.objects.get(trainee=trainee)
    with default_storage.open(first.pdf.name) as handle:
        first_pdf = handle.read()
    # Three more, two minutes apart: the first one's files go, the newest three stay.
    for n in (1, 2, 3):
        with time_machine.travel(start + timedelta(minutes=2 * n), tick=False):
            assert _build(client, django_capture_on_commit_callbacks).status_code == 302
    with scope(office=vest):
        packages = list(ApplicationPackage.objects.filter(trainee=trainee).order_by("pk"))
    assert [p.status for p in packages] == [PackageStatus.DONE] * 4
    assert [bool(p.pdf) for p in packages] == [False, True, True, True]
    assert [bool(p.json) for p in packages] == [False, True, True, True]
    assert not default_storage.exists(first.pdf.name)
    assert not default_storage.exists(first.json.name)
    assert client.get(f"/vest/lege/mappe/soknadspakke/{first.pk}.pdf").status_code == 404
    page = client.get("/vest/lege/mappe/").content.decode()
    assert page.count("Last ned PDF (signert)") == 3
    assert "Vi tar vare på de tre nyeste søknadspakkene" in page
    # A package sent off before it was cleared away still verifies as ours.
    assert "nøyaktig det vi utstedte" in upload(Client(), first_pdf)
