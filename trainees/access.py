"""Access to one ALIS doctor from a view, like Zulip's `access_*` helpers: the one place that
turns an id from the URL into a doctor the requesting user may see, or 404/403.

A doctor of another office is 404 (the row does not exist for this office); a doctor of the
office outside the user's municipalities is 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render

from .models import Trainee
from .selectors import (
    is_veileder_of,
    linkable_trainee,
    trainee_for_user,
    trainee_get,
    was_supervisor_of,
)


def access_trainee(request, trainee_id: int, perm: str = "trainee.view") -> Trainee:
    trainee = trainee_get(request.office, trainee_id)
    if not request.access.can(perm, trainee.municipality):
        raise PermissionDenied
    return trainee


def access_followed_trainee(request, trainee_id: int, perm: str = "trainee.view") -> Trainee:
    """A doctor the user follows: by municipality (`perm`: leaders and the office), or as the
    doctor's veileder or supervisør while the assignment lasts. Once it has ended the doctor is
    404 to them, as if the row did not exist; anyone else of the office gets 403."""
    trainee = trainee_get(request.office, trainee_id)
    if request.access.can(perm, trainee.municipality) or is_veileder_of(request.user, trainee):
        return trainee
    if was_supervisor_of(request.user, trainee):
        raise Http404
    raise PermissionDenied


def own_trainee_or_missing_page(request) -> tuple[Trainee | None, HttpResponse | None]:
    """The doctor's own record, or the clear "not registered yet" page (with the link button
    when a record with their e-mail waits), never a 404: for the doctor's own pages."""
    trainee = trainee_for_user(request.office, request.user)
    if trainee is not None:
        return trainee, None
    linkable = linkable_trainee(request.office, request.user)
    page = render(request, "trainees/my_record_missing.html", {"linkable": linkable})
    return None, page


def access_own_trainee(request) -> Trainee:
    """The requesting doctor's own record in this office; 404 when they have none here."""
    trainee = trainee_for_user(request.office, request.user)
    if trainee is None:
        raise Http404
    return trainee
