from django.shortcuts import render

from accounts.access import office_permission


@office_permission("supervision.view_own")
def supervisor_home(request, office_slug):
    municipalities = [m.municipality for m in request.access.memberships if m.municipality_id]
    return render(request, "trainees/supervisor_home.html", {"municipalities": municipalities})
