"""Writes for events: the catalogue, events, sign-ups with a waiting list, attendance, evaluation.

Places are never overbooked: every write that can take or free a place first locks the event's
row (`select_for_update`), so concurrent sign-ups for the same event queue up and each counts the
places held after the previous one committed.
"""

import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from accounts.language import speaking
from goals.models import GoalProgress, GoalStatus, LearningActivity
from offices.dates import short_date
from offices.numbers import format_decimal
from trainees.models import CourseRecord, Supervisor, Trainee
from trainees.services import supervisor_save

from .models import (
    ACTIVE,
    HOLDS_PLACE,
    Activity,
    ActivityKind,
    CalendarFeed,
    EvaluationAnswer,
    Event,
    Payer,
    Signup,
    SignupStatus,
)
from .signals import notice

# How long a place offered from the waiting list is kept for the person (never past the start).
OFFER_HOURS = 48
VERIFY_SALT = "events.signup.verify"
MANAGE_SALT = "events.signup.manage"
VERIFY_MAX_AGE = 2 * 24 * 3600


def _local(moment: datetime) -> str:
    return _("%(day)s kl. %(time)s") % {
        "day": short_date(moment),
        "time": f"{timezone.localtime(moment):%H.%M}",
    }


def _full_clean_save(obj, **kwargs) -> None:
    obj.full_clean(**kwargs)
    obj.save()


# --- Catalogue and events -------------------------------------------------------------------------


@transaction.atomic
def activity_save(
    *,
    office,
    acting_user,
    activity: Activity | None = None,
    goals: Iterable = (),
    **data,
) -> Activity:
    """Create (activity=None) or change an entry of the office's catalogue."""
    activity = activity or Activity(office=office)
    if activity.office_id != office.pk:
        raise PermissionDenied
    for name, value in data.items():
        setattr(activity, name, value)
    with scope(office=office):
        _full_clean_save(activity)
        activity.goals.set(list(goals))
    return activity


@transaction.atomic
def activity_copy(*, office, acting_user, activity: Activity) -> Activity:
    """Copy a national (or the office's own) template into the office's catalogue."""
    if not (activity.is_national or activity.office_id == office.pk):
        raise PermissionDenied
    copy = Activity(
        office=office,
        title=activity.title,
        kind=activity.kind,
        course_kind=activity.course_kind,
        hours=activity.hours,
        audience=list(activity.audience),
        programme=activity.programme,
        learning_outcomes=activity.learning_outcomes,
        evaluation_questions=activity.evaluation_questions,
        copied_from=activity,
    )
    with scope(office=office):
        _full_clean_save(copy)
        # Cross-office read: the goals of a national template (reference data, not personal).
        with scopes_disabled():
            goals = list(activity.goals.all())
        copy.goals.set(goals)
    return copy


def event_errors(event: Event) -> dict:
    """The checks an event must pass, whether created or changed (beyond the model's own)."""
    errors = {}
    if event.ends_at and event.starts_at and event.ends_at < event.starts_at:
        errors["ends_at"] = _("Slutten kan ikke være før starten.")
    if event.signup_deadline and event.starts_at and event.signup_deadline > event.starts_at:
        errors["signup_deadline"] = _("Påmeldingsfristen må være før arrangementet starter.")
    if event.cancel_deadline and event.starts_at and event.cancel_deadline > event.starts_at:
        errors["cancel_deadline"] = _("Avmeldingsfristen må være før arrangementet starter.")
    if event.payer == Payer.FREE and event.price:
        errors["price"] = _(
            "Et gratis arrangement har ingen pris. Fjern prisen, eller velg hvem som betaler."
        )
    return errors


@transaction.atomic
def event_create(
    *,
    office,
    acting_user,
    activity: Activity,
    co_offices: Iterable = (),
    **data,
) -> Event:
    if not (activity.is_national or activity.office_id == office.pk):
        raise PermissionDenied
    event = Event(office=office, activity=activity, created_by=acting_user, **data)
    if not event.title:
        event.title = activity.title
    errors = event_errors(event)
    if errors:
        raise ValidationError(errors)
    with scope(office=office):
        _full_clean_save(event)
        event.co_offices.set([o for o in co_offices if o.pk != office.pk])
    return event


# What the participants are told about when it changes (and their calendars updated).
NOTIFIED_FIELDS = (
    "title",
    "starts_at",
    "ends_at",
    "place",
    "online_url",
    "signup_deadline",
    "cancel_deadline",
    "price",
    "payer",
)


def _changes_text(old: dict, event: Event) -> str:
    labels = {
        "title": _("Tittel"),
        "starts_at": _("Starter"),
        "ends_at": _("Slutter"),
        "place": _("Sted"),
        "online_url": _("Lenke til nettmøte"),
        "signup_deadline": _("Påmeldingsfrist"),
        "cancel_deadline": _("Frist for avmelding"),
        "price": _("Pris (kr)"),
        "payer": _("Hvem betaler"),
    }

    def shown(name, value):
        if isinstance(value, datetime):
            return _local(value)
        if name == "payer":
            return str(Payer(value).label) if value in Payer.values else value
        if isinstance(value, Decimal):
            return format_decimal(value, 2)
        return value or "–"

    return "\n".join(
        f"{labels[name]}: {shown(name, old[name])} → {shown(name, getattr(event, name))}"
        for name in NOTIFIED_FIELDS
        if old[name] != getattr(event, name)
    )


@transaction.atomic
def event_update(
    *, office, acting_user, event: Event, co_offices: Iterable = (), now=None, **data
) -> tuple[Event, int]:
    """The organiser office changes its event, with the same checks as when it was made. The
    places cannot go below those already taken; more places go to the waiting list. Those
    signed up (with a place, offered one or waiting) are told what changed, with the updated
    calendar entry. Returns the event and how many were told."""
    now = now or timezone.now()
    if event.office_id != office.pk:
        raise PermissionDenied
    event = _lock(event)
    old = {name: getattr(event, name) for name in NOTIFIED_FIELDS}
    data.pop("activity", None)  # the activity (and so what attendance records) stays
    for name, value in data.items():
        setattr(event, name, value)
    if not event.title:
        event.title = event.activity.title
    errors = event_errors(event)
    held = _held(event)
    if event.capacity is not None and event.capacity < held:
        errors["capacity"] = _(
            "%(n)s plasser er allerede tatt; antall plasser kan ikke bli lavere enn det."
        ) % {"n": held}
    if errors:
        raise ValidationError(errors)
    changes = _changes_text(old, event)
    if changes:
        event.sequence += 1
    with scope(office=office):
        _full_clean_save(event)
        event.co_offices.set([o for o in co_offices if o.pk != office.pk])
    _refresh_places(event, now)
    told = 0
    if changes:
        with scopes_disabled():
            signups = list(
                Signup.objects.filter(
                    event=event,
                    status__in=[
                        SignupStatus.CONFIRMED,
                        SignupStatus.OFFERED,
                        SignupStatus.WAITING,
                    ],
                ).select_related("office", "event")
            )
        for signup in signups:
            with scope(office=signup.office):
                _notify(
                    signup,
                    "arr_endret",
                    _("Endret: %(title)s") % {"title": event.title},
                    _("%(office)s har endret %(title)s:\n\n%(changes)s\n\nDu er %(status)s.")
                    % {
                        "office": office.name,
                        "title": event.title,
                        "changes": changes,
                        "status": signup.get_status_display().lower(),
                    },
                    period=f"endring-{event.sequence}",
                )
            told += 1
    return event, told


# --- Notices (e-mail through the outbox, see signals.py) ------------------------------------------


def manage_token(signup: Signup) -> str:
    return signing.dumps(signup.pk, salt=MANAGE_SALT)


def signup_link(signup: Signup) -> str:
    """Where the participant follows up: their office's event page, or (without an account)
    the personal page behind a signed link."""
    if signup.user_id:
        return reverse("event_detail", args=[signup.office.slug, signup.event_id])
    return reverse("event_public_manage", args=[manage_token(signup)])


def _notify(signup: Signup, kind: str, subject: str, body: str, *, link: str = "", period="-"):
    notice.send(
        sender=Signup,
        office=signup.office,
        notice={
            "recipient": signup.email,
            "kind": kind,
            "subject_key": f"signup:{signup.pk}",
            "period": period,
            "subject": subject,
            "body": body,
            "link": link or signup_link(signup),
            "user_id": signup.user_id,
            "urgent": True,
        },
    )


def event_text(event: Event) -> str:
    where = event.place or event.online_url or _("sted kommer")
    return _("%(title)s, %(when)s, %(where)s.") % {
        "title": event.title,
        "when": _local(event.starts_at),
        "where": where,
    }


def _notify_status(signup: Signup) -> None:
    """The notice about a sign-up's new status, in the participant's language."""
    with speaking(signup.user if signup.user_id else None, email=signup.email):
        _notify_status_text(signup)


def _notify_status_text(signup: Signup) -> None:
    event = signup.event
    if signup.status == SignupStatus.CONFIRMED:
        _notify(
            signup,
            "arr_pameldt",
            _("Påmeldt: %(title)s") % {"title": event.title},
            _("Du er påmeldt %(event)s Kalenderoppføring ligger ved. Avmeldingsfrist: %(d)s.")
            % {"event": event_text(event), "d": _local(event.cancel_deadline)},
        )
    elif signup.status == SignupStatus.WAITING:
        _notify(
            signup,
            "arr_venteliste",
            _("Venteliste: %(title)s") % {"title": event.title},
            _(
                "Arrangementet er fullt, og du står på venteliste til %(event)s Blir en plass "
                "ledig, får du tilbud om den på e-post."
            )
            % {"event": event_text(event)},
        )
    elif signup.status == SignupStatus.OFFERED:
        _notify(
            signup,
            "arr_tilbud",
            _("Ledig plass til deg: %(title)s") % {"title": event.title},
            _(
                "En plass er blitt ledig på %(event)s Takk ja innen %(d)s, ellers går "
                "plassen videre."
            )
            % {"event": event_text(event), "d": _local(signup.offered_until)},
        )


# --- Places and the waiting list ------------------------------------------------------------------


def _lock(event: Event) -> Event:
    """Lock the event's row for the rest of the transaction (the guard against overbooking)."""
    # The organiser's row; participants of a joint event may be of another office.
    with scopes_disabled():
        return Event.objects.select_for_update().select_related("activity").get(pk=event.pk)


def _held(event: Event) -> int:
    # Cross-office count: places are shared by all offices' participants.
    with scopes_disabled():
        return Signup.objects.filter(event=event, status__in=HOLDS_PLACE).count()


def _expire_offers(event: Event, now: datetime) -> None:
    with scopes_disabled():
        stale = list(
            Signup.objects.filter(
                event=event, status=SignupStatus.OFFERED, offered_until__lt=now
            ).select_related("office")
        )
    for signup in stale:
        signup.status = SignupStatus.EXPIRED
        signup.save(update_fields=["status"])


def _offer_free_places(event: Event, now: datetime) -> list[Signup]:
    """Offer each free place to the next person on the waiting list (first come, first served)."""
    offered = []
    free = event.capacity - _held(event)
    if free <= 0 or now >= event.starts_at:
        return offered
    with scopes_disabled():
        waiting = list(
            Signup.objects.filter(event=event, status=SignupStatus.WAITING)
            .select_related("office", "event")
            .order_by("created_at", "pk")[:free]
        )
    for signup in waiting:
        signup.status = SignupStatus.OFFERED
        signup.offered_until = min(now + timedelta(hours=OFFER_HOURS), event.starts_at)
        signup.save(update_fields=["status", "offered_until"])
        _notify_status(signup)
        offered.append(signup)
    return offered


def _refresh_places(event: Event, now: datetime) -> None:
    _expire_offers(event, now)
    _offer_free_places(event, now)


@transaction.atomic
def offers_expire(*, event: Event, now: datetime | None = None) -> None:
    """Let offers past their time go, and offer the places to the next on the list."""
    now = now or timezone.now()
    _refresh_places(_lock(event), now)


def _place(signup: Signup, event: Event, now: datetime) -> None:
    """Give the sign-up a place, or put it on the waiting list. The caller holds the lock."""
    _refresh_places(event, now)
    has_queue = _held(event) >= event.capacity
    signup.status = SignupStatus.WAITING if has_queue else SignupStatus.CONFIRMED


def _check_open(event: Event, now: datetime) -> None:
    if now > event.signup_deadline:
        raise ValidationError(_("Påmeldingsfristen har gått ut."))


def _save_signup(signup: Signup) -> Signup:
    try:
        with transaction.atomic():
            signup.full_clean(validate_constraints=False)
            signup.save()
    except IntegrityError as exc:
        raise ValidationError(
            {
                "email": _("%(email)s er allerede påmeldt dette arrangementet.")
                % {"email": signup.email}
            }
        ) from exc
    return signup


@transaction.atomic
def signup_create(
    *,
    office,
    acting_user,
    event: Event,
    user=None,
    trainee: Trainee | None = None,
    name: str = "",
    email: str = "",
    now: datetime | None = None,
) -> Signup:
    """Sign up a person of `office`: the acting user themself, or (by a leader or the office)
    a doctor. A place when one is free, the waiting list otherwise."""
    now = now or timezone.now()
    if trainee is None and user is not None:
        # A doctor signing up themself: their record, so attendance becomes their course.
        with scope(office=office):
            trainee = Trainee.objects.filter(office=office, user=user).first()
    if trainee is not None:
        if trainee.office_id != office.pk:
            raise PermissionDenied
        user = trainee.user
        name = name or trainee.full_name
        email = email or trainee.email
    if user is not None:
        name = name or user.get_full_name() or user.email
        email = email or user.email
    locked = _lock(event)
    _check_open(locked, now)
    signup = Signup(
        office=office,
        event=locked,
        user=user,
        trainee=trainee,
        name=name,
        email=email,
        signed_up_by=acting_user,
    )
    _place(signup, locked, now)
    with scope(office=office):
        _save_signup(signup)
        _notify_status(signup)
    return signup


@transaction.atomic
def signup_public(*, office, event: Event, name: str, email: str, now=None) -> Signup:
    """A person without an account signs up on the office's public page. Nothing is held until
    they confirm their e-mail address through the signed link we send."""
    now = now or timezone.now()
    if not (event.is_public and event.office_id == office.pk):
        raise PermissionDenied
    _check_open(event, now)
    signup = Signup(
        office=office, event=event, name=name, email=email, status=SignupStatus.UNVERIFIED
    )
    with scope(office=office):
        _save_signup(signup)
        token = signing.dumps(signup.pk, salt=VERIFY_SALT)
        _notify(
            signup,
            "arr_bekreft_epost",
            _("Bekreft påmeldingen til %(title)s") % {"title": event.title},
            _(
                "Du (eller noen med din e-postadresse) har meldt deg på %(event)s Åpne lenken "
                "innen to døgn for å bekrefte. Uten bekreftelse blir påmeldingen ikke registrert."
            )
            % {"event": event_text(event)},
            link=reverse("event_public_verify", args=[token]),
        )
    return signup


@transaction.atomic
def signup_verify(*, token: str, now=None) -> Signup:
    """The e-mail address is confirmed: now the sign-up takes a place or joins the list."""
    now = now or timezone.now()
    try:
        pk = signing.loads(token, salt=VERIFY_SALT, max_age=VERIFY_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise ValidationError(_("Lenken er for gammel. Meld deg på på nytt.")) from exc
    except signing.BadSignature as exc:
        raise ValidationError(_("Lenken er ikke gyldig.")) from exc
    with scopes_disabled():
        signup = Signup.objects.select_related("office").filter(pk=pk).first()
    if signup is None:
        raise ValidationError(_("Lenken er ikke gyldig."))
    if signup.status != SignupStatus.UNVERIFIED:
        return signup  # the link was opened twice: nothing more to do
    event = _lock(signup.event)
    _check_open(event, now)
    signup.event = event
    _place(signup, event, now)
    with scope(office=signup.office):
        signup.save(update_fields=["status"])
        _notify_status(signup)
    return signup


def signup_may_act_for(access, acting_user, signup: Signup) -> bool:
    """Whether the user may cancel the sign-up: their own, the organiser's, or a leader's for
    a doctor of their municipality (the confirmation page asks the same before it shows)."""
    if signup.user_id and signup.user_id == acting_user.pk:
        return True
    if access is None:
        return False
    if access.can("event.manage"):
        return True
    municipality = signup.trainee.municipality if signup.trainee_id else None
    return municipality is not None and access.can("event.signup_others", municipality)


@transaction.atomic
def signup_cancel(*, signup: Signup, acting_user=None, access=None, now=None) -> Signup:
    """Cancel up to the cancellation deadline; a freed place is offered to the waiting list."""
    now = now or timezone.now()
    if acting_user is not None and not signup_may_act_for(access, acting_user, signup):
        raise PermissionDenied
    event = _lock(signup.event)
    if signup.status not in ACTIVE:
        raise ValidationError(_("Påmeldingen er allerede avsluttet."))
    if signup.status in HOLDS_PLACE and now > event.cancel_deadline:
        raise ValidationError(
            _("Avmeldingsfristen gikk ut %(d)s. Kontakt arrangøren.")
            % {"d": _local(event.cancel_deadline)}
        )
    signup.status = SignupStatus.CANCELLED
    signup.offered_until = None
    with scope(office=signup.office):
        signup.save(update_fields=["status", "offered_until"])
    _refresh_places(event, now)
    return signup


@transaction.atomic
def offer_accept(*, signup: Signup, acting_user=None, now=None) -> Signup:
    now = now or timezone.now()
    if acting_user is not None and signup.user_id != acting_user.pk:
        raise PermissionDenied
    event = _lock(signup.event)
    _expire_offers(event, now)
    signup.refresh_from_db(fields=["status", "offered_until"])
    if signup.status != SignupStatus.OFFERED:
        raise ValidationError(_("Tilbudet gjelder ikke lenger."))
    signup.status = SignupStatus.CONFIRMED
    signup.offered_until = None
    with scope(office=signup.office):
        signup.save(update_fields=["status", "offered_until"])
        signup.event = event
        _notify_status(signup)
    _offer_free_places(event, now)
    return signup


# --- Attendance -----------------------------------------------------------------------------------


def _goal_activity(signup: Signup, event: Event, acting_user) -> LearningActivity | None:
    goals = list(event.activity.goals.all())
    if not goals or signup.trainee is None:
        return None
    activity = LearningActivity(
        office=signup.office,
        trainee=signup.trainee,
        kind="kurs",
        date=timezone.localdate(event.ends_at),
        description=_("Deltok på %(title)s (%(hours)s t).")
        % {"title": event.title, "hours": event.activity.hours},
        created_by=acting_user,
    )
    activity.full_clean()
    activity.save()
    activity.goals.set(goals)
    for goal in goals:
        progress, _created = GoalProgress.objects.select_for_update().get_or_create(
            office=signup.office, trainee=signup.trainee, goal=goal
        )
        if progress.status == GoalStatus.NOT_STARTED:
            progress.status = GoalStatus.IN_PROGRESS
            progress.save(update_fields=["status"])
    return activity


def _course_record(signup: Signup, event: Event, acting_user) -> CourseRecord | None:
    kind = event.activity.course_kind
    if not kind or signup.trainee is None:
        return None
    record = CourseRecord(
        office=signup.office,
        trainee=signup.trainee,
        kind=kind,
        title=event.title,
        hours=event.activity.hours,
        completed_on=timezone.localdate(event.ends_at),
        created_by=acting_user,
    )
    record.full_clean(exclude=["created_by"])  # None when the demo or a task records it
    record.save()
    return record


def _supervisor_qualified(signup: Signup, event: Event, acting_user) -> Supervisor | None:
    if event.activity.kind != ActivityKind.SUPERVISOR_TRAINING:
        return None
    matches = Supervisor.objects.filter(office=signup.office)
    supervisor = (
        matches.filter(user_id=signup.user_id).first() if signup.user_id else None
    ) or matches.filter(email__iexact=signup.email).first()
    if supervisor is None:
        return None
    done = timezone.localdate(event.ends_at)
    if supervisor.course_completed is None or supervisor.course_completed < done:
        supervisor_save(
            office=signup.office,
            acting_user=acting_user,
            supervisor=supervisor,
            municipalities=list(supervisor.municipalities.all()),
            course_completed=done,
        )
    return supervisor


def _attendance_effects(signup: Signup, event: Event, acting_user) -> None:
    """Attended: the course record, the goal activity and the supervisor's qualification,
    each written once. Not attended (after all): the records made from it go again."""
    with scope(office=signup.office):
        if signup.attended:
            if signup.course_record_id is None:
                signup.course_record = _course_record(signup, event, acting_user)
            if signup.learning_activity_id is None:
                signup.learning_activity = _goal_activity(signup, event, acting_user)
            if signup.qualified_supervisor_id is None:
                signup.qualified_supervisor = _supervisor_qualified(signup, event, acting_user)
        else:
            if signup.course_record_id:
                signup.course_record.delete()
                signup.course_record = None
            if signup.learning_activity_id:
                signup.learning_activity.delete()
                signup.learning_activity = None
        signup.save(
            update_fields=["attended", "course_record", "learning_activity", "qualified_supervisor"]
        )


@transaction.atomic
def attendance_record(
    *, office, acting_user, event: Event, attended: dict[int, bool], now=None
) -> int:
    """The organiser, or a co-organising office of a joint event, records who came
    ({sign-up id: attended}). Returns how many changed."""
    now = now or timezone.now()
    if event.office_id != office.pk:
        with scopes_disabled():
            if not event.co_offices.filter(pk=office.pk).exists():
                raise PermissionDenied
    if now < event.starts_at:
        raise ValidationError(_("Oppmøte kan registreres når arrangementet har startet."))
    event = _lock(event)
    with scopes_disabled():
        signups = list(
            Signup.objects.filter(
                event=event, pk__in=attended, status=SignupStatus.CONFIRMED
            ).select_related("office", "trainee", "course_record", "learning_activity")
        )
    changed = 0
    for signup in signups:
        value = attended[signup.pk]
        if signup.attended == value:
            continue
        signup.attended = value
        _attendance_effects(signup, event, acting_user)
        changed += 1
    return changed


# --- Evaluation and calendar ----------------------------------------------------------------------


@transaction.atomic
def evaluation_submit(
    *, signup: Signup, acting_user, scores: list[int], overall: int, comment: str = ""
) -> EvaluationAnswer:
    if signup.user_id != acting_user.pk:
        raise PermissionDenied
    if not signup.attended:
        raise ValidationError(_("Evalueringen er for dem som deltok."))
    with scope(office=signup.office):
        if EvaluationAnswer.objects.filter(signup=signup).exists():
            raise ValidationError(_("Du har allerede evaluert dette arrangementet. Takk!"))
        answer = EvaluationAnswer(
            office=signup.office,
            signup=signup,
            event=signup.event,
            scores=[int(s) for s in scores],
            overall=overall,
            comment=comment,
        )
        _full_clean_save(answer)
    return answer


def calendar_feed_for(*, user, renew: bool = False) -> CalendarFeed:
    """The user's personal feed (made on first use); `renew` replaces a leaked token."""
    feed = CalendarFeed.objects.filter(user=user).first()
    if feed is None:
        return CalendarFeed.objects.create(user=user, token=secrets.token_urlsafe(32))
    if renew:
        feed.token = secrets.token_urlsafe(32)
        feed.save(update_fields=["token"])
    return feed


def invitation_send(*, office, acting_user, trainee: Trainee, event: Event) -> bool:
    """Invite a doctor lacking a required course to an event covering it (once per event)."""
    if trainee.office_id != office.pk:
        raise PermissionDenied
    link = reverse("event_detail", args=[office.slug, event.pk])
    responses = notice.send(
        sender=Trainee,
        office=office,
        notice={
            "recipient": trainee.email,
            "kind": "arr_invitasjon",
            "subject_key": f"event:{event.pk}:trainee:{trainee.pk}",
            "period": "-",
            "subject": _("Invitasjon: %(title)s") % {"title": event.title},
            "body": _(
                "Du mangler et kurs som kreves i spesialiseringen. %(event)s Pris: %(price)s kr. "
                "Påmeldingsfrist %(d)s."
            )
            % {
                "event": event_text(event),
                "price": event.price.quantize(Decimal("1")),
                "d": _local(event.signup_deadline),
            },
            "link": link,
            "user_id": trainee.user_id,
            "urgent": True,
        },
    )
    return any(result for _receiver, result in responses)
