"""Access to one ALIS doctor from a view, like Zulip's `access_*` helpers: the one place that
turns an id from the URL into a doctor the requesting user may see, or 404/403.

A doctor of another office is 404 (the row does not exist for this office); a doctor of the
office outside the user's municipalities is 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .models import Trainee
from .selectors import trainee_for_user, trainee_get


def access_trainee(request, trainee_id: int, perm: str = "trainee.view") -> Trainee:
    trainee = trainee_get(request.office, trainee_id)
    if not request.access.can(perm, trainee.municipality):
        raise PermissionDenied
    return trainee


def access_own_trainee(request) -> Trainee:
    """The requesting doctor's own record in this office; 404 when they have none here."""
    trainee = trainee_for_user(request.office, request.user)
    if trainee is None:
        raise Http404
    return trainee
