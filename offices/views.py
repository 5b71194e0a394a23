from datetime import timedelta

from django.core.paginator import Paginator
from django.shortcuts import render

from accounts.access import office_permission
from alis import clock
from municipalities.selectors import (
    counties_for_office,
    follow_ups_due,
    months_before,
    municipalities_for_office,
)

NO_CONTACT_MONTHS = 6  # "no contact for N months" on the dashboard
FOLLOW_UP_HORIZON = timedelta(days=7)


@office_permission("office.view_dashboard")
def dashboard(request, office_slug):
    today = clock.today()
    no_contact_since = months_before(today, NO_CONTACT_MONTHS)
    filters = {
        "query": request.GET.get("q", ""),
        "county": request.GET.get("fylke", ""),
        "trouble": request.GET.get("problemer") == "1",
        "sami": request.GET.get("samisk") == "1",
        "no_contact_since": no_contact_since if request.GET.get("uten_kontakt") == "1" else None,
    }
    municipalities = municipalities_for_office(request.office, **filters)
    page = Paginator(municipalities, 50).get_page(request.GET.get("side"))
    context = {
        **filters,
        "page": page,
        "total": page.paginator.count,
        "no_contact": filters["no_contact_since"] is not None,
        "no_contact_months": NO_CONTACT_MONTHS,
    }
    if request.htmx:
        return render(request, "offices/_municipality_table.html", context)
    context.update(
        counties=counties_for_office(request.office),
        follow_ups=follow_ups_due(request.office, until=today + FOLLOW_UP_HORIZON)[:20],
        today=today,
        stale_count=municipalities_for_office(
            request.office, no_contact_since=no_contact_since
        ).count(),
    )
    return render(request, "offices/dashboard.html", context)
