"""Writes for ALIS doctors, their service periods, supervisors, groups and the supervisor pool.

Every service takes the office it acts in and the acting user, runs in one transaction inside
the office's scope (full_clean's uniqueness checks go through the scoped managers), and records
who made the change in the history (`_history_user`), also when called outside a request.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django_scopes import scope, scopes_disabled

from accounts.models import Membership, User
from accounts.services import invitation_create
from municipalities.models import Municipality
from offices import clock
from offices.dates import short_date
from offices.owned import (
    ensure_same_office,
    office_owned_models,
    rows_move,
    rows_of_trainee,
    transfer_blockers,
)
from offices.permissions import OfficeAccess, Role

from .models import (
    CourseRecord,
    GroupMeeting,
    ServicePeriod,
    SupervisionGroup,
    SupervisionSession,
    Supervisor,
    SupervisorAssignment,
    SupervisorRole,
    Trainee,
    TransferRequest,
    TransferStatus,
    normalize_hpr,
)
from .selectors import hpr_holder, linkable_trainee


class TraineeData(TypedDict, total=False):
    first_name: str
    last_name: str
    email: str
    phone: str
    hpr_number: str
    scheme: str
    conversion_date: date | None
    lis1_completed: date | None
    specialisation_start: date
    status: str
    employment_form: str
    position: object | None


class PeriodData(TypedDict, total=False):
    municipality: Municipality | None
    place: str
    arena: str
    percentage: int
    start: date
    end: date | None
    is_leave: bool
    credited: bool
    note: str


class SupervisorData(TypedDict, total=False):
    user: User | None
    name: str
    email: str
    phone: str
    workplace: str
    specialty: str
    other_specialty: str
    course_completed: date | None
    capacity: int
    is_active: bool
    note: str


class GroupData(TypedDict, total=False):
    name: str
    leader_user: User | None
    leader_name: str
    start: date
    end: date | None
    hours_held: Decimal


TRAINEE_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "hpr_number",
    "scheme",
    "conversion_date",
    "lis1_completed",
    "specialisation_start",
    "status",
    "employment_form",
    "position",
)
CONTACT_FIELDS = ("email", "phone")
PERIOD_FIELDS = (
    "municipality",
    "place",
    "arena",
    "percentage",
    "start",
    "end",
    "is_leave",
    "credited",
    "note",
)
SUPERVISOR_FIELDS = (
    "user",
    "name",
    "email",
    "phone",
    "workplace",
    "specialty",
    "other_specialty",
    "course_completed",
    "capacity",
    "is_active",
    "note",
)
GROUP_FIELDS = ("name", "leader_user", "leader_name", "start", "end", "hours_held")


def _save(obj, acting_user: User | None, reason: str = "") -> None:
    obj._history_user = acting_user
    if reason:
        obj._change_reason = reason
    obj.full_clean()
    obj.save()


# --- ALIS doctors ---------------------------------------------------------------------------


# Said to anyone the service refuses: it names neither the office nor the municipality.
HPR_TAKEN_ELSEWHERE = _lazy("Legen kan ikke registreres her; kontakt ALIS-kontoret.")


def _hpr_free_nationally(trainee: Trainee) -> None:
    """HPR numbers are unique in the country (the form says more, to whom it may)."""
    holder = hpr_holder(trainee.hpr_number, exclude_pk=trainee.pk)
    if holder is not None and holder.office_id != trainee.office_id:
        raise ValidationError({"hpr_number": HPR_TAKEN_ELSEWHERE})


def _position_in_office(office, trainee: Trainee) -> None:
    position = trainee.position
    ensure_same_office(
        office, position, message=_("Stillingen hører til et annet ALIS-kontor."), field="position"
    )


def _municipality_in_office(office, municipality: Municipality) -> None:
    ensure_same_office(
        office,
        municipality,
        message=_("Kommunen hører til et annet ALIS-kontor."),
        field="municipality",
    )


@transaction.atomic
def trainee_create(
    *, office, acting_user: User | None, municipality: Municipality, **data: Unpack[TraineeData]
) -> Trainee:
    """Register an ALIS doctor in one of the office's municipalities and link their account
    when a doctor of that municipality has the same e-mail."""
    _municipality_in_office(office, municipality)
    trainee = Trainee(office=office, municipality=municipality)
    for name in TRAINEE_FIELDS:
        if name in data:
            setattr(trainee, name, data[name])
    trainee.hpr_number = normalize_hpr(trainee.hpr_number)
    _hpr_free_nationally(trainee)
    _position_in_office(office, trainee)
    with scope(office=office):
        _save(trainee, acting_user)
        trainee_link_user(office=office, acting_user=acting_user, trainee=trainee)
    return trainee


@transaction.atomic
def trainee_register(
    *,
    office,
    acting_user: User,
    municipality: Municipality,
    invite: bool,
    **data: Unpack[TraineeData],
) -> Trainee:
    """Register the doctor and, when asked, invite them as an ALIS doctor of the municipality
    in the same step (one transaction: no record without its invitation, or the reverse)."""
    trainee = trainee_create(
        office=office, acting_user=acting_user, municipality=municipality, **data
    )
    if invite and trainee.user_id is None:
        if not trainee.email:
            raise ValidationError(
                {"email": _("Skriv legens e-postadresse for å sende invitasjonen.")}
            )
        invitation_create(
            office=office,
            acting_user=acting_user,
            email=trainee.email,
            role=Role.ALIS,
            municipality=municipality,
        )
    return trainee


@transaction.atomic
def trainee_update(
    *, office, acting_user: User | None, trainee: Trainee, **data: Unpack[TraineeData]
) -> Trainee:
    """Change a doctor's record (the municipal leader or the coordinator). Moving the doctor to
    another municipality is a transfer (`trainee_transfer`), not an edit."""
    ensure_same_office(office, trainee)
    for name in TRAINEE_FIELDS:
        if name in data:
            setattr(trainee, name, data[name])
    trainee.hpr_number = normalize_hpr(trainee.hpr_number)
    _hpr_free_nationally(trainee)
    _position_in_office(office, trainee)
    with scope(office=office):
        _save(trainee, acting_user)
        trainee_link_user(office=office, acting_user=acting_user, trainee=trainee)
    return trainee


@transaction.atomic
def trainee_update_contact(
    *, office, acting_user: User, trainee: Trainee, email: str, phone: str
) -> Trainee:
    """The doctor corrects their own contact details; nothing else can change this way."""
    ensure_same_office(office, trainee)
    if trainee.user_id != acting_user.pk:
        raise ValidationError(_("Du kan bare endre dine egne kontaktopplysninger."))
    trainee.email, trainee.phone = email.strip(), phone.strip()
    with scope(office=office):
        _save(trainee, acting_user, reason=_("Kontaktopplysninger endret av legen"))
    return trainee


def trainee_link_user(*, office, acting_user: User | None, trainee: Trainee) -> bool:
    """Link the doctor to the user account with the same e-mail, when that user is an ALIS
    doctor (active membership) of the doctor's municipality and not linked to another doctor.
    Returns whether a link was made."""
    if trainee.user_id:
        return False
    user = (
        User.objects.filter(
            email__iexact=trainee.email,
            memberships__office=office,
            memberships__role=Role.ALIS,
            memberships__municipality=trainee.municipality,
            memberships__is_active=True,
        )
        .filter(trainee__isnull=True)
        .first()
    )
    if user is None:
        return False
    trainee.user = user
    trainee._history_user = acting_user
    trainee._change_reason = _("Koblet til brukerkonto med samme e-post")
    trainee.save(update_fields=["user"])
    return True


@transaction.atomic
def trainee_link_for_user(*, office, user: User) -> Trainee | None:
    """For a doctor who logs in before anyone linked them (they ask on their own page): the
    unlinked doctor record with their e-mail in a municipality where they hold the ALIS role
    is linked to their account."""
    with scope(office=office):
        trainee = linkable_trainee(office, user)
        if trainee and trainee_link_user(office=office, acting_user=user, trainee=trainee):
            return trainee
    return None


@dataclass
class TransferResult:
    trainee: Trainee
    ended_periods: int
    ended_assignments: int
    left_groups: int


@transaction.atomic
def trainee_transfer(
    *,
    office,
    acting_user: User | None,
    trainee: Trainee,
    to_municipality: Municipality,
    on: date,
    note: str = "",
    access: OfficeAccess | None = None,
) -> TransferResult:
    """Move a doctor to another municipality of the same office from `on`.

    A municipality served by another office takes the doctor only when that office accepts:
    `transfer_request_create` asks, `transfer_request_accept` runs the move.

    `access`: the acting member's (the page passes it; None only for the operator's commands
    and the demo): a leader moves a doctor only into a municipality where they are leader too,
    and dates the move at most `LEADER_BACKDATE_MONTHS` back (`move_allowed`).
    """
    ensure_same_office(office, trainee)
    move_allowed(access, trainee, to_municipality, on)
    if to_municipality.office_id != office.pk:
        raise ValidationError(
            {
                "to_municipality": _(
                    "%(m)s betjenes av %(office)s, som må godta overføringen. Send en "
                    "forespørsel om overføring."
                )
                % {"m": to_municipality.name, "office": to_municipality.office.name}
            }
        )
    with scope(office=office):
        _no_pending_request(office, trainee)
    return _trainee_move(
        office=office,
        acting_user=acting_user,
        trainee=trainee,
        to_municipality=to_municipality,
        on=on,
        note=note,
    )


# How far back a leader may date a move; the office (coordinators) may date it further, down
# to the doctor's last service period.
LEADER_BACKDATE_MONTHS = 3


def months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier (the month's last day when it is shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def move_allowed(access: OfficeAccess | None, trainee: Trainee, to_municipality, on: date):
    """Who may move a doctor where, and from which date. Raises ValidationError in the
    leader's words.

    Inside the office, a leader hands the doctor only to a municipality where they hold the
    leader role themselves; any other municipality is the office's decision (its coordinators
    move the doctor when the receiving municipality has said yes). Moves to another office are
    accepted by that office (`transfer_request_create`), so only the date rule applies there.
    """
    if access is None or access.is_coordinator:
        return
    same_office = to_municipality.office_id == trainee.office_id
    if same_office and not access.can("trainee.manage", to_municipality):
        raise ValidationError(
            {
                "to_municipality": _(
                    "Du er ikke leder i %(m)s, så du kan ikke flytte legen dit. Kontakt "
                    "ALIS-kontoret: når %(m)s har sagt ja, flytter koordinatoren legen."
                )
                % {"m": to_municipality.name}
            }
        )
    earliest = months_before(clock.today(), LEADER_BACKDATE_MONTHS)
    if on < earliest:
        raise ValidationError(
            {
                "on": _(
                    "Datoen kan være høyst %(n)s måneder tilbake i tid (tidligst %(day)s). "
                    "Trenger dere en tidligere dato, kontakt ALIS-kontoret."
                )
                % {"n": LEADER_BACKDATE_MONTHS, "day": short_date(earliest)}
            }
        )


def _no_pending_request(office, trainee: Trainee) -> None:
    pending = TransferRequest.objects.filter(
        office=office, trainee_id=trainee.pk, status=TransferStatus.PENDING
    ).first()
    if pending is not None:
        raise ValidationError(
            _(
                "Det er sendt en forespørsel om å overføre legen til %(m)s (%(office)s) som "
                "venter på svar. Trekk den tilbake under «Overføringer» først."
            )
            % {"m": pending.to_municipality.name, "office": pending.to_office.name}
        )


def _nothing_blocks_leaving(trainee: Trainee) -> None:
    """Rows that cannot follow the doctor to another office (`OfficeOwned.transfer_blockers`,
    e.g. an open hospital booking) stop the transfer until they are closed."""
    blockers = transfer_blockers(trainee)
    if blockers:
        raise ValidationError(blockers)


def _no_periods_from(trainee: Trainee, on: date) -> None:
    """The move starts after the doctor's last service period change: no period starts on or
    after `on`, and none has already ended on or after it (running ones end the day before)."""
    if trainee.service_periods.filter(start__gte=on).exists():
        raise ValidationError(
            {"on": _("Legen har tjenesteperioder som starter på eller etter denne datoen.")}
        )
    ended = trainee.service_periods.filter(end__gte=on).order_by("-end").first()
    if ended is not None:
        raise ValidationError(
            {
                "on": _(
                    "Legen har en tjenesteperiode som slutter %(end)s. Første dag i ny kommune "
                    "kan tidligst være dagen etter."
                )
                % {"end": short_date(ended.end)}
            }
        )


@transaction.atomic
def _trainee_move(
    *,
    office,
    acting_user: User | None,
    trainee: Trainee,
    to_municipality: Municipality,
    on: date,
    note: str = "",
) -> TransferResult:
    """Move a doctor to another municipality from `on`, also one served by another office
    (only through an accepted `TransferRequest` then).

    The whole record moves with the doctor, in this one transaction: the trainee and every row
    of every office-owned model that declares a `trainee_path` (the registry in
    `offices.owned`: service periods, supervisors assigned, the supervision log, courses, the
    individual plan with all its versions, goal progress, activities, sign-offs and advice,
    agreements with their experience, confirmations with their events) now belong to the new
    office, which sees all of it; each row's history records the move.

    What the old office keeps: service periods keep `served_by`, so the old office can still
    read the periods it served (`selectors.periods_served_for_former_office`); its supervision
    groups and their meetings (the doctor leaves the groups; the attendance stays on the
    meetings and still counts for the doctor in the new office, see
    `selectors.group_attendance_for_trainee`), its supervisor pool, and its digest links (they
    lead to 404 afterwards).

    Periods still running are ended the day before `on`. When the doctor leaves the office,
    current supervisors (people in the old office's pool) are ended too, and the doctor leaves
    the old office's supervision groups; the new municipality assigns new ones.
    """
    ensure_same_office(office, trainee)
    if to_municipality.pk == trainee.municipality_id:
        raise ValidationError({"to_municipality": _("Legen er allerede i denne kommunen.")})
    new_office = to_municipality.office
    leaves_office = new_office.pk != office.pk
    before = on - timedelta(days=1)
    with scope(office=office):
        _no_periods_from(trainee, on)
        if leaves_office:
            _nothing_blocks_leaving(trainee)
        running = list(trainee.service_periods.filter(end__isnull=True))
        for period in running:
            period.end = before
            _save(period, acting_user, reason=_("Avsluttet ved overføring"))
        ended_assignments = 0
        if leaves_office:
            current = trainee.supervisors.filter(end__isnull=True)
            for assignment in current:
                assignment.end = max(before, assignment.start)
                _save(assignment, acting_user, reason=_("Avsluttet ved overføring"))
                ended_assignments += 1
            groups = list(trainee.supervision_groups.filter(office=office))
            for group in groups:
                group.members.remove(trainee)
        else:
            groups = []
        old_municipality = trainee.municipality
        trainee.municipality = to_municipality
        trainee.office = new_office
        with scope(office=new_office):
            trainee.full_clean()
        trainee._history_user = acting_user
        trainee._change_reason = note or _("Overført fra %(old)s") % {"old": old_municipality}
        trainee.save()
        if leaves_office:
            for model in office_owned_models():
                if model is not Trainee:
                    rows_move(
                        rows_of_trainee(model, trainee).filter(office=office),
                        to_office=new_office,
                        acting_user=acting_user,
                        reason=_("Overført med legen"),
                    )
    if trainee.user_id:
        Membership.objects.filter(
            user_id=trainee.user_id, role=Role.ALIS, municipality=old_municipality
        ).update(is_active=False)
        membership, _created = Membership.objects.get_or_create(
            user_id=trainee.user_id,
            office=new_office,
            role=Role.ALIS,
            municipality=to_municipality,
        )
        if not membership.is_active:
            membership.is_active = True
            membership.save(update_fields=["is_active"])
    return TransferResult(trainee, len(running), ended_assignments, len(groups))


# --- Transfers to another office: asked by the sender, accepted by the receiver ---------------


@transaction.atomic
def transfer_request_create(
    *,
    office,
    acting_user: User,
    trainee: Trainee,
    to_municipality: Municipality,
    on: date,
    note: str = "",
    access: OfficeAccess | None = None,
) -> TransferRequest:
    """Ask the office serving `to_municipality` to take the doctor over from `on`.

    Nothing moves now: the doctor, the record and every access stay where they are until the
    receiving office accepts (`transfer_request_accept`). One open request per doctor. A
    leader dates it as a move inside the office (`move_allowed`).
    """
    ensure_same_office(office, trainee)
    if to_municipality.office_id == office.pk:
        raise ValidationError(
            {"to_municipality": _("Kommunen hører til dette kontoret; overfør legen direkte.")}
        )
    if not to_municipality.is_active:
        raise ValidationError({"to_municipality": _("Kommunen er ikke lenger aktiv.")})
    move_allowed(access, trainee, to_municipality, on)
    with scope(office=office):
        trainee = Trainee.objects.select_for_update().get(pk=trainee.pk, office=office)
        _no_periods_from(trainee, on)
        _no_pending_request(office, trainee)
        _nothing_blocks_leaving(trainee)
        transfer = TransferRequest(
            office=office,
            trainee_id=trainee.pk,
            trainee_name=trainee.full_name[:201],
            hpr_number=trainee.hpr_number,
            from_municipality=trainee.municipality,
            to_municipality=to_municipality,
            to_office=to_municipality.office,
            on=on,
            note=note,
            requested_by=acting_user,
            requested_at=clock.now(),
        )
        transfer.full_clean()
        transfer.save()
    return transfer


def _lock_for_answer(transfer: TransferRequest, **office_filter) -> TransferRequest:
    # The row is the sending office's; the receiving office answers it (cross-office by nature,
    # filtered explicitly by the office that may answer).
    with scopes_disabled():
        transfer = (
            TransferRequest.objects.select_for_update()
            .select_related("office", "to_office", "from_municipality", "to_municipality")
            .get(pk=transfer.pk, **office_filter)
        )
    if not transfer.is_pending:
        raise ValidationError(
            _("Forespørselen er allerede besvart (%(status)s).")
            % {"status": transfer.get_status_display().lower()}
        )
    return transfer


def _answer(transfer: TransferRequest, status: str, acting_user: User, reason: str = "") -> None:
    transfer.status = status
    transfer.decided_by = acting_user
    transfer.decided_at = clock.now()
    transfer.decline_reason = reason
    with scope(office=transfer.office):
        transfer.full_clean()
        transfer.save()


@transaction.atomic
def transfer_request_accept(
    *, office, acting_user: User, transfer: TransferRequest
) -> TransferResult:
    """The receiving office accepts: the move runs now, in this transaction (the whole record
    follows the doctor, see `_trainee_move`). Refused when the doctor is no longer where the
    request was made from, or the municipality no longer belongs to this office."""
    transfer = _lock_for_answer(transfer, to_office=office)
    sender = transfer.office
    with scope(office=sender):
        trainee = (
            Trainee.objects.select_for_update()
            .filter(pk=transfer.trainee_id, office=sender)
            .select_related("municipality")
            .first()
        )
    if trainee is None or trainee.municipality_id != transfer.from_municipality_id:
        raise ValidationError(
            _("Legen er ikke lenger i %(m)s. Be %(office)s sende en ny forespørsel.")
            % {"m": transfer.from_municipality.name, "office": sender.name}
        )
    if transfer.to_municipality.office_id != office.pk:
        raise ValidationError(
            _("%(m)s hører ikke lenger til dette kontoret.") % {"m": transfer.to_municipality.name}
        )
    result = _trainee_move(
        office=sender,
        acting_user=acting_user,
        trainee=trainee,
        to_municipality=transfer.to_municipality,
        on=transfer.on,
        note=transfer.note
        or _("Overført fra %(old)s, godtatt av %(office)s")
        % {"old": transfer.from_municipality, "office": office},
    )
    _answer(transfer, TransferStatus.ACCEPTED, acting_user)
    return result


@transaction.atomic
def transfer_request_decline(
    *, office, acting_user: User, transfer: TransferRequest, reason: str
) -> TransferRequest:
    """The receiving office declines, with a reason the sender reads. Nothing moves."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Skriv en begrunnelse. Den vises for kontoret som ba om overføringen.")}
        )
    transfer = _lock_for_answer(transfer, to_office=office)
    _answer(transfer, TransferStatus.DECLINED, acting_user, reason)
    return transfer


@transaction.atomic
def transfer_request_withdraw(
    *, office, acting_user: User, transfer: TransferRequest
) -> TransferRequest:
    """The sending office takes its request back before it is answered."""
    transfer = _lock_for_answer(transfer, office=office)
    _answer(transfer, TransferStatus.WITHDRAWN, acting_user)
    return transfer


# --- Service periods ------------------------------------------------------------------------


def overload(periods: list[ServicePeriod], within: ServicePeriod) -> tuple[date, int] | None:
    """The first day within `within` on which the service periods (leave excluded) add up to
    more than 100 %, with the total that day; None when no day does.

    Leave is recorded but is not service, so it takes no share of the 100 %.
    """
    if within.is_leave:
        return None
    far = date.max
    events: dict[date, int] = {}
    for p in [*periods, within]:
        if p.is_leave:
            continue
        stop = p.end or far
        if p.start > (within.end or far) or stop < within.start:
            continue
        events[p.start] = events.get(p.start, 0) + p.percentage
        if stop != far:
            day_after = stop + timedelta(days=1)
            events[day_after] = events.get(day_after, 0) - p.percentage
    total = 0
    for day in sorted(events):
        total += events[day]
        if total > 100:
            return max(day, within.start), total
    return None


def _validate_period(period: ServicePeriod) -> None:
    period.clean_fields()
    period.clean()
    others = list(period.trainee.service_periods.exclude(pk=period.pk))
    found = overload(others, period)
    if found:
        day, total = found
        raise ValidationError(
            _(
                "Periodene overlapper med til sammen %(total)s %% den %(day)s. Summen av "
                "stillingsprosentene kan ikke være over 100 %% på noen dag (permisjon teller "
                "ikke). Juster prosent eller datoer, eller avslutt den andre perioden først."
            )
            % {"total": total, "day": short_date(day)}
        )


@transaction.atomic
def period_create(
    *, office, acting_user: User | None, trainee: Trainee, **data: Unpack[PeriodData]
) -> ServicePeriod:
    """Add a service (or leave) period. `served_by` is the office serving the doctor now."""
    ensure_same_office(office, trainee)
    period = ServicePeriod(office=office, trainee=trainee, served_by=office)
    for name in PERIOD_FIELDS:
        if name in data:
            setattr(period, name, data[name])
    if period.municipality_id is None and not period.credited:
        period.municipality = trainee.municipality
    with scope(office=office):
        Trainee.objects.select_for_update().filter(pk=trainee.pk).first()  # serialise per doctor
        _validate_period(period)
        _save(period, acting_user)
    return period


@transaction.atomic
def period_update(
    *, office, acting_user: User | None, period: ServicePeriod, **data: Unpack[PeriodData]
) -> ServicePeriod:
    ensure_same_office(office, period)
    for name in PERIOD_FIELDS:
        if name in data:
            setattr(period, name, data[name])
    with scope(office=office):
        Trainee.objects.select_for_update().filter(pk=period.trainee_id).first()
        _validate_period(period)
        _save(period, acting_user)
    return period


@transaction.atomic
def period_delete(*, office, acting_user: User, period: ServicePeriod) -> None:
    ensure_same_office(office, period)
    period._history_user = acting_user
    with scope(office=office):
        period.delete()


# --- Supervisors ----------------------------------------------------------------------------


@transaction.atomic
def assignment_create(
    *,
    office,
    acting_user: User | None,
    trainee: Trainee,
    supervisor: Supervisor,
    role: str,
    start: date,
    end: date | None = None,
    exception_reason: str = "",
) -> SupervisorAssignment:
    """Assign a veileder or a supervisør. A new veileder ends the current one the day before
    (history kept). A veileder who is not a specialist in general practice needs a reason and
    an end date for the exception."""
    ensure_same_office(office, trainee, supervisor)
    exception_reason = exception_reason.strip()
    if role == SupervisorRole.VEILEDER and not supervisor.is_specialist:
        errors = {}
        if not exception_reason:
            errors["exception_reason"] = _(
                "%(name)s er ikke spesialist i allmennmedisin. Skriv begrunnelsen for "
                "unntaket, eller velg en annen veileder."
            ) % {"name": supervisor.name}
        if not end:
            errors["end"] = _("Et unntak gjelder for en bestemt periode: oppgi sluttdato.")
        if errors:
            raise ValidationError(errors)
    with scope(office=office):
        Trainee.objects.select_for_update().filter(pk=trainee.pk).first()
        if role == SupervisorRole.VEILEDER:
            for current in trainee.supervisors.filter(role=role, end__isnull=True):
                if current.start >= start:
                    raise ValidationError(
                        {
                            "start": _(
                                "Nåværende veileder startet %(day)s; ny veileder må starte "
                                "etter det."
                            )
                            % {"day": short_date(current.start)}
                        }
                    )
                current.end = start - timedelta(days=1)
                _save(current, acting_user, reason=_("Ny veileder oppnevnt"))
        assignment = SupervisorAssignment(
            office=office,
            trainee=trainee,
            supervisor=supervisor,
            supervisor_name=supervisor.name,
            role=role,
            start=start,
            end=end,
            exception_reason=exception_reason,
        )
        _save(assignment, acting_user)
    return assignment


@transaction.atomic
def assignment_end(
    *, office, acting_user: User, assignment: SupervisorAssignment, end: date
) -> SupervisorAssignment:
    ensure_same_office(office, assignment)
    if end < assignment.start:
        raise ValidationError({"end": _("Sluttdatoen kan ikke være før startdatoen.")})
    assignment.end = end
    with scope(office=office):
        _save(assignment, acting_user)
    return assignment


# --- Supervisor pool ------------------------------------------------------------------------


@transaction.atomic
def supervisor_save(
    *,
    office,
    acting_user: User | None,
    supervisor: Supervisor | None = None,
    municipalities: list[Municipality],
    **data: Unpack[SupervisorData],
) -> Supervisor:
    """Create (supervisor=None) or change a supervisor in the office's pool."""
    supervisor = supervisor or Supervisor(office=office)
    ensure_same_office(office, supervisor)
    ensure_same_office(
        office,
        *municipalities,
        message=_("En av kommunene hører til et annet kontor."),
        field="municipalities",
    )
    for name in SUPERVISOR_FIELDS:
        if name in data:
            setattr(supervisor, name, data[name])
    with scope(office=office):
        _save(supervisor, acting_user)
        supervisor.municipalities.set(municipalities)
    return supervisor


# --- Group supervision ----------------------------------------------------------------------


@transaction.atomic
def group_save(
    *,
    office,
    acting_user: User | None,
    group: SupervisionGroup | None = None,
    members: list[Trainee],
    **data: Unpack[GroupData],
) -> SupervisionGroup:
    """Create (group=None) or change a supervision group."""
    group = group or SupervisionGroup(office=office, created_by=acting_user)
    ensure_same_office(office, group, *members)
    for name in GROUP_FIELDS:
        if name in data:
            setattr(group, name, data[name])
    with scope(office=office):
        _save(group, acting_user)
        group.members.set(members)
    return group


# --- Supervision log ------------------------------------------------------------------------------


def _check_supervisor_in_force(trainee, assignment, acting_user, day: date) -> None:
    """A veileder's or supervisor's access ends with the assignment: a session dated outside
    it is refused, and a supervisor whose assignments have all ended writes nothing."""
    if assignment is not None and (
        day < assignment.start or (assignment.end is not None and day > assignment.end)
    ):
        raise ValidationError(
            {
                "day": _("Datoen ligger utenfor veilederoppnevningen (%(period)s).")
                % {"period": _period_text(assignment)}
            }
        )
    if acting_user is None:
        return
    own = SupervisorAssignment.objects.filter(
        office=trainee.office_id, trainee=trainee, supervisor__user=acting_user
    )
    if own.exists() and not own.filter(start__lte=day).exclude(end__lt=day).exists():
        raise ValidationError(
            {"day": _("Du var ikke oppnevnt som veileder eller supervisør for legen denne datoen.")}
        )


def _period_text(assignment) -> str:
    start = short_date(assignment.start)
    end = short_date(assignment.end) if assignment.end else _("nå")
    return f"{start}–{end}"


@transaction.atomic
def session_create(
    *,
    office,
    acting_user: User | None,
    trainee: Trainee,
    day: date,
    hours: Decimal,
    assignment: SupervisorAssignment | None = None,
    topics: str = "",
    minutes: str = "",
    goals=(),
) -> SupervisionSession:
    """Record one individual supervision session for the doctor."""
    ensure_same_office(office, trainee, assignment)
    if assignment is not None and assignment.trainee_id != trainee.pk:
        raise ValidationError({"assignment": _("Veilederen er ikke oppnevnt for denne legen.")})
    with scope(office=office):
        _check_supervisor_in_force(trainee, assignment, acting_user, day)
    session = SupervisionSession(
        office=office,
        trainee=trainee,
        assignment=assignment,
        day=day,
        hours=hours,
        topics=topics,
        minutes=minutes,
        created_by=acting_user,
    )
    with scope(office=office):
        _save(session, acting_user)
        session.goals.set(goals)
    return session


@transaction.atomic
def group_meeting_create(
    *,
    office,
    acting_user: User | None,
    group: SupervisionGroup,
    day: date,
    hours: Decimal,
    attendees: list[Trainee],
) -> GroupMeeting:
    """Record a meeting of the group and which of its members attended."""
    ensure_same_office(office, group, *attendees)
    meeting = GroupMeeting(office=office, group=group, day=day, hours=hours)
    with scope(office=office):
        members = set(group.members.values_list("pk", flat=True))
        if any(t.pk not in members for t in attendees):
            raise ValidationError(
                {"attendees": _("Bare gruppens deltakere kan føres som til stede.")}
            )
        _save(meeting, acting_user)
        meeting.attendees.set(attendees)
    return meeting


@transaction.atomic
def course_record_add(
    *,
    office,
    acting_user: User | None,
    trainee: Trainee,
    kind: str,
    title: str,
    hours,
    completed_on: date,
) -> CourseRecord:
    from django.utils import timezone as tz

    ensure_same_office(office, trainee)
    if completed_on > tz.localdate():
        raise ValidationError({"completed_on": _("Registrer kurset når det er fullført.")})
    with scope(office=office):
        record = CourseRecord(
            office=office,
            trainee=trainee,
            kind=kind,
            title=title,
            hours=hours,
            completed_on=completed_on,
            created_by=acting_user,
        )
        record.full_clean()
        record.save()
    return record
