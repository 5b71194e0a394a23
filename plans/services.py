"""Writes to the learning-goal catalogue."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from accounts.models import User
from offices.owned import ensure_same_office

from .models import (
    Catalogue,
    IndividualPlan,
    LearningGoal,
    PlannedArena,
    PlannedCourse,
    PlanVersion,
)


@transaction.atomic
def catalogue_create(
    *,
    acting_user: User | None,
    kind: str,
    version: str,
    name: str,
    valid_from: date,
    rows: list[dict],
    specialty: str = "allmennmedisin",
    valid_to: date | None = None,
    note: str = "",
    source_filename: str = "",
    is_sample: bool = False,
) -> Catalogue:
    """Add a new catalogue version with its goals, beside the versions already there.

    All or nothing: every goal is validated, and any error raises ValidationError (naming the
    row) and rolls back the catalogue too. `rows` are dicts with the goal fields and, when
    they come from a file, its row number under "row"; dates may be ISO strings.
    """
    catalogue = Catalogue(
        specialty=specialty,
        kind=kind,
        version=version,
        name=name,
        valid_from=valid_from,
        valid_to=valid_to,
        note=note,
        source_filename=source_filename,
        is_sample=is_sample,
        imported_at=timezone.now(),
        imported_by=acting_user,
    )
    catalogue.full_clean()
    catalogue.save()
    if not rows:
        raise ValidationError(_("Katalogen må ha minst ett læringsmål."))
    goals, errors, seen = [], [], set()
    for index, row in enumerate(rows, start=1):
        where = row.get("row", index)
        goal = LearningGoal(
            catalogue=catalogue,
            code=row["code"],
            title=row["title"],
            theme=row.get("theme", ""),
            learning_activities=row.get("learning_activities", ""),
            typical_arena=row.get("typical_arena", ""),
            valid_from=_as_date(row.get("valid_from")),
            valid_to=_as_date(row.get("valid_to")),
        )
        try:
            # Uniqueness is checked here in memory: one query per goal would not scale.
            goal.full_clean(validate_unique=False, validate_constraints=False)
            if goal.code in seen:
                raise ValidationError({"code": _("Koden står flere ganger.")})
        except ValidationError as error:
            for field_name, messages in error.message_dict.items():
                errors.extend(
                    _("Rad %(row)s, %(field)s: %(msg)s")
                    % {"row": where, "field": field_name, "msg": m}
                    for m in messages
                )
        seen.add(goal.code)
        goals.append(goal)
    if errors:
        raise ValidationError(errors)
    LearningGoal.objects.bulk_create(goals)
    return catalogue


def _as_date(value) -> date | None:
    if value is None or value == "" or isinstance(value, date):
        return value or None
    return date.fromisoformat(value)


# --- Individual education plans -------------------------------------------------------------------

VERSION_FIELDS = (
    "prior_competence",
    "institution_module",
    "institution_place",
    "institution_start",
    "veileder",
    "veileder_name",
    "supervisors",
    "group",
    "group_text",
    "target_completion",
    "note",
)
TEXT_FIELDS = (
    "prior_competence",
    "institution_place",
    "veileder_name",
    "supervisors",
    "group_text",
    "note",
)


@transaction.atomic
def plan_version_create(
    *,
    office,
    acting_user: User | None,
    trainee,
    data: dict,
    credited_goals=(),
    arenas: list[dict] = (),
    courses: list[dict] = (),
) -> PlanVersion:
    """A new version of the doctor's plan (the plan itself is made with the first version).
    Earlier versions are kept as they are. `arenas` are dicts with the PlannedArena fields and
    "goals"; `courses` dicts with the PlannedCourse fields."""
    ensure_same_office(office, trainee, data.get("veileder"), data.get("group"))
    if data.get("veileder") is not None and data["veileder"].trainee_id != trainee.pk:
        raise ValidationError({"veileder": _("Veilederen er ikke oppnevnt for denne legen.")})
    with scope(office=office):
        return _plan_version_create(
            office=office,
            acting_user=acting_user,
            trainee=trainee,
            data=data,
            credited_goals=credited_goals,
            arenas=arenas,
            courses=courses,
        )


def _plan_version_create(*, office, acting_user, trainee, data, credited_goals, arenas, courses):
    plan, _created = IndividualPlan.objects.select_for_update().get_or_create(
        office=office, trainee=trainee
    )
    last = plan.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = PlanVersion(
        office=office,
        plan=plan,
        number=last + 1,
        created_by=acting_user,
        **{k: data.get(k) for k in VERSION_FIELDS if k in data},
    )
    for name in TEXT_FIELDS:
        if getattr(version, name) is None:
            setattr(version, name, "")
    version._history_user = acting_user
    version.full_clean()
    version.save()
    version.credited_goals.set(credited_goals)
    for row in arenas:
        row = dict(row)
        goals = row.pop("goals", [])
        arena = PlannedArena(office=office, version=version, **row)
        arena.full_clean(exclude=["version"])
        arena.save()
        arena.goals.set(goals)
    for row in courses:
        course = PlannedCourse(office=office, version=version, **row)
        course.full_clean(exclude=["version"])
        course.save()
    return version


@transaction.atomic
def plan_version_acknowledge(*, office, acting_user: User, version: PlanVersion) -> PlanVersion:
    """The doctor confirms they have read and agree to this version of their own plan."""
    ensure_same_office(office, version)
    if version.plan.trainee.user_id != acting_user.pk:
        raise PermissionDenied
    if version.acknowledged_at:
        raise ValidationError(_("Denne versjonen er allerede bekreftet."))
    version.acknowledged_at = timezone.now()
    version.acknowledged_by = acting_user
    version._history_user = acting_user
    version.save(update_fields=["acknowledged_at", "acknowledged_by"])
    return version


@transaction.atomic
def plan_version_approve(*, office, acting_user: User, version: PlanVersion) -> PlanVersion:
    """The municipal leader approves the version (the view checks the municipality)."""
    ensure_same_office(office, version)
    if version.approved_at:
        raise ValidationError(_("Denne versjonen er allerede godkjent."))
    version.approved_at = timezone.now()
    version.approved_by = acting_user
    version._history_user = acting_user
    version.save(update_fields=["approved_at", "approved_by"])
    return version
