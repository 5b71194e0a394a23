"""Reads shared by the position pages, the regional overview and its export.

Every selector filters by office explicitly (the request scope is the second net) and returns
querysets with their joins already applied, so pages do not grow queries with rows.
"""

from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    When,
)
from django.db.models.functions import Coalesce, Lower
from django.shortcuts import get_object_or_404

from municipalities.models import HealthTrust, HealthTrustArea, Municipality
from offices import clock

from .models import (
    EmploymentForm,
    Fact,
    MedicalOffice,
    MunicipalityGroup,
    Position,
    Scheme,
    Status,
)

# Facts that mean «yes, the position has it (or had it)».
HAS_IT = [Fact.YES, Fact.ONGOING, Fact.DONE]


def _with_place(qs: QuerySet[Position]) -> QuerySet[Position]:
    """Annotate county, place name and health trust (valid today); a group takes those of its
    first municipality."""
    first_member = Municipality.objects.filter(position_groups=OuterRef("group")).order_by("number")
    trust = HealthTrustArea.objects.valid_on(clock.today()).filter(
        municipality=OuterRef("area_municipality")
    )
    return (
        qs.select_related("municipality", "group", "medical_office")
        .annotate(
            county=Coalesce("municipality__county", Subquery(first_member.values("county")[:1])),
            place=Coalesce("municipality__name", "group__name"),
            area_municipality=Coalesce("municipality_id", Subquery(first_member.values("pk")[:1])),
        )
        .annotate(health_trust=Subquery(trust.values("health_trust__name")[:1]))
    )


def positions_for_office(office, municipality_ids: set[int] | None = None) -> QuerySet[Position]:
    """The office's positions; with `municipality_ids`, only those in these municipalities
    (directly or through a group they belong to)."""
    qs = _with_place(Position.objects.filter(office=office))
    if municipality_ids is not None:
        qs = qs.filter(
            Q(municipality_id__in=municipality_ids) | Q(group__municipalities__in=municipality_ids)
        ).distinct()
    return qs.order_by("county", "place", "pk")


def position_get(office, position_id: int) -> Position:
    """One position of the office, or 404 (also when it belongs to another office)."""
    return get_object_or_404(
        _with_place(Position.objects.filter(office=office)).prefetch_related(
            "group__municipalities"
        ),
        pk=position_id,
    )


def status_history(position: Position):
    return position.status_changes.select_related("changed_by").order_by("date", "created_at")


def medical_offices_for_office(
    office, municipality_ids: set[int] | None = None
) -> QuerySet[MedicalOffice]:
    qs = MedicalOffice.objects.filter(office=office).select_related("municipality")
    if municipality_ids is not None:
        qs = qs.filter(municipality_id__in=municipality_ids)
    return qs.annotate(position_count=Count("positions")).order_by(
        "municipality__name", "name", "pk"
    )


def medical_office_get(office, medical_office_id: int) -> MedicalOffice:
    return get_object_or_404(
        MedicalOffice.objects.filter(office=office).select_related("municipality"),
        pk=medical_office_id,
    )


def groups_for_office(office, municipality_ids: set[int] | None = None):
    qs = MunicipalityGroup.objects.filter(office=office)
    if municipality_ids is not None:
        qs = qs.filter(municipalities__in=municipality_ids).distinct()
    return qs.order_by("name")


# --- The coordinator's regional overview ---------------------------------------------------

# Sort keys in the URL (`?sorter=listetak&retning=synkende`) → ordering within each county.
SORTS = {
    "kommune": Lower("place"),
    "sokere": "applicants",
    "legekontor": Lower("medical_office__name"),
    "listetak": "list_ceiling",
    "driftsform": "employment_form",
    "ordning": "scheme",
    "status": "status",
}
DEFAULT_SORT = "kommune"


GROUPINGS = {"fylke": "county", "helseforetak": "health_trust"}
YES = "ja"


@dataclass(frozen=True)
class OverviewFilters:
    county: str = ""
    health_trust: str = ""
    status: str = ""  # empty: every status but ended
    employment_form: str = ""
    scheme: str = ""
    supervisor: str = ""  # "ja": with an individual veileder
    group_supervision: str = ""  # "ja": with group supervision
    applicants: str = ""  # "ja": with at least one applicant
    grouping: str = "fylke"
    sort: str = DEFAULT_SORT
    descending: bool = False

    @classmethod
    def from_query(cls, params) -> "OverviewFilters":
        """Read filters from GET parameters, ignoring values that are not choices."""

        def pick(name, choices):
            value = params.get(name, "")
            return value if value in choices else ""

        sort = params.get("sorter", DEFAULT_SORT)
        return cls(
            county=params.get("fylke", "")[:60],
            health_trust=params.get("helseforetak", "")[:120],
            status=pick("status", Status.values),
            employment_form=pick("driftsform", EmploymentForm.values),
            scheme=pick("ordning", Scheme.values),
            supervisor=pick("veileder", [YES]),
            group_supervision=pick("gruppeveiledning", [YES]),
            applicants=pick("sokere", [YES]),
            grouping=pick("gruppering", GROUPINGS) or "fylke",
            sort=sort if sort in SORTS else DEFAULT_SORT,
            descending=params.get("retning") == "synkende",
        )

    def query(self, **override) -> dict[str, str]:
        values = {
            "fylke": self.county,
            "helseforetak": self.health_trust,
            "status": self.status,
            "driftsform": self.employment_form,
            "ordning": self.scheme,
            "veileder": self.supervisor,
            "gruppeveiledning": self.group_supervision,
            "sokere": self.applicants,
            "gruppering": "" if self.grouping == "fylke" else self.grouping,
            "sorter": self.sort,
            "retning": "synkende" if self.descending else "",
        }
        values.update(override)
        return {k: v for k, v in values.items() if v}


def _bool(condition: Q) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=BooleanField())


def _with_holder(office, qs: QuerySet[Position]) -> QuerySet[Position]:
    """The doctor who holds each position, and whether they have a veileder, a supervision
    group and an approved individual plan (subqueries: the page's query count stays fixed).

    The subqueries go from the position through the relations the doctor's apps declare on it
    (`holders`, and on from the doctor): positions sits below trainees and plans and imports
    neither."""

    def about_holder(**lookups):
        return Position.objects.filter(pk=OuterRef("pk"), holders__office=office, **lookups)

    latest = about_holder().order_by("-holders__specialisation_start")
    return qs.annotate(
        holder_first=Subquery(latest.values("holders__first_name")[:1]),
        holder_last=Subquery(latest.values("holders__last_name")[:1]),
        holder_veileder=Subquery(
            about_holder(
                holders__supervisors__office=office,
                holders__supervisors__role="veileder",
                holders__supervisors__end__isnull=True,
            ).values("holders__supervisors__supervisor_name")[:1]
        ),
        holder_in_group=Exists(about_holder(holders__supervision_groups__office=office)),
        holder_has_plan=Exists(
            about_holder(
                holders__individual_plan__versions__office=office,
                holders__individual_plan__versions__approved_at__isnull=False,
            )
        ),
    ).annotate(
        # The coordinator's facts count until the doctor's own records exist.
        has_supervisor=Case(
            When(holder_last__isnull=False, then=_bool(Q(holder_veileder__isnull=False))),
            default=_bool(Q(individual_supervisor__in=HAS_IT)),
            output_field=BooleanField(),
        ),
        has_group_supervision=Case(
            When(holder_last__isnull=False, then=F("holder_in_group")),
            default=_bool(Q(group_supervision__in=HAS_IT)),
            output_field=BooleanField(),
        ),
    )


def overview_positions(office, filters: OverviewFilters) -> QuerySet[Position]:
    """One row per position, grouped by county or health trust (`grouping`), filtered and
    sorted as asked."""
    qs = _with_holder(office, _with_place(Position.objects.filter(office=office)))
    if filters.status:
        qs = qs.filter(status=filters.status)
    else:
        qs = qs.exclude(status=Status.ENDED)
    if filters.employment_form:
        qs = qs.filter(employment_form=filters.employment_form)
    if filters.scheme:
        qs = qs.filter(scheme=filters.scheme)
    if filters.county:
        qs = qs.filter(county=filters.county)
    if filters.health_trust:
        qs = qs.filter(health_trust=filters.health_trust)
    if filters.supervisor:
        qs = qs.filter(has_supervisor=True)
    if filters.group_supervision:
        qs = qs.filter(has_group_supervision=True)
    if filters.applicants:
        qs = qs.filter(applicants__gt=0)
    key = SORTS[filters.sort]
    key = F(key) if isinstance(key, str) else key
    # Empty cells (no list ceiling, no medical office) go last in both directions.
    expr = key.desc(nulls_last=True) if filters.descending else key.asc(nulls_last=True)
    grouping = GROUPINGS[filters.grouping]
    return qs.annotate(grouping=F(grouping)).order_by(
        F(grouping).asc(nulls_last=True), expr, Lower("place"), "pk"
    )


@dataclass(frozen=True)
class OverviewSummary:
    total: int
    filled: int
    advertised: int
    vacant: int
    planned: int
    self_employed: int
    salaried: int
    old_scheme: int
    with_supervisor: int
    with_group_supervision: int
    applicants: int
    applicants_unknown: int


def summary_counts() -> dict[str, Count]:
    """The counts of positions by status, employment form and scheme that the overview and
    the reports show (aggregates, for `aggregate` or `values(...).annotate`)."""
    return {
        "total": Count("pk"),
        "filled": Count("pk", filter=Q(status=Status.FILLED)),
        "advertised": Count("pk", filter=Q(status=Status.ADVERTISED)),
        "vacant": Count("pk", filter=Q(status=Status.VACANT)),
        "planned": Count("pk", filter=Q(status=Status.PLANNED)),
        "self_employed": Count("pk", filter=Q(employment_form=EmploymentForm.SELF_EMPLOYED)),
        "salaried": Count("pk", filter=Q(employment_form=EmploymentForm.SALARIED)),
        "chooses": Count("pk", filter=Q(employment_form=EmploymentForm.APPLICANT_CHOOSES)),
        "old_scheme": Count("pk", filter=Q(scheme=Scheme.OLD)),
    }


def overview_summary(positions: QuerySet[Position]) -> OverviewSummary:
    """The figures the coordinators report to their steering group, over the rows shown.

    Applicants shared between positions («12 (felles)») count once per place and number;
    unknown counts («?») are not added, and are counted on their own."""
    if "has_supervisor" not in positions.query.annotations:
        # Callers outside the overview (reports) pass plain positions: the coordinator's facts.
        positions = positions.annotate(
            has_supervisor=_bool(Q(individual_supervisor__in=HAS_IT)),
            has_group_supervision=_bool(Q(group_supervision__in=HAS_IT)),
        )
    data = positions.order_by().aggregate(
        **summary_counts(),
        with_supervisor=Count("pk", filter=Q(has_supervisor=True)),
        with_group_supervision=Count("pk", filter=Q(has_group_supervision=True)),
        unknown=Count("pk", filter=Q(applicants__isnull=True)),
        own=Coalesce(Sum("applicants", filter=Q(applicants_shared=False)), 0),
    )
    data.pop("chooses")
    data["applicants_unknown"], data["applicants"] = data.pop("unknown"), data.pop("own")
    shared = (
        positions.filter(applicants_shared=True, applicants__isnull=False)
        .order_by()
        .values_list("municipality_id", "group_id", "applicants")
        .distinct()
    )
    data["applicants"] += sum(number for _m, _g, number in shared)
    return OverviewSummary(**data)


def overview_health_trusts(office) -> list[str]:
    """The health trusts of the office's municipalities today, for the filter."""
    today = clock.today()
    return list(
        HealthTrust.objects.filter(
            areas__in=HealthTrustArea.objects.valid_on(today).filter(
                municipality__office=office, municipality__is_active=True
            )
        )
        .order_by("name")
        .values_list("name", flat=True)
        .distinct()
    )


def overview_counties(office) -> list[str]:
    return list(
        Municipality.objects.filter(office=office, is_active=True)
        .order_by("county")
        .values_list("county", flat=True)
        .distinct()
    )
