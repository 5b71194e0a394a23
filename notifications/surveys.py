"""Sending the positions status survey through the outbox: one e-mail per municipal leader of
each participating municipality, pre-filled with what the office knows (keyed by survey and
municipality, so sending twice sends nothing twice); weekly reminders to those who have not
answered (a rule of the morning sweep, run by beat); and the municipalities the e-mails could
not reach because they have no active municipal leader (the office sends them a letter)."""

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from accounts.language import speaking
from accounts.models import Membership, Role
from offices import clock
from offices.dates import short_date
from offices.pdf import render_pdf
from offices.spreadsheets import escape_row
from positions.survey import StatusSurvey, SurveyAnswer
from positions.survey_services import status_survey_create, survey_positions

from .models import Outbox
from .services import Reminder, reminder_queue, week_period

SURVEY_KIND = "status_survey"
SURVEY_REMINDER_KIND = "status_survey_purring"
# Reminders go weekly from a week after the round was sent, for as long as the round is open.
REMINDER_AFTER_DAYS = 7
ROUND_OPEN_DAYS = 42


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


def _subject_key(survey, municipality) -> str:
    return f"survey:{survey.pk}:{municipality.number}"


def _leaders(office, municipality_ids) -> dict[int, list[Membership]]:
    leaders: dict[int, list[Membership]] = {}
    for membership in Membership.objects.filter(
        office=office,
        role=Role.MUNICIPAL_LEADER,
        municipality_id__in=municipality_ids,
        is_active=True,
        user__is_active=True,
    ).select_related("user"):
        leaders.setdefault(membership.municipality_id, []).append(membership)
    return leaders


@dataclass(frozen=True)
class SurveySent:
    survey: StatusSurvey
    queued: int  # e-mails written to the outbox
    without_leader: list  # municipalities that got nothing: no active municipal leader


@transaction.atomic
def status_survey_send(*, office, acting_user, period: str) -> SurveySent:
    """Create the survey round and queue its e-mails."""
    survey = status_survey_create(office=office, acting_user=acting_user, period=period)
    queued = 0
    with scope(office=office):
        answers = list(survey.answers.select_related("municipality"))
    leaders = _leaders(office, [a.municipality_id for a in answers])
    without_leader = []
    for answer in answers:
        m = answer.municipality
        if not leaders.get(m.pk):
            without_leader.append(m)
            continue
        link = reverse("survey_answer", args=[office.slug, survey.pk, m.number])
        for membership in leaders[m.pk]:
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
                    kind=SURVEY_KIND,
                    subject_key=_subject_key(survey, m),
                    period=period,
                    subject=subject,
                    body=body,
                    link=link,
                    user_id=membership.user_id,
                    urgent=True,  # asked for by the office; not held in July
                ),
            )
            queued += row is not None
    return SurveySent(survey=survey, queued=queued, without_leader=without_leader)


def open_round(office, today: date) -> StatusSurvey | None:
    """The office's newest round while it is open (a newer round replaces an older one)."""
    newest = StatusSurvey.objects.filter(office=office).order_by("-created_at", "-pk").first()
    if newest is None:
        return None
    if timezone.localtime(newest.created_at).date() < today - timedelta(days=ROUND_OPEN_DAYS):
        return None
    return newest


def survey_reminders(office, today: date) -> Iterable[Reminder]:
    """The open round's municipalities that have not answered, a week or more after it was
    sent: weekly, to their active municipal leaders (also a leader who joined after it was
    sent). Registered as a rule of the morning sweep (`notifications.reminders`)."""
    survey = open_round(office, today)
    if survey is None:
        return
    sent_on = timezone.localtime(survey.created_at).date()
    if today < sent_on + timedelta(days=REMINDER_AFTER_DAYS):
        return
    waiting = list(
        SurveyAnswer.objects.filter(
            office=office, survey=survey, answered_at__isnull=True
        ).select_related("municipality")
    )
    leaders = _leaders(office, [a.municipality_id for a in waiting])
    closes = sent_on + timedelta(days=ROUND_OPEN_DAYS)
    for answer in waiting:
        m = answer.municipality
        for membership in leaders.get(m.pk, []):
            with speaking(membership.user):
                subject = _("Påminnelse: status for ALIS-stillingene i %(municipality)s") % {
                    "municipality": m.name
                }
                body = _(
                    "%(office)s ba %(sent)s om status for ALIS-stillingene i %(municipality)s "
                    "(%(period)s), og har ikke fått svar ennå. Bekreft eller rett opplysningene "
                    "i ALIS-plattformen innen %(closes)s."
                ) % {
                    "office": office.name,
                    "sent": short_date(sent_on),
                    "municipality": m.name,
                    "period": survey.period,
                    "closes": short_date(closes),
                }
            yield Reminder(
                recipient=membership.user.email,
                user_id=membership.user_id,
                kind=SURVEY_REMINDER_KIND,
                subject_key=_subject_key(survey, m),
                period=week_period(today),
                subject=subject,
                body=body,
                link=reverse("survey_answer", args=[office.slug, survey.pk, m.number]),
                urgent=True,  # asked for by the office, as the survey itself
            )


def unreached_answers(survey: StatusSurvey) -> list[SurveyAnswer]:
    """The round's unanswered municipalities that no e-mail (survey or reminder) has gone to:
    they had no active municipal leader. The office reaches them by letter (or registers the
    answer it gets by telephone)."""
    with scope(office=survey.office):
        reached = set(
            Outbox.objects.filter(
                office=survey.office,
                kind__in=[SURVEY_KIND, SURVEY_REMINDER_KIND],
                subject_key__startswith=f"survey:{survey.pk}:",
            ).values_list("subject_key", flat=True)
        )
        return [
            answer
            for answer in survey.answers.all()
            if not answer.answered_at and _subject_key(survey, answer.municipality) not in reached
        ]


@dataclass(frozen=True)
class Letter:
    answer: SurveyAnswer
    positions: list


def survey_letters(survey: StatusSurvey, answers: list[SurveyAnswer]) -> list[Letter]:
    return [Letter(a, survey_positions(survey.office, a.municipality)) for a in answers]


def survey_letters_pdf(survey: StatusSurvey, answers: list[SurveyAnswer]) -> bytes:
    """One letter per municipality (a page each): what the office knows about its positions,
    with room to correct it, and how to answer."""
    html = render_to_string(
        "notifications/survey_letters_pdf.html",
        {
            "survey": survey,
            "office": survey.office,
            "letters": survey_letters(survey, answers),
            "today": clock.today(),
            "site_url": settings.SITE_URL.rstrip("/"),
        },
    )
    return render_pdf(html)


def unreached_csv(survey: StatusSurvey, answers: list[SurveyAnswer]) -> bytes:
    """The municipalities without a leader as a list (semicolon CSV with BOM, as Excel in Norway
    expects): number, name, and the positions the office knows of."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([_("Kommunenr."), _("Kommune"), _("Aktive ALIS-stillinger"), _("Runde")])
    for letter in survey_letters(survey, answers):
        m = letter.answer.municipality
        writer.writerow(escape_row([m.number, m.name, len(letter.positions), survey.period]))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
