"""Reads of the catalogue, the rule sets and a doctor's service for the rules engine."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from trainees.models import Scheme, ServicePeriod, Trainee

from .models import Catalogue, LearningGoal, RuleScheme, RuleSet
from .rules import Period

# Fields compared between two versions of a goal, in the order they are shown.
COMPARED_FIELDS = (
    "title",
    "theme",
    "learning_activities",
    "typical_arena",
    "valid_from",
    "valid_to",
)


def catalogues_overview() -> QuerySet[Catalogue]:
    return Catalogue.objects.select_related("imported_by").annotate(goal_count=Count("goals"))


def catalogue_get(pk: int) -> Catalogue:
    return get_object_or_404(catalogues_overview(), pk=pk)


def goals_for_catalogue(catalogue: Catalogue, *, query: str = "") -> QuerySet[LearningGoal]:
    qs = LearningGoal.objects.filter(catalogue=catalogue)
    if query:
        query = query.strip()
        qs = qs.filter(
            Q(code__icontains=query) | Q(title__icontains=query) | Q(theme__icontains=query)
        )
    return qs.order_by("theme", "code")


@dataclass
class GoalChange:
    code: str
    old: LearningGoal
    new: LearningGoal
    fields: list[tuple[str, object, object]]  # (verbose name, old value, new value)


@dataclass
class CatalogueDiff:
    old: Catalogue
    new: Catalogue
    added: list[LearningGoal] = field(default_factory=list)
    removed: list[LearningGoal] = field(default_factory=list)
    changed: list[GoalChange] = field(default_factory=list)
    unchanged: int = 0


def _shown(goal: LearningGoal, name: str):
    if name == "typical_arena":
        return goal.get_typical_arena_display()
    return getattr(goal, name)


def catalogue_compare(old: Catalogue, new: Catalogue) -> CatalogueDiff:
    """Goals added, removed and changed (field by field) from `old` to `new`, by code."""
    before = {g.code: g for g in LearningGoal.objects.filter(catalogue=old)}
    after = {g.code: g for g in LearningGoal.objects.filter(catalogue=new)}
    diff = CatalogueDiff(old=old, new=new)
    diff.added = [after[c] for c in sorted(set(after) - set(before))]
    diff.removed = [before[c] for c in sorted(set(before) - set(after))]
    for code in sorted(set(before) & set(after)):
        a, b = before[code], after[code]
        fields = [
            (LearningGoal._meta.get_field(n).verbose_name, _shown(a, n), _shown(b, n))
            for n in COMPARED_FIELDS
            if getattr(a, n) != getattr(b, n)
        ]
        if fields:
            diff.changed.append(GoalChange(code, a, b, fields))
        else:
            diff.unchanged += 1
    return diff


# --- Rules ---------------------------------------------------------------------------------------


def rule_set_for(scheme: str, on: date) -> RuleSet | None:
    """The rule set in force for a doctor's scheme on `on`. A doctor converted from the old
    scheme follows the new one. When none is valid on the day (e.g. after the old scheme's
    last date), the latest that started before it applies."""
    rule_scheme = RuleScheme.OLD if scheme == Scheme.OLD else RuleScheme.NEW
    candidates = RuleSet.objects.filter(scheme=rule_scheme, valid_from__lte=on)
    current = candidates.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on)).first()
    return current or candidates.order_by("-valid_from").first()


def trainee_for_user(user, office) -> Trainee | None:
    """The logged-in doctor's own record in this office (filtered explicitly by office)."""
    return Trainee.objects.filter(user=user, office=office).first()


def service_periods_for(trainee: Trainee) -> list[Period]:
    periods = ServicePeriod.objects.filter(office=trainee.office_id, trainee=trainee).order_by(
        "start"
    )
    return [
        Period(p.start, p.end, p.percentage, p.arena, is_leave=p.is_leave, credited=p.credited)
        for p in periods
    ]
