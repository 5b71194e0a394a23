from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from .models import Municipality


def municipalities_for_office(
    office, *, query: str = "", county: str = ""
) -> QuerySet[Municipality]:
    """The municipalities an office serves now, optionally searched by name or number."""
    qs = Municipality.objects.filter(office=office, is_active=True)
    if query:
        query = query.strip()
        qs = qs.filter(Q(name__icontains=query) | Q(number__startswith=query))
    if county:
        qs = qs.filter(county=county)
    return qs.order_by("county", "name")


def counties_for_office(office) -> list[str]:
    return list(
        Municipality.objects.filter(office=office, is_active=True)
        .order_by("county")
        .values_list("county", flat=True)
        .distinct()
    )


def municipality_get(office, number: str) -> Municipality:
    """One municipality of the office, or 404 (also when it belongs to another office)."""
    return get_object_or_404(
        Municipality.objects.select_related("office"), office=office, number=number
    )
