"""What to remind whom about. Each rule looks at one office on one day and yields Reminders;
`run_sweep` writes them to the outbox, where the unique key makes every one go out once.

Rules are plain functions registered in RULES, so a new kind of reminder is one function.
"""

from collections.abc import Callable, Iterable
from datetime import date, timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from accounts.models import Membership, Role

from .services import Reminder, reminder_queue, week_period

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
    from municipalities.models import EducationUnitRegistration, RegistrationStatus

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
        for m in _coordinators(office):
            yield Reminder(
                recipient=m.user.email,
                user_id=m.user_id,
                kind="registrering_venter",
                subject_key=f"registration:{registration.pk}",
                period=week_period(today),
                subject=f"Registrering venter: {registration.municipality.name}",
                body=(
                    f"{registration.municipality.name} sendte inn registrering som "
                    f"utdanningsvirksomhet for {days} dager siden. Den venter på "
                    "behandling."
                ),
                link=link,
            )


@rule
def agreements_ending(office, today: date) -> Iterable[Reminder]:
    """Signed ALIS agreements ending within 60 days: once, to the municipality's leaders."""
    from agreements.models import Agreement, AgreementStatus

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
            yield Reminder(
                recipient=m.user.email,
                user_id=m.user_id,
                kind="avtale_utloper",
                subject_key=f"agreement:{agreement.pk}",
                period=f"slutt-{agreement.end}",
                subject=f"ALIS-avtalen med {agreement.trainee.full_name} går ut "
                f"{agreement.end:%d.%m.%Y}",
                body=(
                    f"ALIS-avtalen med {agreement.trainee.full_name} i "
                    f"{agreement.municipality.name} går ut {agreement.end:%d.%m.%Y}. "
                    "Vurder forlengelse eller ny avtale i god tid."
                ),
                link=reverse("agreement_detail", args=[office.slug, agreement.pk]),
            )


@rule
def grant_deadlines(office, today: date) -> Iterable[Reminder]:
    """Grant application and auditor-report deadlines, 30 and 7 days before: to coordinators
    and to the leaders of municipalities with signed agreements. Deadlines are urgent (they
    are sent in July too)."""
    from agreements.models import Agreement, AgreementStatus, GrantScheme

    targets = [today + timedelta(days=30), today + timedelta(days=7)]
    schemes = list(
        GrantScheme.objects.filter(
            Q(application_deadline__in=targets) | Q(auditor_report_deadline__in=targets)
        )
    )
    if not schemes:
        return
    municipality_ids = set(
        Agreement.objects.filter(office=office, status=AgreementStatus.SIGNED).values_list(
            "municipality_id", flat=True
        )
    )
    recipients = _coordinators(office) + _members(office, [Role.MUNICIPAL_LEADER], municipality_ids)
    for scheme in schemes:
        for label, deadline, kind in (
            ("Søknadsfrist", scheme.application_deadline, "frist_soknad"),
            ("Frist for revisorrapport", scheme.auditor_report_deadline, "frist_revisor"),
        ):
            if deadline not in targets:
                continue
            days = (deadline - today).days
            for m in recipients:
                yield Reminder(
                    recipient=m.user.email,
                    user_id=m.user_id,
                    kind=kind,
                    subject_key=f"scheme:{scheme.pk}",
                    period=f"{deadline}-{days}d",
                    subject=f"{label} for {scheme.name}: {deadline:%d.%m.%Y}",
                    body=f"{label} for {scheme.name} er {deadline:%d.%m.%Y}, om {days} dager.",
                    link=reverse("grant_overview", args=[office.slug]),
                    urgent=True,
                )


def run_sweep(*, office, today: date) -> int:
    """Queue today's reminders for one office. Returns how many new outbox rows were written."""
    written = 0
    with scope(office=office):
        for make in RULES:
            for reminder in make(office, today):
                if reminder_queue(office=office, reminder=reminder, today=today) is not None:
                    written += 1
    return written
