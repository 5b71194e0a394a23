from django.shortcuts import render

from accounts.access import office_permission


@office_permission("plan.view_own")
def my_plan(request, office_slug):
    municipalities = [m.municipality for m in request.access.memberships if m.municipality_id]
    return render(request, "plans/my_plan.html", {"municipalities": municipalities})
