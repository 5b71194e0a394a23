"""Writes for the doctor's record: the application package (made in the background), correction
requests, and the retention purge that deletes a record after its legal period."""

from __future__ import annotations

import hashlib
import logging
from datetime import date, timedelta
from decimal import Decimal

import jsonschema
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import FileField, ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from accounts.language import speaking
from audit.models import ReadAccess
from confirmations.pki import office_signing_key
from confirmations.signing import sign_pdf
from goals.models import GoalProgress, GoalStatus
from offices import clock
from offices.models import Office
from offices.owned import ensure_same_office, office_owned_models, rows_of_trainee
from trainees.models import Trainee, TraineeStatus
from trainees.selectors import periods_for_trainee, service_summary

from . import notices
from .models import (
    ApplicationPackage,
    CorrectionRequest,
    CorrectionStatus,
    PackageStatus,
    RetentionStatistic,
)
from .rendering import json_bytes, package_pdf
from .selectors import package_schema, record_json, trainee_record

log = logging.getLogger(__name__)


# --- The application package -------------------------------------------------------------


# Each package is a signed PDF and its JSON (some hundred KB) kept in storage: a doctor keeps
# the newest three, and a new one may be asked for a minute after the last at the earliest.
KEEP_PACKAGES = 3  # the record page says "de tre nyeste"
PACKAGE_INTERVAL = timedelta(minutes=1)


def package_request(*, office, acting_user, trainee: Trainee) -> ApplicationPackage:
    """Queue a package for the doctor; the task starts when the transaction commits. One at a
    time: while one is being made, asking again returns that one. Within PACKAGE_INTERVAL of
    the last finished one: ValidationError, nothing queued (a failed one may be retried)."""
    from .tasks import build_package

    ensure_same_office(office, trainee, message=_("Legen hører ikke til dette kontoret."))
    with transaction.atomic():
        # The doctor's row locked: two quick clicks cannot both pass the checks below.
        Trainee.objects.select_for_update().filter(pk=trainee.pk).first()
        latest = ApplicationPackage.objects.filter(office=office, trainee=trainee).first()
        if latest is not None and not latest.is_finished:
            return latest
        if (
            latest is not None
            and latest.status == PackageStatus.DONE
            and latest.requested_at > clock.now() - PACKAGE_INTERVAL
        ):
            raise ValidationError(
                _(
                    "Du laget en søknadspakke for under ett minutt siden. Vent litt før du "
                    "lager en ny."
                )
            )
        package = ApplicationPackage.objects.create(
            office=office, trainee=trainee, requested_by=acting_user, step=_("I kø")
        )
        build_package.delay_on_commit(office.pk, package.pk)
    return package


def _step(package: ApplicationPackage, percent: int, step: str) -> None:
    package.progress, package.step = percent, step
    package.save(update_fields=["progress", "step"])


def _signed_bytes(document) -> bytes:
    """The stored PDF of a signed document, checked against the hash taken when it was
    issued: a file changed in storage must not travel inside a package."""
    with document.pdf.open("rb") as handle:
        data = handle.read()
    if hashlib.sha256(data).hexdigest() != document.sha256:
        raise ValueError(f"{document.serial}: lagret fil stemmer ikke med sjekksummen")
    return data


def package_build(*, package: ApplicationPackage) -> ApplicationPackage:
    """Gather the record, write the JSON (checked against the published schema), render the
    summary with every signed document attached unchanged, sign it with the office's key.
    Each step is saved on its own so the page can show progress while the worker runs."""
    if package.status != PackageStatus.QUEUED:
        return package  # a retried or duplicate task must not build it twice
    package.status = PackageStatus.RUNNING
    _step(package, 5, _("Samler opplysningene"))
    package.save(update_fields=["status"])
    try:
        record = trainee_record(package.office, package.trainee)
        data = record_json(record)
        jsonschema.validate(data, package_schema(), format_checker=jsonschema.FormatChecker())
        _step(package, 25, _("Henter tjenesteattester og bekreftelser"))
        documents = [(c, _signed_bytes(c)) for c in record.documents]
        _step(package, 45, _("Lager PDF-en"))
        # The doctor's own application: in the language the doctor chose.
        with speaking(package.trainee.user):
            pdf = package_pdf(record, data, documents)
        _step(package, 80, _("Signerer"))
        p12, password = office_signing_key(package.office)
        pdf = sign_pdf(
            pdf,
            p12=p12,
            password=password,
            signer_name=package.office.name,
            location=package.office.name,
            reason=_("Søknadspakke for godkjenning som spesialist i allmennmedisin"),
        )
    except Exception as error:
        log.exception("Søknadspakke %s kunne ikke lages", package.pk)
        package.status, package.error = PackageStatus.FAILED, str(error)[:2000]
        package.finished_at = timezone.now()
        package.save(update_fields=["status", "error", "finished_at"])
        raise
    stem = f"soknadspakke-{package.trainee.hpr_number}-{package.pk}"
    with transaction.atomic():
        package.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
        package.json.save(f"{stem}.json", ContentFile(json_bytes(data)), save=False)
        package.sha256 = hashlib.sha256(pdf).hexdigest()
        package.documents = [c.serial for c, _pdf in documents]
        package.status, package.progress, package.step = PackageStatus.DONE, 100, _("Ferdig")
        package.finished_at = timezone.now()
        package.save()
        _clear_old_packages(package)
    return package


def _clear_old_packages(package: ApplicationPackage) -> None:
    """Keep the files of the doctor's KEEP_PACKAGES newest finished packages; older ones lose
    their files (deleted once the transaction commits). Their rows stay, small, with the hash,
    so /verify/ still recognises a copy the doctor already sent to the Directorate."""
    finished = ApplicationPackage.objects.filter(
        office=package.office_id, trainee=package.trainee_id, status=PackageStatus.DONE
    ).exclude(pdf="")
    old = list(finished.order_by("-finished_at", "-pk")[KEEP_PACKAGES:])
    files = [f.name for p in old for f in (p.pdf, p.json) if f]
    ApplicationPackage.objects.filter(pk__in=[p.pk for p in old]).update(pdf="", json="")
    transaction.on_commit(lambda: [default_storage.delete(name) for name in files])


# --- Correction requests -----------------------------------------------------------------


@transaction.atomic
def correction_request_create(*, office, acting_user, trainee: Trainee, text: str):
    ensure_same_office(office, trainee, message=_("Legen hører ikke til dette kontoret."))
    if not text.strip():
        raise ValidationError({"text": _("Skriv hva som er feil, og hva som er riktig.")})
    request = CorrectionRequest(
        office=office, trainee=trainee, created_by=acting_user, text=text.strip()
    )
    request.full_clean()
    request.save()
    notices.correction_sent_notify(request)
    return request


@transaction.atomic
def correction_resolve(*, office, acting_user, correction: CorrectionRequest, response: str):
    ensure_same_office(office, correction)
    if correction.status != CorrectionStatus.OPEN:
        raise ValidationError(_("Anmodningen er allerede behandlet."))
    if not response.strip():
        raise ValidationError(
            {"response": _("Skriv et svar til legen: hva ble rettet, eller hvorfor ikke.")}
        )
    correction.status = CorrectionStatus.DONE
    correction.response = response.strip()
    correction.handled_by, correction.handled_at = acting_user, timezone.now()
    correction.save(update_fields=["status", "response", "handled_by", "handled_at"])
    notices.correction_answered_notify(correction)
    return correction


# --- Retention -----------------------------------------------------------------------------

LEFT_STATUSES = (TraineeStatus.COMPLETED, TraineeStatus.LEFT)


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without it
        return day.replace(year=day.year + years, day=28)


def left_programme_on(trainee: Trainee) -> date | None:
    """The day the doctor left the programme: the later of the day their status became
    completed/left (from the record's history) and the end of their last service period (the
    later one keeps the record longer, never shorter). None while they are still in it."""
    if trainee.status not in LEFT_STATUSES:
        return None
    changed = None
    for status, when in trainee.history.order_by("-history_date").values_list(
        "status", "history_date"
    ):
        if status not in LEFT_STATUSES:
            break
        changed = timezone.localdate(when)
    periods = list(periods_for_trainee(trainee))
    if any(p.end is None for p in periods):
        ends = [changed] if changed else []
    else:
        ends = [d for d in (changed, max((p.end for p in periods), default=None)) if d]
    return max(ends) if ends else None


def retention_ends(trainee: Trainee) -> date | None:
    left = left_programme_on(trainee)
    return add_years(left, settings.ALIS_RECORD_RETENTION_YEARS) if left else None


def _statistic_add(trainee: Trainee, left: date) -> None:
    summary = service_summary(periods_for_trainee(trainee), today=left)
    goals = GoalProgress.objects.filter(
        office=trainee.office_id, trainee=trainee, status=GoalStatus.APPROVED
    ).count()
    row, _created = RetentionStatistic.objects.get_or_create(
        office_id=trainee.office_id,
        year_left=left.year,
        scheme=trainee.scheme,
        outcome=trainee.status,
    )
    row.doctors += 1
    row.service_years += Decimal(summary.total_years)
    row.approved_goals += goals
    row.save(update_fields=["doctors", "service_years", "approved_goals"])


def _delete_some(model, ids: list[int]) -> list[int]:
    """Delete the rows; when some protect others of the same model (a newer confirmation
    protects the one it superseded), one at a time, newest first. Returns the ids left."""
    try:
        with transaction.atomic():
            model.objects.filter(pk__in=ids).delete()
        return []
    except (ProtectedError, RestrictedError, IntegrityError):
        pass
    left = []
    for pk in sorted(ids, reverse=True):
        try:
            with transaction.atomic():
                model.objects.filter(pk=pk).delete()
        except (ProtectedError, RestrictedError, IntegrityError):
            left.append(pk)
    return left


def _delete_rows(trainee: Trainee) -> list[str]:
    """Delete every row the registry says belongs to the doctor, and their change history.
    Rows protected by another of the doctor's rows (a confirmation superseded by a newer one,
    events of a confirmation) go in a later round. Returns the stored file names."""
    models = [m for m in office_owned_models() if m.trainee_path is not None]
    files: list[str] = []
    pending = {}
    for model in models:
        rows = rows_of_trainee(model, trainee)
        ids = list(rows.values_list("pk", flat=True))
        if not ids:
            continue
        pending[model] = ids
        file_fields = [f.name for f in model._meta.fields if isinstance(f, FileField)]
        for values in model.objects.filter(pk__in=ids).values(*file_fields) if file_fields else []:
            files += [name for name in values.values() if name]
    for _round in range(2 * len(pending) + 1):
        if not pending:
            break
        for model, ids in list(pending.items()):
            left = _delete_some(model, ids)
            if left:
                pending[model] = left
                continue
            history = getattr(model, "history", None)
            if history is not None:
                history.filter(id__in=ids).delete()
            del pending[model]
    if pending:
        raise RuntimeError(f"Kunne ikke slette: {', '.join(m.__name__ for m in pending)}")
    return files


def record_delete(trainee: Trainee, *, left: date) -> None:
    """Add the doctor to the anonymised statistics, then delete the whole record."""
    with transaction.atomic():
        _statistic_add(trainee, left)
        ReadAccess.objects.filter(office=trainee.office_id, trainee_id=trainee.pk).delete()
        files = _delete_rows(trainee)
        transaction.on_commit(lambda: [default_storage.delete(name) for name in files])


def records_purge(*, today: date | None = None) -> int:
    """Beat, every night: delete the records whose retention period has ended. Returns how
    many doctors were deleted."""
    today = today or clock.today()
    deleted = 0
    for office in Office.objects.order_by("pk"):
        with scope(office=office):
            for trainee in Trainee.objects.filter(office=office, status__in=LEFT_STATUSES):
                left = left_programme_on(trainee)
                if left is None or add_years(left, settings.ALIS_RECORD_RETENTION_YEARS) > today:
                    continue
                record_delete(trainee, left=left)
                deleted += 1
    return deleted
