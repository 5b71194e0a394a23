"""Writes to the two logs. Both are append-only; only the retention task deletes."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_scopes import scope

from accounts.network import client_ip
from offices.models import Office

from .models import ReadAccess, SecurityEvent


def _ip(request) -> str | None:
    return client_ip(request) if request is not None and hasattr(request, "META") else None


def log_event(
    *, kind: str, request=None, user=None, email: str = "", office=None, detail: str = ""
) -> SecurityEvent:
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    return SecurityEvent.objects.create(
        kind=kind,
        user=user,
        email=(email or getattr(user, "email", "") or "")[:254],
        ip=_ip(request),
        office=office if office is not None else getattr(request, "office", None),
        detail=detail[:300],
    )


def log_export(request, what: str, *, subject=None) -> SecurityEvent | None:
    """Record that the requesting user downloaded a file of personal data (who, when, from
    where, what): the one call every export view makes before it returns the file.

    `subject`: the doctor whose data it is, when it is one doctor's. The doctor downloading
    their own data is not logged (as in `log_read`: the log answers "who else").
    """
    user = request.user
    subject_user_id = getattr(subject, "user_id", None)
    if subject_user_id is not None and subject_user_id == user.pk:
        return None
    return log_event(kind=SecurityEvent.Kind.EXPORT, request=request, user=user, detail=what)


def log_read(request, trainee, what: str) -> None:
    """Record that the requesting user opened `what` of `trainee`'s personal data.

    One line in each view that shows a doctor's record, plan, log or confirmation. The doctor
    reading their own data is not logged: the log answers "who else has looked".
    """
    user = request.user
    if trainee.user_id is not None and trainee.user_id == user.pk:
        return
    access = getattr(request, "access", None)
    roles = ", ".join(sorted(access.roles)) if access is not None else ""
    with scope(office=trainee.office):
        ReadAccess.objects.create(
            office_id=trainee.office_id,
            reader=user,
            reader_email=user.email,
            reader_roles=roles[:200],
            trainee_id=trainee.pk,
            trainee_name=f"{trainee.first_name} {trainee.last_name}"[:250],
            subject_id=trainee.user_id,
            what=what[:100],
            path=request.get_full_path()[:500],
            ip=_ip(request),
        )


def logs_purge(*, now=None) -> tuple[int, int]:
    """Delete rows older than the retention periods. Returns (security events, reads)."""
    now = now or timezone.now()
    events_before = now - timedelta(days=settings.ALIS_SECURITY_LOG_RETENTION_DAYS)
    reads_before = now - timedelta(days=settings.ALIS_READ_LOG_RETENTION_DAYS)
    events, _ = SecurityEvent.objects.filter(at__lt=events_before).delete()
    reads = 0
    for office in Office.objects.all():
        with scope(office=office):
            deleted, _ = ReadAccess.objects.filter(office=office, at__lt=reads_before).delete()
            reads += deleted
    return events, reads
