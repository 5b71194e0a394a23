"""Sending the positions status survey through the outbox: one e-mail per municipal leader of
each participating municipality, pre-filled with what the office knows (keyed by survey and
municipality, so sending twice sends nothing twice)."""

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django_scopes import scope

from accounts.language import speaking
from accounts.models import Membership, Role
from positions.survey_services import status_survey_create, survey_positions

from .services import Reminder, reminder_queue


def _prefilled(office, municipality) -> str:
    lines = []
    for p in survey_positions(office, municipality):
        applicants = "?" if p.applicants is None else p.applicants
        lines.append(
            f"- {p.place_name}, {p.medical_office or _('uten legekontor')}: "
            f"{p.get_status_display()}, {applicants} søkere, {p.get_employment_form_display()}, "
            f"{p.get_scheme_display()}"
        )
    return "\n".join(lines)


@transaction.atomic
def status_survey_send(*, office, acting_user, period: str):
    """Create the survey round and queue its e-mails; returns (survey, e-mails queued)."""
    survey = status_survey_create(office=office, acting_user=acting_user, period=period)
    queued = 0
    with scope(office=office):
        answers = list(survey.answers.select_related("municipality"))
    for answer in answers:
        m = answer.municipality
        leaders = Membership.objects.filter(
            office=office,
            role=Role.MUNICIPAL_LEADER,
            municipality=m,
            is_active=True,
            user__is_active=True,
        ).select_related("user")
        link = reverse("survey_answer", args=[office.slug, survey.pk, m.number])
        for membership in leaders:
            with speaking(membership.user):
                body = _(
                    "%(office)s ber om status for ALIS-stillingene i %(municipality)s "
                    "(%(period)s). Dette er det kontoret vet:\n\n%(positions)s\n\nBekreft "
                    "eller rett opplysningene i ALIS-plattformen."
                ) % {
                    "office": office.name,
                    "municipality": m.name,
                    "period": period,
                    "positions": _prefilled(office, m),
                }
                subject = _("Status for ALIS-stillingene i %(municipality)s") % {
                    "municipality": m.name
                }
            row = reminder_queue(
                office=office,
                reminder=Reminder(
                    recipient=membership.user.email,
                    kind="status_survey",
                    subject_key=f"survey:{survey.pk}:{m.number}",
                    period=period,
                    subject=subject,
                    body=body,
                    link=link,
                    user_id=membership.user_id,
                    urgent=True,  # asked for by the office; not held in July
                ),
            )
            queued += row is not None
    return survey, queued
