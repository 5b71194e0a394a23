"""Writes for the hospital period: reference data, agreements, places, contacts, and the
booking flow (request → confirm / propose / decline → plan → service period).

A place is never overbooked: every write that takes a seat first locks the place's row
(`select_for_update`), so two confirmations of the last seat queue up and the second is
refused. Every refusal is a ValidationError in the users' words.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from accounts.models import User
from accounts.services import invitation_create
from municipalities.models import HealthTrust, Municipality
from offices import clock
from offices.dates import short_date
from offices.owned import ensure_same_office
from offices.permissions import Role
from offices.vocabularies import ArenaType
from plans.models import PlanVersion
from plans.rules import add_months
from plans.selectors import plan_versions
from plans.services import VERSION_FIELDS, plan_version_create
from trainees.models import ServicePeriod, Trainee, TraineeStatus
from trainees.services import overload, period_create, period_update

from .models import (
    ACTIVE_STATUSES,
    HOLDS_SEAT,
    Booking,
    BookingStatus,
    Department,
    Hospital,
    Place,
    TrustAgreement,
    TrustContact,
)
from .selectors import confirmed_bookings, half_year, need_for, open_bookings

ONE_DAY = timedelta(days=1)


def _day(value: date) -> str:
    return short_date(value)


def _save(obj, acting_user, **clean) -> None:
    obj._history_user = acting_user
    obj.full_clean(**clean)
    obj.save()


# --- Reference data ----------------------------------------------------------------------------


@transaction.atomic
def hospital_create(*, office, acting_user: User, trust: HealthTrust, name: str) -> Hospital:
    hospital = Hospital(office=office, trust=trust, name=name.strip())
    with scope(office=office):
        _save(hospital, acting_user)
    return hospital


@transaction.atomic
def department_create(
    *, office, acting_user: User, hospital: Hospital, name: str, goal_codes: list[str] = ()
) -> Department:
    ensure_same_office(office, hospital)
    codes = sorted({c.strip().upper() for c in goal_codes if c.strip()})
    department = Department(office=office, hospital=hospital, name=name.strip(), goal_codes=codes)
    with scope(office=office):
        _save(department, acting_user)
    return department


# --- Agreements with a trust ---------------------------------------------------------------------

AGREEMENT_FIELDS = ("title", "start", "end", "places_four", "places_six", "contacts")


@transaction.atomic
def agreement_create(
    *,
    office,
    acting_user: User,
    trust: HealthTrust,
    document,
    municipalities: list[Municipality] = (),
    previous: TrustAgreement | None = None,
    **data,
) -> TrustAgreement:
    """A new agreement, or (with `previous`) a new version of one: the old version stays as it
    was, and the new one carries the next number. The signed PDF is checked like every
    agreement document (extension, content, size)."""
    ensure_same_office(office, previous)
    ensure_same_office(
        office,
        *municipalities,
        message=_("Kommunen hører ikke til dette kontoret."),
        field="municipalities",
    )
    if previous is not None:
        with scope(office=office):
            superseded = TrustAgreement.objects.filter(office=office, previous=previous).exists()
        if superseded:
            raise ValidationError(_("Det finnes allerede en nyere versjon av denne avtalen."))
        if previous.trust_id != trust.pk:
            raise ValidationError({"trust": _("En ny versjon må gjelde samme helseforetak.")})
    agreement = TrustAgreement(
        office=office,
        trust=trust,
        previous=previous,
        version=(previous.version + 1) if previous else 1,
        document=document,
        document_name=(getattr(document, "name", "") or "avtale.pdf")[-200:],
        created_by=acting_user,
        **{k: data[k] for k in AGREEMENT_FIELDS if k in data},
    )
    with scope(office=office):
        _save(agreement, acting_user)
        agreement.municipalities.set(municipalities)
    return agreement


def _half_years(start: date, end: date):
    day = half_year(start)
    if day < start:
        day = add_months(day, 6)
    while day <= end:
        yield day
        day = add_months(day, 6)


@transaction.atomic
def places_generate(
    *, office, acting_user: User, agreement: TrustAgreement, department: Department
) -> list[Place]:
    """The agreement's places as module places in the calendar of `department`: for every
    half-year (1 January, 1 July) inside the term, a 4-month and a 6-month module with the
    agreed number of places, where the module ends within the term. Modules already in the
    calendar are left as they are."""
    ensure_same_office(office, agreement, department)
    if department.hospital.trust_id != agreement.trust_id:
        raise ValidationError(
            {"department": _("Avdelingen hører ikke til helseforetaket avtalen gjelder.")}
        )
    made = []
    with scope(office=office):
        for start in _half_years(agreement.start, agreement.end):
            for months, capacity in ((4, agreement.places_four), (6, agreement.places_six)):
                if not capacity or add_months(start, months) - ONE_DAY > agreement.end:
                    continue
                if Place.objects.filter(
                    office=office, department=department, start=start, months=months
                ).exists():
                    continue
                place = Place(
                    office=office,
                    department=department,
                    start=start,
                    months=months,
                    capacity=capacity,
                    agreement=agreement,
                    created_by=acting_user,
                )
                _save(place, acting_user)
                made.append(place)
    if not made:
        raise ValidationError(
            _("Ingen nye moduler: avtalen gir ingen plasser i perioden, eller de finnes alt.")
        )
    return made


@transaction.atomic
def place_create(
    *,
    office,
    acting_user: User,
    department: Department,
    start: date,
    months: int,
    capacity: int,
    trust_ids: set[int] | None = None,
) -> Place:
    """A module place entered by hand (by the office, or by the trust's contact for their own
    trust: `trust_ids`)."""
    ensure_same_office(office, department)
    if trust_ids is not None and department.hospital.trust_id not in trust_ids:
        raise ValidationError({"department": _("Avdelingen hører ikke til ditt helseforetak.")})
    place = Place(
        office=office,
        department=department,
        start=start,
        months=months,
        capacity=capacity,
        created_by=acting_user,
    )
    with scope(office=office):
        _save(place, acting_user)
    return place


@transaction.atomic
def contact_invite(
    *, office, acting_user: User, trust: HealthTrust, name: str, email: str, phone: str = ""
) -> TrustContact:
    """Register a trust's contact person and invite them to sign in (role «helseforetak»):
    they will see the requests and bookings for this trust only."""
    contact = TrustContact(
        office=office, trust=trust, name=name.strip(), email=email.strip().lower(), phone=phone
    )
    with scope(office=office):
        contact.full_clean()
        contact.save()
    invitation_create(
        office=office, acting_user=acting_user, email=contact.email, role=Role.TRUST_CONTACT
    )
    return contact


# --- Bookings ------------------------------------------------------------------------------------


def _seats_taken(place: Place, excluding: Booking | None = None) -> int:
    qs = Booking.objects.filter(office=place.office_id, place=place, status__in=HOLDS_SEAT)
    if excluding is not None:
        qs = qs.exclude(pk=excluding.pk)
    return qs.count()


def _overlaps(a_start: date, a_end: date, b_start: date, b_end: date | None) -> bool:
    return a_start <= (b_end or date.max) and b_start <= a_end


def check_booking(trainee: Trainee, place: Place, *, booking: Booking | None = None, today=None):
    """Every reason a doctor cannot have this module, as one ValidationError (the first that
    applies): the doctor is not in training or needs no more institution months, the module
    has started, it is fully booked, it overlaps the doctor's other hospital service or
    bookings, it ends after the doctor's projected completion, or it starts before the last
    part of the programme where the rules require it there."""
    today = today or clock.today()
    if trainee.status not in (TraineeStatus.ACTIVE, TraineeStatus.ON_LEAVE):
        raise ValidationError(_("Legen er ikke i utdanning nå."))
    if place.start <= today:
        raise ValidationError(
            _("Modulen startet %(day)s og kan ikke bestilles lenger.") % {"day": _day(place.start)}
        )
    taken = _seats_taken(place, excluding=booking)
    if taken >= place.capacity:
        raise ValidationError(
            _(
                "Modulen er fullbooket: alle %(n)s plasser er bekreftet. Velg en annen modul "
                "eller foreslå en annen start."
            )
            % {"n": place.capacity}
        )
    others = Booking.objects.filter(
        office=trainee.office_id, trainee=trainee, status__in=ACTIVE_STATUSES
    ).select_related("place")
    if booking is not None:
        others = others.exclude(pk=booking.pk)
    for other in others:
        if _overlaps(place.start, place.end, other.place.start, other.place.end):
            raise ValidationError(
                _(
                    "Legen har allerede en bestilling som overlapper (%(place)s, "
                    "%(start)s–%(end)s). Trekk den først, eller velg en annen modul."
                )
                % {
                    "place": other.place.department,
                    "start": _day(other.place.start),
                    "end": _day(other.place.end),
                }
            )
    for period in ServicePeriod.objects.filter(
        office=trainee.office_id, trainee=trainee, arena=ArenaType.INSTITUTION, is_leave=False
    ):
        if _overlaps(place.start, place.end, period.start, period.end):
            raise ValidationError(
                _(
                    "Modulen overlapper institusjonstjeneste som alt er registrert "
                    "(%(place)s fra %(start)s)."
                )
                % {"place": period.place, "start": _day(period.start)}
            )
    need = need_for(trainee, today)
    if not need.needs_place:
        raise ValidationError(
            _("Legen har allerede oppfylt kravet om institusjonstjeneste (%(done)s).")
            % {"done": need.done_text}
        )
    _within_need(trainee, place, need, booking)
    if need.basis is not None and place.end > need.basis:
        if need.finish is not None:
            message = _(
                "Modulen slutter %(end)s, etter legens beregnede ferdigdato %(finish)s. Velg "
                "en modul som slutter senest %(finish)s, eller oppdater utdanningsplanen."
            )
        else:
            message = _(
                "Modulen slutter %(end)s, etter legens antatte ferdigdato %(finish)s (regnet "
                "som om modulen erstatter måneder i dagens stilling; ferdigdatoen kan ikke "
                "beregnes ennå). Velg en modul som slutter senest %(finish)s, eller oppdater "
                "utdanningsplanen."
            )
        raise ValidationError(message % {"end": _day(place.end), "finish": _day(need.basis)})
    if need.earliest_start is not None and place.start < need.earliest_start:
        raise ValidationError(
            _("%(placement)s Velg en modul som starter %(day)s eller senere.")
            % {"placement": need.placement, "day": _day(need.earliest_start)}
        )


def _describe(booking: Booking) -> str:
    place = booking.place
    return _("%(dept)s, %(start)s–%(end)s, %(months)s mnd, %(status)s") % {
        "dept": place.department,
        "start": _day(place.start),
        "end": _day(place.end),
        "months": place.months,
        "status": booking.get_status_display().lower(),
    }


def _within_need(trainee: Trainee, place: Place, need, booking: Booking | None) -> None:
    """At most what the doctor needs is asked for or held at once: a second open booking is
    refused when the open ones already cover what is missing, or when the new module would
    take the open months past it."""
    others = [b for b in open_bookings(trainee) if booking is None or b.pk != booking.pk]
    if not others:
        return
    held = sum(b.place.months for b in others)
    values = {
        "missing": need.missing_text,
        "open": "; ".join(_describe(b) for b in others),
        "held": held,
        "total": held + place.months,
    }
    if held >= need.missing:
        raise ValidationError(
            _(
                "Legen mangler %(missing)s institusjonstjeneste, og den åpne bestillingen "
                "dekker allerede det (%(open)s). Trekk den tilbake før du bestiller en annen "
                "modul."
            )
            % values
        )
    if held + place.months > need.missing:
        raise ValidationError(
            _(
                "Legen mangler %(missing)s institusjonstjeneste og har allerede en åpen "
                "bestilling på %(held)s mnd (%(open)s). Denne modulen ville gi %(total)s mnd, "
                "mer enn behovet. Trekk tilbake den første bestillingen, eller bestill resten "
                "når den er gjennomført."
            )
            % values
        )


def _lock(place: Place) -> Place:
    return Place.objects.select_for_update().get(pk=place.pk)


@transaction.atomic
def booking_request(
    *, office, acting_user: User, trainee: Trainee, place: Place, wishes: str = ""
) -> Booking:
    """The leader (or the office on the municipality's behalf) asks the trust for a module
    place for the doctor; the request waits for the trust's contact."""
    ensure_same_office(office, trainee, place)
    with scope(office=office):
        place = _lock(place)
        check_booking(trainee, place)
        booking = Booking(
            office=office,
            trainee=trainee,
            place=place,
            wishes=wishes.strip(),
            requested_by=acting_user,
        )
        _save(booking, acting_user)
    return booking


def _answer(booking: Booking, acting_user: User, status: str, answer: str) -> None:
    booking.status = status
    booking.answer = answer.strip()
    booking.answered_by = acting_user
    booking.answered_at = timezone.now()


def _expect(booking: Booking, *statuses) -> None:
    if booking.status not in statuses:
        raise ValidationError(
            _("Bestillingen er «%(status)s» og kan ikke endres slik.")
            % {"status": booking.get_status_display()}
        )


@transaction.atomic
def booking_confirm(*, office, acting_user: User, booking: Booking, answer: str = "") -> Booking:
    """The trust's contact confirms the requested module. The doctor's plan gets the module as
    its institution arena (a new plan version for the leader to approve)."""
    ensure_same_office(office, booking)
    with scope(office=office):
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        _expect(booking, BookingStatus.REQUESTED)
        place = _lock(booking.place)
        check_booking(booking.trainee, place, booking=booking)
        _answer(booking, acting_user, BookingStatus.CONFIRMED, answer)
        booking.plan_version = plan_from_booking(
            office=office, acting_user=acting_user, booking=booking
        )
        _save(booking, acting_user)
    return booking


@transaction.atomic
def booking_propose(
    *, office, acting_user: User, booking: Booking, place: Place, answer: str = ""
) -> Booking:
    """The trust's contact answers with another module of the same trust; the requester
    accepts or withdraws it."""
    ensure_same_office(office, booking, place)
    with scope(office=office):
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        _expect(booking, BookingStatus.REQUESTED)
        if place.pk == booking.place_id:
            raise ValidationError({"place": _("Velg en annen modul enn den som er bestilt.")})
        if place.trust.pk != booking.place.trust.pk:
            raise ValidationError({"place": _("Modulen må høre til samme helseforetak.")})
        check_booking(booking.trainee, _lock(place), booking=booking)
        _answer(booking, acting_user, BookingStatus.PROPOSED, answer)
        booking.proposed_place = place
        _save(booking, acting_user)
    return booking


@transaction.atomic
def booking_decline(*, office, acting_user: User, booking: Booking, answer: str) -> Booking:
    ensure_same_office(office, booking)
    if not answer.strip():
        raise ValidationError({"answer": _("Skriv en kort begrunnelse til den som bestilte.")})
    with scope(office=office):
        _expect(booking, BookingStatus.REQUESTED)
        _answer(booking, acting_user, BookingStatus.DECLINED, answer)
        _save(booking, acting_user)
    return booking


@transaction.atomic
def booking_accept_proposal(*, office, acting_user: User, booking: Booking) -> Booking:
    """The requester takes the module the trust proposed: the booking is confirmed for it."""
    ensure_same_office(office, booking)
    with scope(office=office):
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        _expect(booking, BookingStatus.PROPOSED)
        place = _lock(booking.proposed_place)
        booking.place, booking.proposed_place = place, None
        check_booking(booking.trainee, place, booking=booking)
        booking.status = BookingStatus.CONFIRMED
        booking.plan_version = plan_from_booking(
            office=office, acting_user=acting_user, booking=booking
        )
        _save(booking, acting_user)
    return booking


@transaction.atomic
def booking_withdraw(*, office, acting_user: User, booking: Booking) -> Booking:
    ensure_same_office(office, booking)
    with scope(office=office):
        _expect(booking, BookingStatus.REQUESTED, BookingStatus.PROPOSED, BookingStatus.CONFIRMED)
        booking.status = BookingStatus.WITHDRAWN
        _save(booking, acting_user)
    return booking


# --- One flow: the booking becomes the plan, then service ------------------------------------


def _arena_dict(arena) -> dict:
    return {
        "arena": arena.arena,
        "place": arena.place,
        "start": arena.start,
        "end": arena.end,
        "percentage": arena.percentage,
        "goals": list(arena.goals.all()),
    }


def _around(row: dict, start: date, end: date) -> list[dict]:
    """A planned arena with the module's days taken out (nothing of it, one or two parts)."""
    if row["end"] < start or row["start"] > end:
        return [row]
    parts = []
    if row["start"] < start:
        parts.append({**row, "end": start - ONE_DAY})
    if row["end"] > end:
        parts.append({**row, "start": end + ONE_DAY})
    return parts


def _where(place: Place) -> str:
    return f"{place.department.name}, {place.department.hospital.name}"[:200]


def _module_arena(place: Place) -> dict:
    return {
        "arena": ArenaType.INSTITUTION,
        "place": _where(place),
        "start": place.start,
        "end": place.end,
        "percentage": 100,
        "goals": [],
    }


def _arenas_from_service(trainee: Trainee, until: date | None) -> list[dict]:
    """Without a plan: the doctor's registered posts as planned arenas (one still going on
    until the finish the need counts with, else up to the module)."""
    rows = []
    for period in trainee.service_periods.filter(is_leave=False).order_by("start"):
        if period.arena == ArenaType.INSTITUTION:
            continue
        end = period.end or until
        if end is None or end < period.start:
            continue
        rows.append(
            {
                "arena": period.arena,
                "place": period.place,
                "start": period.start,
                "end": end,
                "percentage": period.percentage,
                "goals": [],
            }
        )
    return rows


def plan_from_booking(*, office, acting_user: User, booking: Booking) -> PlanVersion:
    """A new version of the doctor's plan with every confirmed module (this one and any
    confirmed or served before) as its institution arenas: the latest version's content, its
    other arenas making room for the modules (so no day counts twice); without a plan, the
    doctor's registered posts stand in for the planned arenas. The version is made on behalf
    of the one who requested the place ("fra sykehusbestilling"), a draft for the doctor to
    acknowledge and the leader to approve, as every plan revision."""
    trainee = booking.trainee
    place = booking.place
    held = [b.place for b in confirmed_bookings(trainee, with_served=True) if b.pk != booking.pk]
    modules = sorted([*held, place], key=lambda p: p.start)
    versions = plan_versions(trainee)
    latest = versions[0] if versions else None
    data, base, courses, credited = {}, [], [], []
    if latest is not None:
        data = {name: getattr(latest, name) for name in VERSION_FIELDS}
        credited = list(latest.credited_goals.all())
        base = [_arena_dict(a) for a in latest.arenas.all() if a.arena != ArenaType.INSTITUTION]
        courses = [
            {"kind": c.kind, "title": c.title, "hours": c.hours, "planned": c.planned}
            for c in latest.courses.all()
        ]
    if not base:
        base = _arenas_from_service(trainee, need_for(trainee).basis or modules[-1].end)
    arenas = base
    for module in modules:
        arenas = [part for row in arenas for part in _around(row, module.start, module.end)]
    arenas += [_module_arena(m) for m in modules]
    arenas.sort(key=lambda a: a["start"])
    answered_by = acting_user.get_full_name() or acting_user.email
    note = _(
        "Fra sykehusbestilling: %(where)s, %(start)s–%(end)s, bekreftet av %(who)s "
        "%(day)s. Må godkjennes av lederen."
    ) % {
        "where": _where(place),
        "start": _day(place.start),
        "end": _day(place.end),
        "who": answered_by,
        "day": _day(clock.today()),
    }
    data.update(
        institution_module=place.months,
        institution_place=_where(place),
        institution_start=place.start,
        note=(f"{data.get('note') or ''}\n{note}").strip(),
    )
    return plan_version_create(
        office=office,
        acting_user=booking.requested_by or acting_user,
        trainee=trainee,
        data=data,
        credited_goals=credited,
        arenas=arenas,
        courses=courses,
    )


@transaction.atomic
def booking_serve(*, office, acting_user: User, booking: Booking, today=None) -> Booking:
    """The doctor has started the module: it becomes a service period (institution, 100 %, the
    module's days). A post registered as going on over the module is ended the day before
    and continued the day after, so no day counts twice; any other overlap is refused with
    the service periods' own message."""
    ensure_same_office(office, booking)
    today = today or clock.today()
    with scope(office=office):
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        _expect(booking, BookingStatus.CONFIRMED)
        place = booking.place
        if place.start > today:
            raise ValidationError(
                _("Modulen starter %(day)s: den kan registreres som tjeneste fra den dagen.")
                % {"day": _day(place.start)}
            )
        trainee = booking.trainee
        where = _where(place)
        candidate = ServicePeriod(
            trainee=trainee, start=place.start, end=place.end, percentage=100, is_leave=False
        )
        periods = list(trainee.service_periods.all())
        if overload(periods, candidate):
            _make_room(office, acting_user, periods, place.start, place.end)
        booking.service_period = period_create(
            office=office,
            acting_user=acting_user,
            trainee=trainee,
            place=where,
            arena=ArenaType.INSTITUTION,
            percentage=100,
            start=place.start,
            end=place.end,
            note=_("Fra bestilling av sykehusplass"),
        )
        booking.status = BookingStatus.SERVED
        _save(booking, acting_user)
    return booking


def _make_room(office, acting_user, periods, start: date, end: date) -> None:
    """Posts that began before the module and go on over it: end them the day before the
    module and continue them (same place, arena, percentage) the day after."""
    for period in periods:
        if period.is_leave or period.start >= start or (period.end and period.end < start):
            continue
        old_end = period.end
        period_update(office=office, acting_user=acting_user, period=period, end=start - ONE_DAY)
        if old_end is None or old_end > end:
            period_create(
                office=office,
                acting_user=acting_user,
                trainee=period.trainee,
                municipality=period.municipality,
                place=period.place,
                arena=period.arena,
                percentage=period.percentage,
                start=end + ONE_DAY,
                end=old_end,
                note=period.note,
            )
