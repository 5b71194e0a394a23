"""Office-owned rows: the one base class, its registry, and what follows a doctor or a municipality.

Every office-owned model inherits `OfficeOwned`: a direct `office` key (PROTECT) and
`objects = ScopedManager(office="office")`, so a query outside `scope(office=…)` raises. A model
declares on itself whom its rows belong to:

- `trainee_path`: the lookup from the row to the ALIS doctor it belongs to ("trainee",
  "plan__trainee", …; "" for the doctor's own row). Rows with a path move with the doctor.
- `municipality_path`: the lookup to the municipality it belongs to. Rows without a doctor move
  with the municipality. A path through a many-to-many relation (a pool row serving several
  municipalities, a group with members from several) moves only when none of its
  municipalities stays behind in the old office.

The registry is every concrete subclass (`office_owned_models()`); nothing is listed by hand.
A model whose rows cannot follow a doctor to another office for a while (an open hospital
booking of a place the old office keeps) says so in `transfer_blockers(trainee)`; the transfer
services collect them over the registry (`transfer_blockers`) and refuse.
"""

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class OfficeOwned(models.Model):
    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="+")

    objects = ScopedManager(office="office")

    # Lookups to the doctor / municipality the row belongs to; None: it belongs to neither.
    trainee_path: str | None = None
    municipality_path: str | None = None

    class Meta:
        abstract = True

    @classmethod
    def transfer_blockers(cls, trainee) -> list[str]:
        """Why the doctor cannot move to another office now, in the users' words: rows of this
        model that cannot follow (they hang on something the old office keeps). A model
        overrides this; by default nothing stands in the way."""
        return []


def office_owned_models() -> list[type[models.Model]]:
    """The registry: every concrete office-owned model of the installed apps."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, OfficeOwned) and not model._meta.abstract
    ]


def transfer_blockers(trainee) -> list[str]:
    """Every reason, over the registry, why the doctor cannot move to another office now (the
    transfer services refuse while there is one)."""
    return [text for model in office_owned_models() for text in model.transfer_blockers(trainee)]


def _join(path: str, rest: str) -> str:
    return f"{path}__{rest}" if path else rest


def rows_of_trainee(model, trainee) -> models.QuerySet:
    """The model's rows that belong to the doctor (none when the model declares no doctor)."""
    if model.trainee_path is None:
        return model.objects.none()
    return model.objects.filter(**{_join(model.trainee_path, "pk"): trainee.pk})


def rows_of_municipality(model, municipality) -> models.QuerySet:
    """The model's rows that belong to the municipality: through their doctor's municipality
    when they belong to a doctor, through their own municipality otherwise."""
    condition = Q()
    if model.trainee_path is not None:
        condition |= Q(**{_join(model.trainee_path, "municipality"): municipality})
    if model.municipality_path is not None:
        own = Q(**{model.municipality_path: municipality})
        if model.trainee_path:  # a row without a doctor (e.g. an agreement not yet assigned)
            own &= Q(**{f"{model.trainee_path}__isnull": True})
        condition |= own
    if not condition:
        return model.objects.none()
    return model.objects.filter(condition).distinct()


def ensure_same_office(office, *objects, message=None, field: str | None = None) -> None:
    """The office check in services: every given row (None is skipped) belongs to `office`.
    Otherwise a ValidationError with `message` (default: the row is not in this office), on
    `field` when given."""
    for obj in objects:
        if obj is not None and obj.office_id != office.pk:
            text = message or _("Finnes ikke i dette ALIS-kontoret.")
            raise ValidationError({field: text} if field else text)


def rows_move(rows, *, to_office, acting_user=None, reason: str = "") -> int:
    """Re-home these rows to another office one by one, so each move lands in the row's history
    (with who and why) where the model keeps one. Returns how many moved."""
    moved = 0
    for row in rows:
        row.office = to_office
        row._history_user = acting_user
        if reason:
            row._change_reason = reason
        row.save(update_fields=["office"])
        moved += 1
    return moved
