from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from accounts.access import office_permission

from .selectors import municipality_get


@office_permission("municipality.view")
def detail(request, office_slug, number):
    municipality = municipality_get(request.office, number)
    if not request.access.can("municipality.view", municipality):
        raise PermissionDenied
    return render(request, "municipalities/detail.html", {"municipality": municipality})
