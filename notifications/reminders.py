"""What to remind whom about. Each rule looks at one office on one day and yields Reminders;
`run_sweep` writes them to the outbox, where the unique key makes every one go out once.

Rules are plain functions registered in RULES, so a new kind of reminder is one function.
"""

from collections.abc import Callable, Iterable
from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_scopes import scope

from accounts.language import speaking
from accounts.models import Membership
from agreements.formatting import format_kr
from agreements.models import Agreement, AgreementStatus
from events.notices import reminder_notices
from goals.models import GoalProgress, GoalStatus, LearningActivity
from grants.calculation import grant_year
from grants.models import Claim, Scheme, Settlement
from grants.selectors import overdue_invoices
from hospital.notices import reminder_notices as hospital_notices
from municipalities.models import EducationUnitRegistration, RegistrationStatus
from municipalities.selectors import months_before
from offices.dates import short_date
from offices.permissions import Role
from plans.models import PlanVersion
from plans.standing import standings
from trainees.models import SupervisorAssignment, Trainee, TraineeStatus

from .services import Reminder, reminder_queue, week_period
from .surveys import survey_reminders

Rule = Callable[[object, date], Iterable[Reminder]]
RULES: list[Rule] = []


def rule(fn: Rule) -> Rule:
    RULES.append(fn)
    return fn


def _members(office, roles, municipality_ids=None):
    qs = Membership.objects.filter(
        office=office, role__in=roles, is_active=True, user__is_active=True
    ).select_related("user")
    if municipality_ids is not None:
        qs = qs.filter(municipality_id__in=municipality_ids)
    return list(qs)


def _coordinators(office):
    return _members(office, [Role.COORDINATOR])


@rule
def registrations_pending(office, today: date) -> Iterable[Reminder]:
    """Education-unit registrations waiting more than 7 days: weekly, to the coordinators."""

    cutoff = timezone.make_aware(
        timezone.datetime.combine(today - timedelta(days=7), timezone.datetime.min.time())
    )
    waiting = list(
        EducationUnitRegistration.objects.filter(
            office=office,
            status=RegistrationStatus.PENDING,
            submitted_at__lt=cutoff,
        ).select_related("municipality")
    )
    for registration in waiting:
        days = (today - timezone.localtime(registration.submitted_at).date()).days
        link = reverse("unit_registration_detail", args=[office.slug, registration.pk])
        name = registration.municipality.name
        for m in _coordinators(office):
            with speaking(m.user):
                subject = _("Registrering venter: %(municipality)s") % {"municipality": name}
                body = ngettext(
                    "%(municipality)s sendte inn registrering som utdanningsvirksomhet for "
                    "%(days)s dag siden. Den venter på behandling.",
                    "%(municipality)s sendte inn registrering som utdanningsvirksomhet for "
                    "%(days)s dager siden. Den venter på behandling.",
                    days,
                ) % {"municipality": name, "days": days}
            yield Reminder(
                recipient=m.user.email,
                user_id=m.user_id,
                kind="registrering_venter",
                subject_key=f"registration:{registration.pk}",
                period=week_period(today),
                subject=subject,
                body=body,
                link=link,
            )


@rule
def agreements_ending(office, today: date) -> Iterable[Reminder]:
    """Signed ALIS agreements ending within 60 days: once, to the municipality's leaders."""

    ending = list(
        Agreement.objects.filter(
            office=office,
            status=AgreementStatus.SIGNED,
            end__gte=today,
            end__lte=today + timedelta(days=60),
        ).select_related("municipality", "trainee")
    )
    leaders = {}
    for m in _members(office, [Role.MUNICIPAL_LEADER], {a.municipality_id for a in ending}):
        leaders.setdefault(m.municipality_id, []).append(m)
    for agreement in ending:
        for m in leaders.get(agreement.municipality_id, []):
            with speaking(m.user):
                words = {
                    "name": agreement.trainee.full_name,
                    "municipality": agreement.municipality.name,
                    "end": short_date(agreement.end),
                }
                subject = _("ALIS-avtalen med %(name)s går ut %(end)s") % words
                body = (
                    _(
                        "ALIS-avtalen med %(name)s i %(municipality)s går ut %(end)s. "
                        "Vurder forlengelse eller ny avtale i god tid."
                    )
                    % words
                )
            yield Reminder(
                recipient=m.user.email,
                user_id=m.user_id,
                kind="avtale_utloper",
                subject_key=f"agreement:{agreement.pk}",
                period=f"slutt-{agreement.end}",
                subject=subject,
                body=body,
                link=reverse("agreement_detail", args=[office.slug, agreement.pk]),
            )


@rule
def grant_deadlines(office, today: date) -> Iterable[Reminder]:
    """The auditor's report for a grant year the office has claims in, 30 and 7 days before it
    is due (1 April the year after, as data on the scheme), until the year is reported: to the
    coordinators. Deadlines are urgent (they are sent in July too)."""

    for days in (30, 7):
        deadline = today + timedelta(days=days)
        for scheme in Scheme.objects.filter(
            report_due_month=deadline.month, report_due_day=deadline.day
        ):
            year_start, year_end = grant_year(
                scheme.year_start_month, date(deadline.year - 1, 12, 31)
            )
            if year_end.year != deadline.year - 1:
                year_start, year_end = grant_year(
                    scheme.year_start_month, year_start - timedelta(days=1)
                )
            claims = Claim.objects.filter(office=office, scheme=scheme, year_start=year_start)
            reported = Settlement.objects.filter(
                office=office, scheme=scheme, year_start=year_start
            ).exists()
            if reported or not claims.exists():
                continue
            for m in _coordinators(office):
                with speaking(m.user):
                    words = {
                        "scheme": scheme.name,
                        "deadline": short_date(deadline),
                        "start": short_date(year_start),
                        "end": short_date(year_end),
                        "days": days,
                    }
                    subject = _("Frist for revisorrapport for %(scheme)s: %(deadline)s") % words
                    body = (
                        _(
                            "Revisorrapporten for %(scheme)s, tilskuddsåret %(start)s–%(end)s, "
                            "skal sendes innen %(deadline)s, om %(days)s dager."
                        )
                        % words
                    )
                yield Reminder(
                    recipient=m.user.email,
                    user_id=m.user_id,
                    kind="frist_revisor",
                    subject_key=f"scheme:{scheme.pk}:{year_start:%Y}",
                    period=f"{deadline}-{days}d",
                    subject=subject,
                    body=body,
                    link=reverse(
                        "grant_settlement", args=[office.slug, scheme.pk, year_start.year]
                    ),
                    urgent=True,
                )


@rule
def share_invoices_overdue(office, today: date) -> Iterable[Reminder]:
    """Invoices for the municipal share past their due date and not paid: weekly, to the
    municipality's leaders and the office's coordinators."""

    overdue = list(overdue_invoices(office, today))
    leaders = _leaders_by_municipality(office, {i.municipality_id for i in overdue})
    coordinators = _coordinators(office)
    for invoice in overdue:
        days = (today - invoice.due_on).days
        for m in leaders.get(invoice.municipality_id, []) + coordinators:
            with speaking(m.user):
                words = {
                    "number": invoice.number,
                    "municipality": invoice.municipality.name,
                    "amount": format_kr(invoice.amount),
                    "due": short_date(invoice.due_on),
                    "days": days,
                }
                subject = _("Faktura %(number)s er forfalt") % words
                body = (
                    ngettext(
                        "Fakturaen for den kommunale andelen (%(municipality)s, %(amount)s) "
                        "forfalt %(due)s, for %(days)s dag siden, og er ikke registrert som "
                        "betalt. Merk innbetalingen med %(number)s.",
                        "Fakturaen for den kommunale andelen (%(municipality)s, %(amount)s) "
                        "forfalt %(due)s, for %(days)s dager siden, og er ikke registrert som "
                        "betalt. Merk innbetalingen med %(number)s.",
                        days,
                    )
                    % words
                )
            yield Reminder(
                recipient=m.user.email,
                user_id=m.user_id,
                kind="faktura_forfalt",
                subject_key=f"invoice:{invoice.pk}",
                period=week_period(today),
                subject=subject,
                body=body,
                link=reverse("grant_claim_detail", args=[office.slug, invoice.claim_id]),
                urgent=True,
            )


def _leaders_by_municipality(office, municipality_ids) -> dict[int, list]:
    leaders: dict[int, list] = {}
    for m in _members(office, [Role.MUNICIPAL_LEADER], municipality_ids):
        leaders.setdefault(m.municipality_id, []).append(m)
    return leaders


def _active_trainees(office):
    return Trainee.objects.filter(office=office, status=TraineeStatus.ACTIVE).select_related(
        "municipality", "user"
    )


@rule
def plans_missing_or_due(office, today: date) -> Iterable[Reminder]:
    """No individual plan 8 weeks after the start (weekly), or the last approved version is
    more than a year old (monthly): to the municipality's leaders."""

    trainees = list(_active_trainees(office))
    approved: dict[int, date] = {}
    has_plan: set[int] = set()
    for trainee_id, approved_at in PlanVersion.objects.filter(
        office=office, plan__trainee__in=trainees
    ).values_list("plan__trainee_id", "approved_at"):
        has_plan.add(trainee_id)
        if approved_at:
            day = timezone.localtime(approved_at).date()
            approved[trainee_id] = max(day, approved.get(trainee_id, day))
    leaders = _leaders_by_municipality(office, {t.municipality_id for t in trainees})
    for t in trainees:
        link = reverse("plan_detail", args=[office.slug, t.pk])
        if t.pk not in has_plan and t.specialisation_start <= today - timedelta(weeks=8):
            kind, period = "plan_mangler", week_period(today)
        elif t.pk in approved and approved[t.pk] <= months_ago(today, 12):
            kind, period = "plan_revisjon", f"{today:%Y-%m}"
        else:
            continue
        for m in leaders.get(t.municipality_id, []):
            with speaking(m.user):
                subject, body = _plan_text(kind, t, approved.get(t.pk))
            yield Reminder(
                recipient=m.user.email,
                user_id=m.user_id,
                kind=kind,
                subject_key=f"trainee:{t.pk}",
                period=period,
                subject=subject,
                body=body,
                link=link,
            )


def _plan_text(kind: str, t, approved: date | None) -> tuple[str, str]:
    if kind == "plan_mangler":
        return (
            _("Individuell utdanningsplan mangler for %(name)s") % {"name": t.full_name},
            _(
                "%(name)s startet i spesialisering %(start)s og har ennå ingen individuell "
                "utdanningsplan. Planen skal lages tidlig."
            )
            % {"name": t.full_name, "start": short_date(t.specialisation_start)},
        )
    return (
        _("Utdanningsplanen til %(name)s skal revideres") % {"name": t.full_name},
        _("Planen ble sist godkjent %(day)s. Den skal revideres minst én gang i året.")
        % {"day": short_date(approved)},
    )


def months_ago(day: date, months: int) -> date:
    return months_before(day, months)


@rule
def supervision_behind(office, today: date) -> Iterable[Reminder]:
    """Behind with individual supervision as the doctor's standing says (the hours so far below
    what the rule set asks for so far, `plans.standing`): to the doctor and the veileder; after
    a further month behind also to the leader; after another to the office (escalation,
    counted in consecutive calendar months behind). Once a month."""

    trainees = [
        t for t in _active_trainees(office) if t.specialisation_start <= months_ago(today, 3)
    ]
    if not trainees:
        return
    veiledere: dict[int, list] = {}
    for a in SupervisorAssignment.objects.filter(
        office=office,
        trainee__in=trainees,
        role="veileder",
        end__isnull=True,
        supervisor__user__isnull=False,
    ).select_related("supervisor__user"):
        veiledere.setdefault(a.trainee_id, []).append(a.supervisor.user)
    leaders = _leaders_by_municipality(office, {t.municipality_id for t in trainees})
    coordinators = [m.user for m in _coordinators(office)]
    current_standings = standings(trainees, today)
    for t in trainees:
        current = current_standings[t.pk]
        if not current.supervision_behind:
            continue
        behind = max(1, current.months_behind)
        recipients = [u for u in [t.user, *veiledere.get(t.pk, [])] if u]
        if behind >= 2:
            recipients += [m.user for m in leaders.get(t.municipality_id, [])]
        if behind >= 3:
            recipients += coordinators
        compliance = current.compliance
        for user in {u.pk: u for u in recipients}.values():
            with speaking(user):
                subject = _("Veiledningen til %(name)s ligger etter") % {"name": t.full_name}
                body = (
                    _(
                        "Individuell veiledning hittil: %(hours)s av %(required)s – ligger "
                        "%(shortfall)s etter."
                    )
                    % {
                        "hours": compliance.hours_text,
                        "required": compliance.required_text,
                        "shortfall": compliance.shortfall_text,
                    }
                    + " "
                    + ngettext(
                        "Det har ligget etter i %(n)s måned.",
                        "Det har ligget etter i %(n)s måneder på rad.",
                        behind,
                    )
                    % {"n": behind}
                )
            yield Reminder(
                recipient=user.email,
                user_id=user.pk,
                kind="veiledning_bak",
                subject_key=f"trainee:{t.pk}",
                period=f"{today:%Y-%m}",
                subject=subject,
                body=body,
                link=reverse("trainee_detail", args=[office.slug, t.pk]),
            )


@rule
def waiting_for_sign_off(office, today: date) -> Iterable[Reminder]:
    """Activities waiting for a supervisor more than 14 days (to the doctor's supervisors) and
    goals waiting for the leader more than 14 days (to the leaders). Weekly."""

    cutoff = timezone.now() - timedelta(days=14)
    activities = list(
        LearningActivity.objects.filter(
            office=office, signoffs__isnull=True, created_at__lt=cutoff
        ).values_list("trainee_id", flat=True)
    )
    counts: dict[int, int] = {}
    for trainee_id in activities:
        counts[trainee_id] = counts.get(trainee_id, 0) + 1
    for a in SupervisorAssignment.objects.filter(
        office=office, trainee_id__in=counts, end__isnull=True, supervisor__user__isnull=False
    ).select_related("supervisor__user", "trainee"):
        user = a.supervisor.user
        n = counts[a.trainee_id]
        with speaking(user):
            subject = ngettext(
                "%(n)s læringsaktivitet venter på signering",
                "%(n)s læringsaktiviteter venter på signering",
                n,
            ) % {"n": n}
            body = _(
                "%(name)s har læringsaktiviteter som har ventet på signering i mer enn 14 dager."
            ) % {"name": a.trainee.full_name}
        yield Reminder(
            recipient=user.email,
            user_id=user.pk,
            kind="aktiviteter_venter",
            subject_key=f"trainee:{a.trainee_id}",
            period=week_period(today),
            subject=subject,
            body=body,
            link=reverse("sign_queue", args=[office.slug]),
        )
    goals = list(
        GoalProgress.objects.filter(
            office=office, status=GoalStatus.SUBMITTED, submitted_at__lt=cutoff
        ).select_related("trainee", "goal")
    )
    leaders = _leaders_by_municipality(office, {g.trainee.municipality_id for g in goals})
    for g in goals:
        for m in leaders.get(g.trainee.municipality_id, []):
            with speaking(m.user):
                words = {
                    "code": g.goal.code,
                    "title": g.goal.title,
                    "name": g.trainee.full_name,
                    "day": short_date(g.submitted_at),
                }
                subject = _("%(code)s for %(name)s venter på godkjenning") % words
                body = (
                    _(
                        "Læringsmålet %(code)s %(title)s ble levert %(day)s og venter på din "
                        "godkjenning."
                    )
                    % words
                )
            yield Reminder(
                recipient=m.user.email,
                user_id=m.user_id,
                kind="maal_venter",
                subject_key=f"progress:{g.pk}",
                period=week_period(today),
                subject=subject,
                body=body,
                link=reverse("approval_detail", args=[office.slug, g.pk]),
            )


@rule
def event_reminders(office, today: date) -> Iterable[Reminder]:
    """Participants of an event starting tomorrow or the day after: once per sign-up."""
    for notice in reminder_notices(office, today):
        yield Reminder(**notice)


@rule
def hospital_reminders(office, today: date) -> Iterable[Reminder]:
    """The hospital period: requests pending with the trust, doctors near their latest start
    without a place, agreements with a trust about to end (hospital.notices)."""
    for notice in hospital_notices(office, today):
        yield Reminder(**notice)


@rule
def status_survey_unanswered(office, today: date) -> Iterable[Reminder]:
    """The positions status survey: weekly to the leaders of municipalities that have not
    answered the open round (notifications.surveys)."""
    yield from survey_reminders(office, today)


def run_sweep(*, office, today: date) -> int:
    """Queue today's reminders for one office. Returns how many new outbox rows were written."""
    written = 0
    with scope(office=office):
        for make in RULES:
            for reminder in make(office, today):
                if reminder_queue(office=office, reminder=reminder, today=today) is not None:
                    written += 1
    return written
