"""Reads for the regional report (one office) and the report list.

`regional_figures` runs a fixed number of aggregate queries whatever the number of doctors and
positions: the report never loads person rows. The cross-office reads for the national report
live in `reports.national` and nowhere else.
"""

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
from offices import clock
from plans.models import IndividualPlan
from plans.stored import Counts, counts_by_office
from positions.models import Position, Status
from positions.selectors import overview_summary, positions_for_office, summary_counts
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


def position_figures(offices) -> dict[int, dict]:
    """The position figures of each office in `offices`, by office id: one aggregate query
    grouped by office (positions not ended)."""
    ids = [office.pk for office in offices]
    rows = (
        Position.objects.filter(office__in=ids)
        .exclude(status=Status.ENDED)
        .order_by()
        .values("office")
        .annotate(**summary_counts())
    )
    found = {row["office"]: row for row in rows}
    result = {}
    for pk in ids:
        row = found.get(pk) or dict.fromkeys(summary_counts(), 0)
        result[pk] = {
            "positions_total": row["total"],
            "positions_filled": row["filled"],
            "positions_salaried": row["salaried"],
            "positions_self_employed": row["self_employed"],
            "positions_applicant_chooses": row["chooses"],
            "positions_new_scheme": row["total"] - row["old_scheme"],
            "positions_old_scheme": row["old_scheme"],
        }
    return result


def _in_training(offices, on: date) -> QuerySet[Trainee]:
    return Trainee.objects.filter(
        office__in=[office.pk for office in offices],
        status__in=IN_TRAINING,
        specialisation_start__lte=on,
    )


def doctor_figures(offices, on: date, current: dict[int, Counts]) -> dict[int, dict]:
    """The doctor figures of each office in `offices`, by office id: one aggregate query
    grouped by office, and the counts that come from each doctor's standing (`current`:
    office id -> `plans.stored.Counts`)."""
    has_veileder = Exists(
        SupervisorAssignment.objects.filter(
            office=OuterRef("office"),
            trainee=OuterRef("pk"),
            role=SupervisorRole.VEILEDER,
            start__lte=on,
        ).filter(not_ended(on))
    )
    in_group = Exists(
        SupervisionGroup.objects.filter(
            office=OuterRef("office"), members=OuterRef("pk"), start__lte=on
        ).filter(not_ended(on))
    )
    has_plan = Exists(
        IndividualPlan.objects.filter(office=OuterRef("office"), trainee=OuterRef("pk"))
    )
    rows = (
        _in_training(offices, on)
        .annotate(has_veileder=has_veileder, in_group=in_group, has_plan=has_plan)
        .order_by()
        .values("office")
        .annotate(
            doctors_active=Count("pk"),
            doctors_new_scheme=Count("pk", filter=Q(scheme=Scheme.NEW)),
            doctors_old_scheme=Count("pk", filter=Q(scheme=Scheme.OLD)),
            doctors_converted=Count("pk", filter=Q(scheme=Scheme.CONVERTED)),
            doctors_with_veileder=Count("pk", filter=Q(has_veileder=True)),
            doctors_in_group=Count("pk", filter=Q(in_group=True)),
            doctors_with_plan=Count("pk", filter=Q(has_plan=True)),
        )
    )
    found = {row.pop("office"): row for row in rows}
    result = {}
    for office in offices:
        data = found.get(office.pk) or dict.fromkeys(DOCTOR_COUNTS, 0)
        data["doctors_without_veileder"] = data["doctors_active"] - data["doctors_with_veileder"]
        # At risk: the one definition of every page (some requirement of the doctor's
        # standing is at risk or not met, `plans.standing`).
        counts = current.get(office.pk) or Counts()
        data["doctors_at_risk"] = counts.at_risk
        data["doctors_supervision_compliant"] = counts.compliant
        result[office.pk] = data
    return result


DOCTOR_COUNTS = [
    "doctors_active",
    "doctors_new_scheme",
    "doctors_old_scheme",
    "doctors_converted",
    "doctors_with_veileder",
    "doctors_in_group",
    "doctors_with_plan",
]


def _standings(offices, on: date) -> dict[int, Counts]:
    """What the report counts from the one standing of every doctor in training in `offices`
    (at risk, on track with supervision, projected completion year), by office id: the stored
    answers of the rules engine (`plans.stored`), with those not fresh for `on` computed in
    one batch, and stored when `on` is today."""
    return counts_by_office(_in_training(offices, on), on, store=on == clock.today())


def projected_completions(office, on: date, current: Counts | None = None) -> dict[str, int]:
    """Doctors in training by the year of their projected completion, from the one standing
    (`plans.standing`: the approved plan, then the current pace). A doctor whose completion
    cannot be projected yet is counted under "ukjent"; one already past it in the current
    year. `current`: the office's counts, when already read."""
    if current is None:
        current = _standings([office], on).get(office.pk) or Counts()
    return dict(sorted(current.completions.items()))


def figures_by_office(offices, on: date) -> dict[int, dict]:
    """Every figure of the report for each office in `offices` on the day `on` (counts only),
    by office id: a fixed number of queries whatever the number of offices and doctors."""
    offices = list(offices)
    current = _standings(offices, on)  # the standing counts, read once
    positions = position_figures(offices)
    doctors = doctor_figures(offices, on, current)
    return {
        office.pk: {
            **positions[office.pk],
            **doctors[office.pk],
            "completions": projected_completions(office, on, current.get(office.pk) or Counts()),
        }
        for office in offices
    }


def regional_figures(office, on: date) -> dict:
    """Every figure of the regional report for `office` on the day `on` (counts only)."""
    return figures_by_office([office], on)[office.pk]


def reports_for_office(office, kind: str) -> QuerySet[Report]:
    return Report.objects.filter(office=office, kind=kind).select_related("created_by")


def report_get(office, report_id: int) -> Report:
    return get_object_or_404(
        Report.objects.filter(office=office).select_related("created_by"), pk=report_id
    )


def latest_done(office, kind: str = Kind.REGIONAL) -> Report | None:
    from .models import ReportStatus

    return reports_for_office(office, kind).filter(status=ReportStatus.DONE).first()


def _has_veileder_and_group(office, on: date):
    """One office's doctors' "has a veileder" and "is in a group" on `on` (the per-trust
    table; `doctor_figures` groups the same test by office)."""
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
