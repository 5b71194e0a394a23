"""Writes and reads for the status survey (sending it is in `notifications.surveys`, which may
use the outbox; this app may not)."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from municipalities.models import Municipality
from offices import clock

from .imports import status_path
from .models import ACTIVE_STATUSES, Position, Status
from .services import position_change_status, position_update
from .survey import StatusSurvey, SurveyAnswer

# What the leader confirms or corrects, per position.
ANSWER_FIELDS = (
    "applicants",
    "employment_form",
    "scheme",
    "group_supervision",
    "individual_supervisor",
    "individual_plan",
)


def survey_municipalities(office) -> list[Municipality]:
    """The municipalities with at least one position that is not ended (directly or in a
    cooperation): the ones that take part."""
    return list(
        Municipality.objects.filter(office=office, is_active=True)
        .filter(
            Q(alis_positions__office=office, alis_positions__status__in=ACTIVE_STATUSES)
            | Q(
                position_groups__positions__office=office,
                position_groups__positions__status__in=ACTIVE_STATUSES,
            )
        )
        .distinct()
        .order_by("name")
    )


def survey_positions(office, municipality) -> list[Position]:
    with scope(office=office):
        return list(
            Position.objects.filter(office=office)
            .filter(Q(municipality=municipality) | Q(group__municipalities=municipality))
            .exclude(status=Status.ENDED)
            .select_related("medical_office", "group", "municipality")
            .distinct()
            .order_by("pk")
        )


@transaction.atomic
def status_survey_create(*, office, acting_user, period: str) -> StatusSurvey:
    """A survey round with an (unanswered) answer row per participating municipality."""
    with scope(office=office):
        try:
            with transaction.atomic():
                survey = StatusSurvey.objects.create(
                    office=office, period=period, created_by=acting_user
                )
        except IntegrityError as error:
            raise ValidationError(
                _("Statusskjemaet for %(period)s er allerede sendt.") % {"period": period}
            ) from error
        SurveyAnswer.objects.bulk_create(
            SurveyAnswer(office=office, survey=survey, municipality=m)
            for m in survey_municipalities(office)
        )
    return survey


@dataclass(frozen=True)
class SurveyProgress:
    answered: int
    total: int


def survey_progress(survey: StatusSurvey) -> SurveyProgress:
    answers = survey.answers.all()
    return SurveyProgress(answered=sum(1 for a in answers if a.answered_at), total=len(answers))


@transaction.atomic
def survey_answer_submit(
    *, office, acting_user, answer: SurveyAnswer, positions: list[dict], note: str = ""
) -> SurveyAnswer:
    """Confirm or correct the municipality's positions: each item has `position`, `status`
    and the `ANSWER_FIELDS`. Changes are saved with the position's history; a status moves
    along the status machine step by step (a planned position reported filled goes through
    advertised), dated today."""
    today = clock.today()
    with scope(office=office):
        for item in positions:
            position = item["position"]
            changed = {f: item[f] for f in ANSWER_FIELDS if getattr(position, f) != item[f]}
            if changed:
                position = position_update(
                    office=office, acting_user=acting_user, position=position, **changed
                )
            if item["status"] != position.status:
                path = status_path(position.status, item["status"])
                if path is None:
                    raise ValidationError(
                        _("%(place)s: en stilling som er «%(old)s», kan ikke bli «%(new)s».")
                        % {
                            "place": position.place_name,
                            "old": position.get_status_display().lower(),
                            "new": Status(item["status"]).label.lower(),
                        }
                    )
                for status in path:
                    position = position_change_status(
                        office=office,
                        acting_user=acting_user,
                        position=position,
                        status=status,
                        on=max(today, position.status_date),
                        note=_("Fra statusskjema %(period)s") % {"period": answer.survey.period},
                    )
        answer.answered_at, answer.answered_by = timezone.now(), acting_user
        answer.note = note.strip()
        answer.save(update_fields=["answered_at", "answered_by", "note"])
    return answer


def survey_answer_get(office, survey_id: int, number: str) -> SurveyAnswer:
    """One municipality's answer to a survey of the office, or 404."""
    return get_object_or_404(
        SurveyAnswer.objects.filter(office=office).select_related("survey", "municipality"),
        survey_id=survey_id,
        municipality__number=number,
    )
