"""Writes for goal progress and sign-off (services: keyword-only, office + acting user, atomic)."""

import secrets
from datetime import date, timedelta
from functools import wraps

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_scopes import scope

from accounts.language import speaking
from accounts.models import User, hash_token
from goals.models import (
    ActivitySignoff,
    AdviceRole,
    DigestLink,
    GoalAdvice,
    GoalProgress,
    GoalStatus,
    LearningActivity,
)
from offices import clock
from trainees.models import SupervisorAssignment, SupervisorRole


def _in_office_scope(service):
    """Run a service inside its office's scope (tasks and tests call services directly)."""

    @wraps(service)
    def wrapped(*args, **kwargs):
        with scope(office=kwargs["office"]):
            return service(*args, **kwargs)

    return wrapped


# Digest links are sent daily; a month is plenty and limits what a forwarded mail can do.
DIGEST_LINK_DAYS = 30

OPEN_STATUSES = (GoalStatus.NOT_STARTED, GoalStatus.IN_PROGRESS, GoalStatus.RETURNED)


def _name(user) -> str:
    return user.get_full_name() or user.email


def supervisor_roles(trainee, user, on: date | None = None) -> set[str]:
    """The roles (veileder/supervisor) `user` holds for `trainee` today, via the assignments."""
    on = on or clock.today()
    rows = SupervisorAssignment.objects.filter(
        office_id=trainee.office_id, trainee=trainee, supervisor__user=user, start__lte=on
    ).exclude(end__lt=on)
    return set(rows.values_list("role", flat=True))


def _save(obj, acting_user, *, validate_constraints: bool = True) -> None:
    """Validate and save, recording the acting user in the history (also outside requests)."""
    obj._history_user = acting_user
    obj.full_clean(validate_constraints=validate_constraints)
    obj.save()


def _progress_for(office, trainee, goal) -> GoalProgress:
    progress, _created = GoalProgress.objects.select_for_update().get_or_create(
        office=office, trainee=trainee, goal=goal
    )
    return progress


@_in_office_scope
@transaction.atomic
def activity_record(
    *,
    office,
    acting_user,
    trainee,
    goals,
    kind: str,
    date: date,
    description: str,
    attachment=None,
) -> LearningActivity:
    """The doctor records an activity for one or more goals; those goals are now in progress."""
    if trainee.office_id != office.pk or trainee.user_id != acting_user.pk:
        raise PermissionDenied
    if not goals:
        raise ValidationError({"goals": _("Velg minst ett læringsmål.")})
    activity = LearningActivity(
        office=office,
        trainee=trainee,
        kind=kind,
        date=date,
        description=description,
        created_by=acting_user,
    )
    if attachment:
        activity.attachment = attachment
    _save(activity, acting_user)
    activity.goals.set(goals)
    for goal in goals:
        progress = _progress_for(office, trainee, goal)
        if progress.status == GoalStatus.NOT_STARTED:
            progress.status = GoalStatus.IN_PROGRESS
            _save(progress, acting_user)
    return activity


@_in_office_scope
@transaction.atomic
def goal_submit(*, office, acting_user, trainee, goal) -> GoalProgress:
    if trainee.office_id != office.pk or trainee.user_id != acting_user.pk:
        raise PermissionDenied
    progress = _progress_for(office, trainee, goal)
    if progress.status not in OPEN_STATUSES:
        raise ValidationError(_("Målet er allerede levert eller godkjent."))
    if not LearningActivity.objects.filter(office=office, trainee=trainee, goals=goal).exists():
        raise ValidationError(_("Registrer minst én læringsaktivitet før du leverer målet."))
    progress.status = GoalStatus.SUBMITTED
    progress.submission += 1
    progress.submitted_at = timezone.now()
    _save(progress, acting_user)
    return progress


@_in_office_scope
@transaction.atomic
def activities_sign(*, office, acting_user, activities, comment: str = "") -> list[ActivitySignoff]:
    """Bulk sign-off: all or nothing, and only for doctors the user supervises."""
    activities = list(activities)
    if not activities:
        raise ValidationError(_("Velg minst én aktivitet å signere."))
    signoffs = []
    for activity in activities:
        if activity.office_id != office.pk or not supervisor_roles(activity.trainee, acting_user):
            raise PermissionDenied
        signoff = ActivitySignoff(
            office=office,
            activity=activity,
            signed_by=acting_user,
            signed_by_name=_name(acting_user),
            comment=comment.strip(),
        )
        signoff.full_clean(validate_constraints=False)
        signoffs.append(signoff)
    already = set(
        ActivitySignoff.objects.filter(
            office=office, signed_by=acting_user, activity__in=activities
        ).values_list("activity_id", flat=True)
    )
    created = []
    for signoff in signoffs:
        if signoff.activity_id not in already:
            signoff._history_user = acting_user
            signoff.save()
            created.append(signoff)
    return created


@_in_office_scope
@transaction.atomic
def goal_advise(*, office, acting_user, progress, text: str, recommend: bool) -> GoalAdvice:
    if progress.office_id != office.pk:
        raise PermissionDenied
    roles = supervisor_roles(progress.trainee, acting_user)
    if not roles:
        raise PermissionDenied
    if progress.status != GoalStatus.SUBMITTED:
        raise ValidationError(_("Målet venter ikke på råd."))
    if not text.strip():
        raise ValidationError({"text": _("Skriv rådet ditt.")})
    role = AdviceRole.VEILEDER if SupervisorRole.VEILEDER in roles else AdviceRole.SUPERVISOR
    advice, _created = GoalAdvice.objects.update_or_create(
        office=office,
        progress=progress,
        submission=progress.submission,
        given_by=acting_user,
        role=role,
        defaults={
            "text": text.strip(),
            "recommend": recommend,
            "given_by_name": _name(acting_user),
        },
    )
    return advice


def missing_advice(progress, advice) -> list[str]:
    """What is missing before the leader may approve (domain rule: veileder + ≥ 1 supervisør)."""
    current = {a.role for a in advice if a.submission == progress.submission}
    missing = []
    if AdviceRole.VEILEDER not in current:
        missing.append(_("Råd fra veilederen"))
    if AdviceRole.SUPERVISOR not in current:
        missing.append(_("Råd fra minst én supervisør"))
    return missing


def _check_leader(office, access, progress) -> None:
    if progress.office_id != office.pk or not access.can(
        "progress.approve", progress.trainee.municipality
    ):
        raise PermissionDenied
    if progress.status != GoalStatus.SUBMITTED:
        raise ValidationError(_("Målet er ikke levert til godkjenning."))


@_in_office_scope
@transaction.atomic
def goal_approve(*, office, acting_user, access, progress) -> GoalProgress:
    progress = GoalProgress.objects.select_for_update().get(pk=progress.pk, office=office)
    _check_leader(office, access, progress)
    missing = missing_advice(progress, list(progress.advice.all()))
    if missing:
        raise ValidationError(_("Mangler før godkjenning: %s") % ", ".join(missing))
    progress.status = GoalStatus.APPROVED
    progress.decided_at = timezone.now()
    progress.decided_by = acting_user
    progress.decided_by_name = _name(acting_user)
    progress.return_reason = ""
    _save(progress, acting_user)
    return progress


@_in_office_scope
@transaction.atomic
def goal_return(*, office, acting_user, access, progress, reason: str) -> GoalProgress:
    progress = GoalProgress.objects.select_for_update().get(pk=progress.pk, office=office)
    _check_leader(office, access, progress)
    if not reason.strip():
        raise ValidationError({"reason": _("Skriv hvorfor målet returneres.")})
    progress.status = GoalStatus.RETURNED
    progress.return_reason = reason.strip()
    progress.decided_at = timezone.now()
    progress.decided_by = acting_user
    progress.decided_by_name = _name(acting_user)
    _save(progress, acting_user)
    return progress


# --- Supervisor digest --------------------------------------------------------------------


@_in_office_scope
@transaction.atomic
def digest_links_create(*, office, user, items) -> list[tuple[object, str]]:
    """One single-use link per waiting item; returns (item, link) pairs. Only hashes are stored."""
    from django.urls import reverse

    pairs = []
    for item in items:
        token = secrets.token_urlsafe(32)
        kind = (
            DigestLink.Kind.SIGN if isinstance(item, LearningActivity) else DigestLink.Kind.ADVISE
        )
        DigestLink.objects.create(
            office=office,
            user=user,
            token_hash=hash_token(token),
            kind=kind,
            activity=item if kind == DigestLink.Kind.SIGN else None,
            progress=item if kind == DigestLink.Kind.ADVISE else None,
        )
        path = reverse("progress_digest_link", args=[office.slug, token])
        pairs.append((item, settings.SITE_URL.rstrip("/") + path))
    return pairs


@_in_office_scope
def digest_link_check(*, office, acting_user, token: str, lock: bool = False) -> DigestLink:
    """The e-mail's link if it can still be used by this user; reads only (mail scanners open
    links before people do, so opening one changes nothing)."""
    links = DigestLink.objects.select_for_update() if lock else DigestLink.objects
    link = links.filter(office=office, token_hash=hash_token(token)).first()
    if link is None or link.user_id != acting_user.pk:
        raise ValidationError(_("Lenken er ugyldig eller gjelder en annen bruker."))
    if link.created_at < timezone.now() - timedelta(days=DIGEST_LINK_DAYS):
        raise ValidationError(_("Lenken er utløpt. Finn saken under «Til signering» i stedet."))
    if link.used_at is not None:
        raise ValidationError(
            _("Lenken er allerede brukt. Finn saken under «Til signering» i stedet.")
        )
    return link


@_in_office_scope
@transaction.atomic
def digest_link_use(*, office, acting_user, token: str) -> DigestLink:
    """Use the single-use link (the button on the page the link opens)."""
    link = digest_link_check(office=office, acting_user=acting_user, token=token, lock=True)
    link.used_at = timezone.now()
    link.save(update_fields=["used_at"])
    return link


@_in_office_scope
def supervisor_digest_send(*, office) -> int:
    """One e-mail per supervisor user with what waits for them, each item with its own
    single-use link. Returns the number of e-mails sent."""
    from django.core.mail import send_mail
    from django.template.loader import render_to_string

    from .selectors import supervisor_queue

    users = (
        SupervisorAssignment.objects.filter(office=office, supervisor__user__isnull=False)
        .exclude(end__lt=clock.today())
        .values_list("supervisor__user", flat=True)
        .distinct()
    )

    sent = 0
    for user in User.objects.filter(pk__in=set(users), is_active=True).order_by("pk"):
        queue = supervisor_queue(office, user)
        if not queue["activities"] and not queue["goals"]:
            continue
        with transaction.atomic():
            context = {
                "office": office,
                "user": user,
                "activities": digest_links_create(
                    office=office, user=user, items=queue["activities"]
                ),
                "goals": digest_links_create(office=office, user=user, items=queue["goals"]),
            }
        n = len(queue["activities"]) + len(queue["goals"])
        with speaking(user):
            subject = ngettext(
                "ALIS: %(n)s sak venter på deg", "ALIS: %(n)s saker venter på deg", n
            ) % {"n": n}
            message = render_to_string("goals/email/digest.txt", context)
        send_mail(
            subject=subject,
            message=message,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[user.email],
        )
        sent += 1
    return sent
