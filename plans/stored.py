"""Stored standings: each doctor's answer from the rules engine, kept until an input changes.

The reports count doctors at risk, doctors on track with supervision and projected completions
per year for a whole region or the whole country. Running the engine for every doctor each time
costs seconds per thousand doctors; the engine's answer only changes when one of its inputs does
(or the day does). So the answer is stored per doctor (`StoredStanding`), and:

* **every change to an input marks it stale** in the same transaction (`invalidate`, wired to
  the input models' save, delete and many-to-many signals in `connect`): the doctor, service
  periods, individual supervision, group meetings and their attendance, courses, plan versions
  and their arenas; a rule set's change marks every row (`invalidate_all`);
* **a refresh** (`refresh`) computes standings with `plans.standing.standings` (the one answer
  every page shows) and writes them only where the row's `version` is still the one read
  before the inputs were read: an answer that may be older than the data is never stored as
  fresh, whatever the order in which a change and a refresh commit;
* the nightly task (`plans.tasks.refresh_standings`) refreshes every doctor in training for the
  new day; a report refreshes what is not fresh for its day before counting
  (`fresh_for_report`), so the counts are always the engine's answer on that day.

The reports then count stored rows with aggregate queries (`reports.selectors`), a fixed number
of queries whatever the number of doctors.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db import connection, transaction
from django.db.models import Case, Count, F, Q, Value, When
from django.db.models.functions import ExtractYear
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.utils import timezone
from django_scopes import scopes_disabled

from trainees.models import (
    CourseRecord,
    GroupMeeting,
    ServicePeriod,
    SupervisionSession,
    Trainee,
)

from .models import IndividualPlan, PlannedArena, PlanVersion, RuleSet, StoredStanding

BATCH = 500


def invalidate(trainee_ids) -> None:
    """Mark the stored standing of these doctors stale (ids, or a queryset of ids), and have
    the worker compute it again once the change is committed (`plans.tasks.refresh_changed`),
    so the next report finds it fresh."""
    with scopes_disabled():
        ids = sorted(set(trainee_ids))
        marked = StoredStanding.objects.filter(trainee_id__in=ids).update(
            stale=True, version=F("version") + 1
        )
    if marked:
        from .tasks import refresh_changed

        transaction.on_commit(lambda: refresh_changed.delay(ids))


def invalidate_all() -> None:
    """A rule set changed: every stored standing may be wrong; the worker computes them all
    again once the change is committed."""
    with scopes_disabled():
        marked = StoredStanding.objects.update(stale=True, version=F("version") + 1)
    if marked:
        from .tasks import refresh_standings

        transaction.on_commit(refresh_standings.delay)


def _placeholders(doctors) -> None:
    """A row for each doctor (objects or a queryset) that has none, before anything of theirs is
    read: from then on a change raises its version, so a write can tell."""
    with scopes_disabled():
        StoredStanding.objects.bulk_create(
            [StoredStanding(office_id=t.office_id, trainee_id=t.pk) for t in doctors],
            ignore_conflicts=True,
        )


def _versions(ids) -> dict[int, int]:
    with scopes_disabled():
        return dict(
            StoredStanding.objects.filter(trainee_id__in=ids).values_list("trainee_id", "version")
        )


def _store(current: dict, seen: dict[int, int], on: date) -> int:
    """Write the standings `current` (doctor id -> Standing) where the row's version is still
    the one in `seen`; returns how many were written."""
    written = 0
    ids = list(current)
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        now = timezone.now()
        with transaction.atomic(), scopes_disabled():
            rows = list(
                StoredStanding.objects.select_for_update()
                .filter(trainee_id__in=batch)
                .order_by("pk")
            )
            changed = []
            for row in rows:
                if row.version != seen.get(row.trainee_id):
                    continue  # an input changed after its inputs were read
                s = current[row.trainee_id]
                row.office_id = s.trainee.office_id
                row.on = on
                row.stale = False
                row.computed_at = now
                row.status = s.status.value
                row.at_risk = s.at_risk
                row.supervision_compliant = _compliant(s)
                row.projected_completion = s.projected_completion
                changed.append(row)
            StoredStanding.objects.bulk_update(changed, FIELDS, batch_size=BATCH)
        written += len(changed)
    return written


FIELDS = [
    "office",
    "on",
    "stale",
    "computed_at",
    "status",
    "at_risk",
    "supervision_compliant",
    "projected_completion",
]


def _compliant(s) -> bool:
    """On track with individual supervision: known (the doctor has a rule set) and not
    behind (`Standing.supervision_behind`, the one definition)."""
    return s.compliance is not None and not s.supervision_behind


def refresh(trainees, on: date) -> int:
    """Compute and store the standing on `on` of each doctor in `trainees` (doctor objects),
    in batches; returns how many rows were written fresh. Rows whose inputs changed while
    this ran are left stale (the next refresh or report computes them again)."""
    from .standing import standings

    trainees = list(trainees)
    written = 0
    for start in range(0, len(trainees), BATCH):
        batch = trainees[start : start + BATCH]
        _placeholders(batch)
        seen = _versions([t.pk for t in batch])
        with scopes_disabled():  # the given doctors' own inputs, whichever office holds them
            current = standings(batch, on)
        written += _store(current, seen, on)
    return written


@dataclass
class Counts:
    """What the reports count from the standings of an office's doctors."""

    at_risk: int = 0
    compliant: int = 0
    completions: Counter = field(default_factory=Counter)

    def add(self, at_risk: bool, compliant: bool, day: date | None, on: date, n: int = 1):
        self.at_risk += n if at_risk else 0
        self.compliant += n if compliant else 0
        # A completion already past (or earlier this year) counts in the current year.
        self.completions[str(max(day.year, on.year)) if day else "ukjent"] += n


def counts_by_office(doctors, on: date, *, store: bool) -> dict[int, Counts]:
    """The standing counts of `doctors` (a queryset of doctors, in scope) on `on`, by office id.

    One aggregate query counts the fresh stored rows, and how many doctors have none. When
    every doctor has one (the day after the nightly refresh, with changes refreshed as they
    happen), that is all. Otherwise the doctors without one are computed by the engine in one
    batch and, when `store`, stored for the next time; those reads run in one snapshot of the
    database (REPEATABLE READ on PostgreSQL, when no transaction is open yet), so no doctor is
    counted twice or missed while others edit."""
    result, stale = _stored_counts(doctors, on)
    if not stale:
        return result
    from .standing import standings

    if store:  # rows first: a change from now on raises their version (see `_store`)
        _placeholders(doctors.filter(stored_standing__isnull=True).only("pk", "office_id"))
    with transaction.atomic():
        if connection.vendor == "postgresql" and _outermost():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        result, _stale = _stored_counts(doctors, on)
        missing = list(doctors.exclude(_fresh(on)).order_by("pk"))
        seen = _versions([t.pk for t in missing]) if store and missing else {}
        current = standings(missing, on) if missing else {}
    for s in current.values():
        result.setdefault(s.trainee.office_id, Counts()).add(
            s.at_risk, _compliant(s), s.projected_completion, on
        )
    if store and current:
        _store(current, seen, on)
    return result


def _fresh(on: date) -> Q:
    return Q(stored_standing__on=on, stored_standing__stale=False)


def _stored_counts(doctors, on: date) -> tuple[dict[int, Counts], int]:
    """(the counts of the doctors' fresh stored answers by office, how many doctors have no
    fresh answer), in one aggregate query."""
    result: dict[int, Counts] = {}
    stale = 0
    rows = (
        doctors.order_by()
        .annotate(
            fresh=Case(When(_fresh(on), then=Value(True)), default=Value(False)),
        )
        .values(
            "office_id",
            "fresh",
            "stored_standing__at_risk",
            "stored_standing__supervision_compliant",
            year=ExtractYear("stored_standing__projected_completion"),
        )
        .annotate(n=Count("pk"))
    )
    for row in rows:
        if not row["fresh"]:
            stale += row["n"]
            continue
        year = row["year"]
        result.setdefault(row["office_id"], Counts()).add(
            row["stored_standing__at_risk"],
            row["stored_standing__supervision_compliant"],
            date(year, 1, 1) if year else None,
            on,
            row["n"],
        )
    return result, stale


def _outermost() -> bool:
    """This atomic block is the outermost one and has run no query yet."""
    return len(connection.savepoint_ids) == 0 and not connection.needs_rollback


# --- Wiring: every input of the standing marks its doctor stale -------------------------------


def _doctor_row(sender, instance, **kwargs):
    invalidate([instance.pk])


def _own_row(sender, instance, **kwargs):
    invalidate([instance.trainee_id])


def _meeting(sender, instance, **kwargs):
    if kwargs.get("created"):
        return  # a new meeting has no attendees yet; adding them is an m2m change
    invalidate(
        GroupMeeting.attendees.through.objects.filter(groupmeeting_id=instance.pk).values_list(
            "trainee_id", flat=True
        )
    )


def _attendance(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear", "post_clear"):
        return
    if reverse:  # trainee.group_meetings.add(...): the doctor is the instance
        invalidate([instance.pk])
    elif action == "pre_clear":
        invalidate(
            GroupMeeting.attendees.through.objects.filter(groupmeeting_id=instance.pk).values_list(
                "trainee_id", flat=True
            )
        )
    elif pk_set:
        invalidate(list(pk_set))


def _plan_version(sender, instance, **kwargs):
    with scopes_disabled():  # the row's own doctor, whatever scope the service runs in
        plan = IndividualPlan.objects.filter(pk=instance.plan_id)
        invalidate(plan.values_list("trainee_id", flat=True))


def _arena(sender, instance, **kwargs):
    with scopes_disabled():
        version = PlanVersion.objects.filter(pk=instance.version_id)
        invalidate(version.values_list("plan__trainee_id", flat=True))


def _rule_set(sender, instance, **kwargs):
    invalidate_all()


def connect() -> None:
    """Wire the input models' signals (plans' AppConfig.ready). Rows that hang on another row
    (attendance on a meeting, a plan version's doctor) are found before they are deleted."""
    for signal in (post_save, post_delete):
        signal.connect(_doctor_row, sender=Trainee, dispatch_uid="stored-doctor")
        for model in (ServicePeriod, SupervisionSession, CourseRecord):
            signal.connect(_own_row, sender=model, dispatch_uid=f"stored-{model.__name__}")
    for signal in (post_save, pre_delete):
        signal.connect(_meeting, sender=GroupMeeting, dispatch_uid="stored-meeting")
        signal.connect(_plan_version, sender=PlanVersion, dispatch_uid="stored-version")
        signal.connect(_arena, sender=PlannedArena, dispatch_uid="stored-arena")
    for signal in (post_save, post_delete):
        signal.connect(_rule_set, sender=RuleSet, dispatch_uid="stored-ruleset")
    m2m_changed.connect(
        _attendance, sender=GroupMeeting.attendees.through, dispatch_uid="stored-attendance"
    )
