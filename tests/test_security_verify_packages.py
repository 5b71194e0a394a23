"""Issue 22 (attack): the public verifier recognises the signed application package by the
hash stored when it was made, and refuses any copy that differs by one byte."""

import pytest
from django.core.cache import cache
from django.test import Client
from django_scopes import scope

from offices import clock
from offices.dates import short_date
from records.models import ApplicationPackage, PackageStatus

from .progress_helpers import make_doctor
from .test_security_verify import upload


@pytest.fixture(autouse=True)
def _signing(signing_settings):
    cache.clear()


def make_package(vest, masfjorden, user, capture) -> ApplicationPackage:
    make_doctor(vest, masfjorden, user=user)
    client = Client()
    client.force_login(user)
    with capture(execute=True):
        assert client.post("/vest/lege/mappe/soknadspakke/").status_code == 302
    with scope(office=vest):
        package = ApplicationPackage.objects.get(trainee__user=user)
    assert package.status == PackageStatus.DONE
    return package


def package_bytes(package) -> bytes:
    with package.pdf.open("rb") as handle:
        return handle.read()


def test_the_genuine_package_verifies_and_a_changed_copy_does_not(
    vest, masfjorden, alis_masfjorden, client, dev_pki, django_capture_on_commit_callbacks
):
    package = make_package(vest, masfjorden, alis_masfjorden, django_capture_on_commit_callbacks)
    data = package_bytes(package)
    page = upload(client, data)
    assert "nøyaktig det vi utstedte" in page
    made = short_date(clock.today())
    assert f"Søknadspakke for Anna Aase, laget {made}, signert av ALIS Vest." in page
    assert "Vi har ikke utstedt" not in page

    for where in (len(data) // 3, len(data) - 40):  # inside the body, and near the end
        changed = bytearray(data)
        changed[where] ^= 0x01
        page = upload(client, bytes(changed))
        assert "nøyaktig det vi utstedte" not in page and "Søknadspakke for" not in page
        assert any(
            refusal in page
            for refusal in ("Vi har ikke utstedt", "endret etter at det ble signert", "skadet")
        ), page
