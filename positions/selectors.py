"""Reads shared by the position pages, the regional overview and its export.

Every selector filters by office explicitly (the request scope is the second net) and returns
querysets with their joins already applied, so pages do not grow queries with rows.
"""

from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, Lower
from django.shortcuts import get_object_or_404

from municipalities.models import Municipality

from .models import EmploymentForm, MedicalOffice, MunicipalityGroup, Position, Scheme, Status


def _with_place(qs: QuerySet[Position]) -> QuerySet[Position]:
    """Annotate county and place name; a group takes the county of its first municipality."""
    first_member = Municipality.objects.filter(position_groups=OuterRef("group")).order_by("number")
    return qs.select_related("municipality", "group", "medical_office").annotate(
        county=Coalesce("municipality__county", Subquery(first_member.values("county")[:1])),
        place=Coalesce("municipality__name", "group__name"),
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
    return qs.annotate(position_count=Count("positions")).order_by("municipality__name", "name")


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


@dataclass(frozen=True)
class OverviewFilters:
    county: str = ""
    status: str = ""  # empty: every status but ended
    employment_form: str = ""
    scheme: str = ""
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
            status=pick("status", Status.values),
            employment_form=pick("driftsform", EmploymentForm.values),
            scheme=pick("ordning", Scheme.values),
            sort=sort if sort in SORTS else DEFAULT_SORT,
            descending=params.get("retning") == "synkende",
        )

    def query(self, **override) -> dict[str, str]:
        values = {
            "fylke": self.county,
            "status": self.status,
            "driftsform": self.employment_form,
            "ordning": self.scheme,
            "sorter": self.sort,
            "retning": "synkende" if self.descending else "",
        }
        values.update(override)
        return {k: v for k, v in values.items() if v}


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
    )


def overview_positions(office, filters: OverviewFilters) -> QuerySet[Position]:
    """One row per position, grouped by county, filtered and sorted as asked."""
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
    key = SORTS[filters.sort]
    key = F(key) if isinstance(key, str) else key
    # Empty cells (no list ceiling, no medical office) go last in both directions.
    expr = key.desc(nulls_last=True) if filters.descending else key.asc(nulls_last=True)
    return qs.order_by("county", expr, Lower("place"), "pk")


@dataclass(frozen=True)
class OverviewSummary:
    total: int
    filled: int
    advertised: int
    vacant: int
    planned: int
    self_employed: int
    old_scheme: int
    applicants: int


def overview_summary(positions: QuerySet[Position]) -> OverviewSummary:
    """The numbers of the summary line, in one aggregate query over the rows shown."""
    data = positions.order_by().aggregate(
        total=Count("pk"),
        filled=Count("pk", filter=Q(status=Status.FILLED)),
        advertised=Count("pk", filter=Q(status=Status.ADVERTISED)),
        vacant=Count("pk", filter=Q(status=Status.VACANT)),
        planned=Count("pk", filter=Q(status=Status.PLANNED)),
        self_employed=Count("pk", filter=Q(employment_form=EmploymentForm.SELF_EMPLOYED)),
        old_scheme=Count("pk", filter=Q(scheme=Scheme.OLD)),
        applicants=Coalesce(Sum("applicants"), 0),
    )
    return OverviewSummary(**data)


def overview_counties(office) -> list[str]:
    return list(
        Municipality.objects.filter(office=office, is_active=True)
        .order_by("county")
        .values_list("county", flat=True)
        .distinct()
    )
