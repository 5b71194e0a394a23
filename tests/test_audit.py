"""Issue 10, logs a data protection officer asks for: security events, the read-access log
(the doctor sees who looked; the office reviews and exports), and their retention."""

import csv
import io
from datetime import timedelta

from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from accounts.models import Membership, Role
from accounts.services import invitation_accept, invitation_create
from audit.models import ReadAccess, SecurityEvent
from audit.tasks import purge_old_logs

from .factories import PASSWORD
from .trainee_factories import make_trainee

Kind = SecurityEvent.Kind


def _kinds():
    return list(SecurityEvent.objects.order_by("at", "pk").values_list("kind", "email", "ip"))


def test_logins_failures_and_lockouts_are_logged_with_the_client_address(
    client, coordinator_vest, settings
):
    cache.clear()
    SecurityEvent.objects.all().delete()  # the fixture's role grant
    settings.ALIS_TRUSTED_PROXY_COUNT = 1
    forwarded = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    client.post("/konto/login/", {"login": coordinator_vest.email, "password": "feil"}, **forwarded)
    client.post(
        "/konto/login/", {"login": coordinator_vest.email, "password": PASSWORD}, **forwarded
    )
    assert _kinds() == [
        (Kind.LOGIN_FAILED, coordinator_vest.email, "198.51.100.7"),
        (Kind.LOGIN, coordinator_vest.email, "198.51.100.7"),
    ]
    SecurityEvent.objects.all().delete()
    attacker = Client()
    # allauth: 5 failed attempts per address typed (one was above), then locked.
    for _ in range(6):
        attacker.post(
            "/konto/login/", {"login": coordinator_vest.email, "password": "gjett"}, **forwarded
        )
    kinds = [kind for kind, _email, _ip in _kinds()]
    assert kinds == [Kind.LOGIN_FAILED] * 4 + [Kind.LOCKOUT] * 2


def test_role_grants_revocations_and_invitation_acceptance_are_logged(
    vest, coordinator_vest, masfjorden, alis_vadso
):
    invitation, _token = invitation_create(
        office=vest,
        acting_user=coordinator_vest,
        email=alis_vadso.email,
        role=Role.MUNICIPAL_LEADER,
        municipality=masfjorden,
    )
    SecurityEvent.objects.all().delete()
    membership = invitation_accept(invitation=invitation, acting_user=alis_vadso)
    events = list(SecurityEvent.objects.order_by("pk"))
    assert [(e.kind, e.user, e.office) for e in events] == [
        (Kind.ROLE_GRANTED, alis_vadso, vest),
        (Kind.INVITATION_ACCEPTED, alis_vadso, vest),
    ]
    assert events[0].detail == "leder (Masfjorden)"
    assert events[1].detail == f"leder invitert av {coordinator_vest.email}"
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    assert SecurityEvent.objects.latest("pk").kind == Kind.ROLE_REVOKED
    assert Membership.objects.filter(pk=membership.pk, is_active=False).exists()


def _doctor_with_account(vest, masfjorden, alis_masfjorden, leader):
    trainee = make_trainee(vest, masfjorden, acting_user=leader)
    trainee.user = alis_masfjorden
    with scope(office=vest):
        trainee.save(update_fields=["user"])
    return trainee


def test_reads_of_a_doctors_data_are_logged_and_the_doctor_sees_them(
    client_for, vest, masfjorden, leader_masfjorden, alis_masfjorden, coordinator_vest
):
    trainee = _doctor_with_account(vest, masfjorden, alis_masfjorden, leader_masfjorden)
    client = client_for(leader_masfjorden)
    assert client.get(f"/vest/leger/{trainee.pk}/").status_code == 200
    assert client.get(f"/vest/leger/{trainee.pk}/plan/").status_code == 200
    assert client.get(f"/vest/leger/{trainee.pk}/veiledningslogg/").status_code == 200
    with scopes_disabled():
        reads = list(ReadAccess.objects.order_by("pk"))
    assert [(r.what, r.reader, r.trainee_id, r.office) for r in reads] == [
        ("legeoppføring", leader_masfjorden, trainee.pk, vest),
        ("utdanningsplan", leader_masfjorden, trainee.pk, vest),
        ("veiledningslogg", leader_masfjorden, trainee.pk, vest),
    ]
    assert reads[0].reader_roles == "leder"

    doctor = client_for(alis_masfjorden)
    doctor.get("/vest/lege/")  # their own record: not logged
    page = doctor.get("/vest/lege/innsyn/")
    assert page.status_code == 200
    text = page.content.decode()
    assert text.count(leader_masfjorden.email) + text.count(str(leader_masfjorden)) >= 3
    assert "utdanningsplan" in text and "veiledningslogg" in text
    with scopes_disabled():
        assert ReadAccess.objects.count() == 3


def test_only_the_doctor_and_the_office_see_the_read_log(
    client_for, vest, masfjorden, leader_masfjorden, alis_masfjorden, coordinator_nord
):
    assert client_for(leader_masfjorden).get("/vest/innsynslogg/").status_code == 403
    assert client_for(leader_masfjorden).get("/vest/lege/innsyn/").status_code == 403
    assert client_for(coordinator_nord).get("/vest/innsynslogg/").status_code == 404


def test_coordinator_reviews_and_exports_the_read_log(
    client_for, vest, masfjorden, leader_masfjorden, alis_masfjorden, coordinator_vest
):
    trainee = _doctor_with_account(vest, masfjorden, alis_masfjorden, leader_masfjorden)
    client_for(leader_masfjorden).get(f"/vest/leger/{trainee.pk}/")
    client = client_for(coordinator_vest)
    page = client.get("/vest/innsynslogg/").content.decode()
    assert "Anna Aase" in page and str(leader_masfjorden) in page  # a name, not an address
    assert leader_masfjorden.email not in page and "Kommunal leder" in page
    SecurityEvent.objects.all().delete()
    export = client.get(f"/vest/innsynslogg/eksport.csv?lege={trainee.pk}")
    assert export["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:5] == ["Tidspunkt", "Lege", "Lege-id", "Hva", "Lest av"]
    assert rows[1][1:5] == ["Anna Aase", str(trainee.pk), "legeoppføring", leader_masfjorden.email]
    assert len(rows) == 2
    # The export of personal data is itself a security event.
    event = SecurityEvent.objects.get()
    assert (event.kind, event.user, event.office) == (Kind.EXPORT, coordinator_vest, vest)


def test_retention_deletes_old_rows_and_keeps_new_ones(
    vest, masfjorden, leader_masfjorden, alis_masfjorden, settings
):
    settings.ALIS_SECURITY_LOG_RETENTION_DAYS = 365
    settings.ALIS_READ_LOG_RETENTION_DAYS = 90
    SecurityEvent.objects.all().delete()  # the fixtures' role grants
    now = timezone.now()
    old_event = SecurityEvent.objects.create(kind=Kind.LOGIN, at=now - timedelta(days=366))
    new_event = SecurityEvent.objects.create(kind=Kind.LOGIN, at=now - timedelta(days=364))
    with scope(office=vest):
        common = {
            "office": vest,
            "reader_email": "x@example.no",
            "trainee_id": 1,
            "trainee_name": "Anna Aase",
            "what": "legeoppføring",
            "path": "/",
        }
        old_read = ReadAccess.objects.create(at=now - timedelta(days=91), **common)
        new_read = ReadAccess.objects.create(at=now - timedelta(days=89), **common)
    assert purge_old_logs.delay().get() == {"security_events": 1, "read_access": 1}
    assert list(SecurityEvent.objects.values_list("pk", flat=True)) == [new_event.pk]
    with scope(office=vest):
        assert list(ReadAccess.objects.values_list("pk", flat=True)) == [new_read.pk]
    assert not SecurityEvent.objects.filter(pk=old_event.pk).exists()
    assert old_read.pk != new_read.pk


def test_retention_task_is_scheduled_every_night(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["slett-gamle-logger"]
    assert entry["task"] == "audit.tasks.purge_old_logs"
    assert entry["schedule"].hour == {3}
