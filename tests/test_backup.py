"""Backup → empty installation → restore, on real PostgreSQL (pg_dump / pg_restore).

The doctor's pages render the same after the restore, and the signed confirmation still
verifies, on /verify/ and by its signature. The restore goes into a separate, empty database
(created here from template0, dropped afterwards) with an emptied file storage.
"""

import re
from contextlib import contextmanager

import psycopg
import pytest
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection
from django_scopes import scope

from confirmations.models import Confirmation, Status
from confirmations.pki import trust_root_path
from confirmations.signing import check_pdf
from offices.backup import storage_files
from trainees.models import SupervisorRole

from .progress_helpers import (
    approve_goal,
    first_goals,
    link_supervisor,
    make_doctor,
    supervisor_user,
)
from .test_goal_signoff import leader_access


@pytest.fixture
def signing(settings, signing_settings):
    pki = signing_settings
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    cache.clear()
    return pki


def _admin(sql: str) -> None:
    params = {k: v for k, v in connection.get_connection_params().items() if k != "dbname"}
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(sql)


@contextmanager
def empty_database():
    """Point the default connection at a new, empty database; back and drop it afterwards."""
    original = connection.settings_dict["NAME"]
    name = f"{original}_gjenoppretting"
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{name}" TEMPLATE template0')
    connection.close()
    connection.settings_dict["NAME"] = name
    try:
        yield name
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    # A fresh CSRF token is masked differently on every render; everything else must match.
    return re.sub(
        r'(name="csrfmiddlewaretoken" value|data-csrf)="[^"]+"', "", response.content.decode()
    )


def test_backup_then_restore_into_an_empty_installation(
    transactional_db,  # pg_dump sees committed rows only; conftest re-seeds reference data
    signing,
    tmp_path,
    vest,
    masfjorden,
    alis_masfjorden,
    veileder_masfjorden,
    leader_masfjorden,
    client,
):
    from goals.sample_catalogue import load_sample_catalogue

    load_sample_catalogue()
    doctor = make_doctor(vest, masfjorden, user=alis_masfjorden)
    supervisor = supervisor_user(vest, masfjorden)
    link_supervisor(doctor, veileder_masfjorden)
    link_supervisor(doctor, supervisor, SupervisorRole.SUPERVISOR, name="Sofie Sup")
    goals = first_goals(2)
    for goal in goals:
        access = leader_access(vest, leader_masfjorden)
        approve_goal(doctor, goal, veileder_masfjorden, supervisor, leader_masfjorden, access)
    client.force_login(leader_masfjorden)
    issued = client.post(f"/vest/leger/{doctor.pk}/bekreftelser/", follow=True)
    assert "Bekreftelsen lages nå." in issued.content.decode()  # the message is shown, once
    with scope(office=vest):
        confirmation = Confirmation.objects.get(trainee=doctor)
    assert confirmation.status == Status.ISSUED
    pdf_url = f"/vest/bekreftelser/{confirmation.serial}.pdf"

    client.force_login(alis_masfjorden)
    doctor_pages = ["/vest/framdrift/", "/vest/framdrift/bekreftelser/", "/vest/lege/"]
    goal_pages = [f"/vest/framdrift/maal/{g.pk}/" for g in goals]
    before = {url: _page(client, url) for url in doctor_pages + goal_pages}
    assert goals[0].code in before["/vest/framdrift/"]
    assert confirmation.serial in before["/vest/framdrift/bekreftelser/"]
    pdf_before = b"".join(client.get(pdf_url).streaming_content)
    assert [f"bekreftelser/2026/{confirmation.serial}.pdf"] == storage_files()

    archive = tmp_path / "alis.tar"
    call_command("backup", str(archive))
    assert archive.stat().st_size > 10_000

    # This installation still has its data: restore refuses to merge into it.
    with pytest.raises(CommandError, match="tom installasjon"):
        call_command("restore", str(archive))

    with empty_database():
        for name in storage_files():
            default_storage.delete(name)
        assert connection.introspection.table_names() == [] and storage_files() == []

        call_command("restore", str(archive))

        client.force_login(alis_masfjorden)  # the user and the office are back
        after = {url: _page(client, url) for url in before}
        for url in before:
            assert after[url] == before[url], url
        pdf_after = b"".join(client.get(pdf_url).streaming_content)
        assert pdf_after == pdf_before
        signature = check_pdf(pdf_after, trust_root_path())
        assert (
            signature.ok
            and signature.trusted
            and "ALIS Vest" in signature.signer
            and signature.signer_office == "vest"
        )

        anonymous = client.__class__()
        result = anonymous.post("/verify/", {"document": _upload(pdf_after)}).content.decode()
        assert "Dokumentet er nøyaktig det vi utstedte, og signaturen er intakt." in result
        assert anonymous.get(f"/verify/{confirmation.code}").status_code == 200


def _upload(data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("bekreftelse.pdf", data, content_type="application/pdf")
