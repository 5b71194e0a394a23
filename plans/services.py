"""Writes to the learning-goal catalogue."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from .models import Catalogue, LearningGoal


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
