from django.core.paginator import Paginator
from django.shortcuts import render

from accounts.access import office_permission
from municipalities.selectors import counties_for_office, municipalities_for_office


@office_permission("office.view_dashboard")
def dashboard(request, office_slug):
    query = request.GET.get("q", "")
    county = request.GET.get("fylke", "")
    municipalities = municipalities_for_office(request.office, query=query, county=county)
    page = Paginator(municipalities, 50).get_page(request.GET.get("side"))
    context = {
        "page": page,
        "query": query,
        "county": county,
        "counties": counties_for_office(request.office),
        "total": page.paginator.count,
    }
    template = "offices/_municipality_table.html" if request.htmx else "offices/dashboard.html"
    return render(request, template, context)
