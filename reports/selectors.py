"""Reads for the regional report (one office) and the report list.

`regional_figures` runs a fixed number of aggregate queries whatever the number of doctors and
positions: the report never loads person rows. The cross-office reads for the national report
live in `reports.national` and nowhere else.
"""

from collections import Counter
from datetime import date
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear
from django.shortcuts import get_object_or_404

from plans.models import IndividualPlan
from plans.rules import RuleValues, add_months
from plans.selectors import rule_set_for
from positions.models import EmploymentForm, Position, Status
from positions.selectors import overview_summary
from trainees.models import (
    Scheme,
    SupervisionGroup,
    SupervisionSession,
    SupervisorAssignment,
    SupervisorRole,
    Trainee,
    TraineeStatus,
)
from trainees.selectors import not_ended

from .models import Kind, Report

IN_TRAINING = (TraineeStatus.ACTIVE, TraineeStatus.ON_LEAVE)


def total_months(scheme: str, on: date) -> int:
    rule_set = rule_set_for(scheme, on)
    return rule_set.total_service_months if rule_set else RuleValues("").total_service_months


def position_figures(office) -> dict:
    positions = Position.objects.filter(office=office).exclude(status=Status.ENDED)
    summary = overview_summary(positions)
    salaried = positions.order_by().aggregate(
        salaried=Count("pk", filter=Q(employment_form=EmploymentForm.SALARIED)),
        chooses=Count("pk", filter=Q(employment_form=EmploymentForm.APPLICANT_CHOOSES)),
    )
    return {
        "positions_total": summary.total,
        "positions_filled": summary.filled,
        "positions_salaried": salaried["salaried"],
        "positions_self_employed": summary.self_employed,
        "positions_applicant_chooses": salaried["chooses"],
        "positions_new_scheme": summary.total - summary.old_scheme,
        "positions_old_scheme": summary.old_scheme,
    }


def _supervision_need_and_recent(office, on: date):
    """Enough individual supervision over the last 3 months: the rule set's hours per month
    spread over its supervision months a year (4 h × 10.5 / 12 by default)."""
    rules = rule_set_for(Scheme.NEW, on)
    values = rules.values() if rules else RuleValues("")
    need = values.supervision_hours_per_month * values.supervision_months_per_year / 12 * 3
    recent = (
        SupervisionSession.objects.filter(
            office=office, trainee=OuterRef("pk"), day__gt=add_months(on, -3), day__lte=on
        )
        .order_by()
        .values("trainee")
        .annotate(total=Coalesce(Sum("hours"), Value(Decimal("0")), output_field=DecimalField()))
        .values("total")
    )
    return need, recent


def doctor_figures(office, on: date) -> dict:
    months = {Scheme.NEW: total_months(Scheme.NEW, on), Scheme.OLD: total_months(Scheme.OLD, on)}
    has_veileder = Exists(
        SupervisorAssignment.objects.filter(
            office=office, trainee=OuterRef("pk"), role=SupervisorRole.VEILEDER, start__lte=on
        ).filter(not_ended(on))
    )
    in_group = Exists(
        SupervisionGroup.objects.filter(
            office=office, members=OuterRef("pk"), start__lte=on
        ).filter(not_ended(on))
    )
    # Behind: still in training after the minimum length of the programme has passed.
    behind = Q(scheme=Scheme.OLD, specialisation_start__lt=add_months(on, -months[Scheme.OLD])) | (
        ~Q(scheme=Scheme.OLD) & Q(specialisation_start__lt=add_months(on, -months[Scheme.NEW]))
    )
    doctors = Trainee.objects.filter(
        office=office, status__in=IN_TRAINING, specialisation_start__lte=on
    ).annotate(has_veileder=has_veileder, in_group=in_group)
    aggregates = {
        "doctors_active": Count("pk"),
        "doctors_new_scheme": Count("pk", filter=Q(scheme=Scheme.NEW)),
        "doctors_old_scheme": Count("pk", filter=Q(scheme=Scheme.OLD)),
        "doctors_converted": Count("pk", filter=Q(scheme=Scheme.CONVERTED)),
        "doctors_with_veileder": Count("pk", filter=Q(has_veileder=True)),
        "doctors_in_group": Count("pk", filter=Q(in_group=True)),
        # At risk: in active service without a veileder, or behind (see above).
        "doctors_at_risk": Count(
            "pk",
            filter=Q(status=TraineeStatus.ACTIVE) & (Q(has_veileder=False) | behind),
        ),
    }
    need, recent = _supervision_need_and_recent(office, on)
    doctors = doctors.annotate(
        has_plan=Exists(IndividualPlan.objects.filter(office=office, trainee=OuterRef("pk"))),
        recent_hours=Subquery(recent),
    )
    aggregates["doctors_with_plan"] = Count("pk", filter=Q(has_plan=True))
    aggregates["doctors_supervision_compliant"] = Count("pk", filter=Q(recent_hours__gte=need))
    data = doctors.order_by().aggregate(**aggregates)
    data["doctors_without_veileder"] = data["doctors_active"] - data["doctors_with_veileder"]
    return data


def projected_completions(office, on: date) -> dict[str, int]:
    """Doctors in training by the year they are expected to complete: the start of their
    specialisation plus the rule set's total length (leave and part time not counted in: a
    simple estimate). A doctor already past that date counts in the current year."""
    months = {Scheme.NEW: total_months(Scheme.NEW, on), Scheme.OLD: total_months(Scheme.OLD, on)}
    starts = (
        Trainee.objects.filter(office=office, status__in=IN_TRAINING, specialisation_start__lte=on)
        .annotate(y=ExtractYear("specialisation_start"), m=ExtractMonth("specialisation_start"))
        .order_by()
        .values("scheme", "y", "m")
        .annotate(n=Count("pk"))
    )
    years: Counter[str] = Counter()
    for row in starts:
        length = months[Scheme.OLD] if row["scheme"] == Scheme.OLD else months[Scheme.NEW]
        done = add_months(date(row["y"], row["m"], 1), length)
        years[str(max(done.year, on.year))] += row["n"]
    return dict(sorted(years.items()))


def regional_figures(office, on: date) -> dict:
    """Every figure of the regional report for `office` on the day `on` (counts only)."""
    return {
        **position_figures(office),
        **doctor_figures(office, on),
        "completions": projected_completions(office, on),
    }


def reports_for_office(office, kind: str) -> QuerySet[Report]:
    return Report.objects.filter(office=office, kind=kind).select_related("created_by")


def report_get(office, report_id: int) -> Report:
    return get_object_or_404(
        Report.objects.filter(office=office).select_related("created_by"), pk=report_id
    )


def latest_done(office, kind: str = Kind.REGIONAL) -> Report | None:
    from .models import ReportStatus

    return reports_for_office(office, kind).filter(status=ReportStatus.DONE).first()
