"""Reads for the regional report (one office) and the report list.

`regional_figures` runs a fixed number of aggregate queries whatever the number of doctors and
positions: the report never loads person rows. The cross-office reads for the national report
live in `reports.national` and nowhere else.
"""

from collections import Counter
from datetime import date

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.shortcuts import get_object_or_404

from municipalities.models import HealthTrustArea
from plans.models import IndividualPlan
from plans.rules import RuleValues
from plans.selectors import rule_set_for
from plans.standing import standings
from positions.models import EmploymentForm, Position, Status
from positions.selectors import overview_summary, positions_for_office
from trainees.models import (
    Scheme,
    SupervisionGroup,
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


def _has_veileder_and_group(office, on: date):
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
    return has_veileder, in_group


def doctor_figures(office, on: date, current: dict | None = None) -> dict:
    has_veileder, in_group = _has_veileder_and_group(office, on)
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
    }
    doctors = doctors.annotate(
        has_plan=Exists(IndividualPlan.objects.filter(office=office, trainee=OuterRef("pk"))),
    )
    aggregates["doctors_with_plan"] = Count("pk", filter=Q(has_plan=True))
    data = doctors.order_by().aggregate(**aggregates)
    data["doctors_without_veileder"] = data["doctors_active"] - data["doctors_with_veileder"]
    # At risk: the one definition of every page (some requirement of the doctor's standing is
    # at risk or not met, `plans.standing`).
    current = (current if current is not None else _standings(office, on)).values()
    data["doctors_at_risk"] = sum(1 for s in current if s.at_risk)
    data["doctors_supervision_compliant"] = sum(
        1 for s in current if s.compliance is not None and not s.supervision_behind
    )
    return data


def _standings(office, on: date) -> dict:
    doctors = Trainee.objects.filter(
        office=office, status__in=IN_TRAINING, specialisation_start__lte=on
    ).order_by("pk")
    return standings(doctors, on)


def projected_completions(office, on: date, current: dict | None = None) -> dict[str, int]:
    """Doctors in training by the year of their projected completion, from the one standing
    (`plans.standing`: the approved plan, then the current pace). A doctor whose completion
    cannot be projected yet is counted under "ukjent"; one already past it in the current
    year."""
    years: Counter[str] = Counter()
    for s in (current if current is not None else _standings(office, on)).values():
        day = s.projected_completion
        years[str(max(day.year, on.year)) if day else "ukjent"] += 1
    return dict(sorted(years.items()))


def regional_figures(office, on: date) -> dict:
    """Every figure of the regional report for `office` on the day `on` (counts only)."""
    current = _standings(office, on)  # the one standing per doctor, read once
    return {
        **position_figures(office),
        **doctor_figures(office, on, current),
        "completions": projected_completions(office, on, current),
    }


# The columns of the report's table per health trust, as the coordinators' own tables.
TRUST_KEYS = (
    "positions_total",
    "positions_filled",
    "positions_salaried",
    "positions_self_employed",
    "positions_old_scheme",
    "applicants",
    "doctors_active",
    "doctors_with_veileder",
    "doctors_in_group",
)


def health_trust_figures(office, on: date) -> list[dict]:
    """The key figures per health trust (OSO area) of the office: positions (not ended) by the
    trust of their municipality (a cooperation: of its first municipality, as the overview),
    doctors in training by the trust of theirs on `on`. A fixed number of aggregate queries
    per trust; a row without a trust is «Helseforetak ikke kjent»."""
    positions = positions_for_office(office).exclude(status=Status.ENDED)
    has_veileder, in_group = _has_veileder_and_group(office, on)
    trust = HealthTrustArea.objects.valid_on(on).filter(municipality=OuterRef("municipality"))
    doctors = (
        Trainee.objects.filter(office=office, status__in=IN_TRAINING, specialisation_start__lte=on)
        .annotate(
            trust=Subquery(trust.values("health_trust__name")[:1]),
            has_veileder=has_veileder,
            in_group=in_group,
        )
        .order_by()
        .values("trust")
        .annotate(
            doctors_active=Count("pk"),
            doctors_with_veileder=Count("pk", filter=Q(has_veileder=True)),
            doctors_in_group=Count("pk", filter=Q(in_group=True)),
        )
    )
    by_trust = {row.pop("trust"): row for row in doctors}
    names = set(positions.order_by().values_list("health_trust", flat=True)) | set(by_trust)
    rows = []
    for name in sorted(names, key=lambda n: (n is None, (n or "").lower())):
        summary = overview_summary(
            positions.filter(health_trust__isnull=True)
            if name is None
            else positions.filter(health_trust=name)
        )
        zero = {"doctors_active": 0, "doctors_with_veileder": 0, "doctors_in_group": 0}
        rows.append(
            {
                "trust": name or "",
                "figures": {
                    "positions_total": summary.total,
                    "positions_filled": summary.filled,
                    "positions_salaried": summary.salaried,
                    "positions_self_employed": summary.self_employed,
                    "positions_old_scheme": summary.old_scheme,
                    "applicants": summary.applicants,
                    **by_trust.get(name, zero),
                },
            }
        )
    return rows


def reports_for_office(office, kind: str) -> QuerySet[Report]:
    return Report.objects.filter(office=office, kind=kind).select_related("created_by")


def report_get(office, report_id: int) -> Report:
    return get_object_or_404(
        Report.objects.filter(office=office).select_related("created_by"), pk=report_id
    )


def latest_done(office, kind: str = Kind.REGIONAL) -> Report | None:
    from .models import ReportStatus

    return reports_for_office(office, kind).filter(status=ReportStatus.DONE).first()
