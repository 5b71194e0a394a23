from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from positions.survey import StatusSurvey

from .models import Outbox, Preference


def outbox_for_office(office, *, kind: str = "", recipient: str = "") -> QuerySet[Outbox]:
    qs = Outbox.objects.filter(office=office).defer("body")
    if kind:
        qs = qs.filter(kind=kind)
    if recipient:
        qs = qs.filter(recipient__icontains=recipient.strip())
    return qs


def weekly_digest_wanted(user) -> bool:
    return Preference.objects.filter(user=user, weekly_digest=True).exists()


def status_surveys(office) -> QuerySet[StatusSurvey]:
    return StatusSurvey.objects.filter(office=office).prefetch_related("answers__municipality")


def status_survey_get(office, survey_id: int) -> StatusSurvey:
    """One round of the office's status survey, or 404."""
    return get_object_or_404(
        StatusSurvey.objects.filter(office=office).select_related("office"), pk=survey_id
    )
