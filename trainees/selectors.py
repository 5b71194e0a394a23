"""Reads for ALIS doctors, supervisors and the supervisor pool.

Every selector filters by office explicitly (the request scope is the second net) and returns
rows with their related data already loaded, so pages do not grow queries with rows.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Greatest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_scopes import scopes_disabled

from accounts.models import Membership
from municipalities.models import Municipality
from municipalities.selectors import health_trust_names
from offices import clock
from offices.dates import short_date
from offices.models import Office
from offices.permissions import Role
from offices.vocabularies import ArenaType

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
    TraineeStatus,
    TransferRequest,
    TransferStatus,
)

# Doctors who need a veileder: those in training now.
IN_TRAINING = (TraineeStatus.ACTIVE, TraineeStatus.ON_LEAVE)


def not_ended(day: date, prefix: str = "") -> Q:
    """Assignments that have not ended by `day` (open-ended, or ending today or later)."""
    return Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gte": day})


def veileder_assignments_on(office, today: date) -> QuerySet[SupervisorAssignment]:
    """Veileder assignments in force on `today`: started, and not ended."""
    return SupervisorAssignment.objects.filter(
        office=office, role=SupervisorRole.VEILEDER, start__lte=today
    ).filter(not_ended(today))


def has_veileder(office, today: date) -> Exists:
    """For a Trainee queryset: the doctor has a veileder on `today` (the one rule for the
    inbox card «ALIS-leger uten veileder» and the doctor list it links to)."""
    return Exists(veileder_assignments_on(office, today).filter(trainee_id=OuterRef("pk")))


def without_veileder(office, today: date) -> QuerySet[Trainee]:
    """Doctors in training (active or on leave) with no veileder on `today`."""
    return Trainee.objects.filter(office=office, status__in=IN_TRAINING).exclude(
        has_veileder(office, today)
    )


# A doctor is "without supervision" when no session is logged for this many days (a cheap
# signal for the inbox card and the supervision overview's filter; the overview's "behind"
# applies the full rules).
NO_SESSION_DAYS = 60


def without_recent_session(office, today: date) -> QuerySet[Trainee]:
    """Doctors in training (active or on leave) for more than NO_SESSION_DAYS with no
    supervision session logged in that time (the one rule for the inbox card «Leger uten
    veiledning på to måneder» and the overview it links to)."""
    since = today - timedelta(days=NO_SESSION_DAYS)
    recent = SupervisionSession.objects.filter(
        office=office, trainee_id=OuterRef("pk"), day__gte=since
    )
    return Trainee.objects.filter(
        office=office, status__in=IN_TRAINING, specialisation_start__lte=since
    ).exclude(Exists(recent))


# --- ALIS doctors ---------------------------------------------------------------------------


def trainees_for_office(
    office,
    *,
    municipality_ids: set[int] | None = None,
    query: str = "",
    today: date | None = None,
    only_without_veileder: bool = False,
) -> QuerySet[Trainee]:
    """The office's doctors (for a leader: `municipality_ids`), each with `current_veileders`;
    `only_without_veileder`: only those `without_veileder` counts."""
    today = today or clock.today()
    base = without_veileder(office, today) if only_without_veileder else Trainee.objects
    qs = base.filter(office=office).select_related("municipality")
    if municipality_ids is not None:
        qs = qs.filter(municipality_id__in=municipality_ids)
    if query:
        query = query.strip()
        qs = qs.filter(
            Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(hpr_number__contains=query)
            | Q(municipality__name__icontains=query)
        )
    return qs.prefetch_related(
        Prefetch(
            "supervisors",
            queryset=veileder_assignments_on(office, today),
            to_attr="current_veileders",
        )
    ).order_by("last_name", "first_name")


def trainee_get(office, pk: int) -> Trainee:
    """One doctor of this office, or 404 (also a doctor who has moved to another office)."""
    return get_object_or_404(
        Trainee.objects.select_related(
            "municipality",
            "user",
            "position__municipality",
            "position__group",
            "position__medical_office",
        ),
        office=office,
        pk=pk,
    )


def linkable_trainee(office, user) -> Trainee | None:
    """The unlinked doctor record with the user's e-mail in a municipality where they hold the
    ALIS role: the record they may link to their account from their own page."""
    municipality_ids = Membership.objects.filter(
        user=user, office=office, role=Role.ALIS, is_active=True
    ).values("municipality_id")
    return Trainee.objects.filter(
        office=office,
        user__isnull=True,
        email__iexact=user.email,
        municipality_id__in=municipality_ids,
    ).first()


def hpr_holder(hpr_number: str, *, exclude_pk: int | None = None) -> Trainee | None:
    """The doctor registered with this HPR number anywhere in the country, or None.

    Cross-office by nature: an HPR number identifies one doctor nationally, so a number held by
    another office must be refused here too (a second record would sidestep the receiving
    office's acceptance of a transfer). Callers decide how much of the answer the user may learn.
    """
    with scopes_disabled():
        holders = Trainee.objects.filter(hpr_number=hpr_number).select_related("office")
        if exclude_pk is not None:
            holders = holders.exclude(pk=exclude_pk)
        return holders.first()


def trainee_for_user(office, user) -> Trainee | None:
    return (
        Trainee.objects.filter(office=office, user=user)
        .select_related(
            "municipality", "position__municipality", "position__group", "position__medical_office"
        )
        .first()
    )


def periods_for_trainee(trainee: Trainee) -> QuerySet[ServicePeriod]:
    return (
        ServicePeriod.objects.filter(office=trainee.office_id, trainee=trainee)
        .select_related("municipality", "served_by")
        .order_by("start", "pk")
    )


def assignments_for_trainee(trainee: Trainee) -> QuerySet[SupervisorAssignment]:
    return SupervisorAssignment.objects.filter(office=trainee.office_id, trainee=trainee).order_by(
        "role", "-start"
    )


def groups_for_trainee(trainee: Trainee) -> QuerySet[SupervisionGroup]:
    return SupervisionGroup.objects.filter(
        office=trainee.office_id, members=trainee
    ).select_related("leader_user")


@dataclass
class ServiceSummary:
    """Service so far in full-time equivalents (part-time counts proportionally, leave not)."""

    total_years: Decimal
    by_arena: list[tuple[str, Decimal]]
    leave_days: int


def service_summary(periods, today: date | None = None) -> ServiceSummary:
    today = today or clock.today()
    days: dict[str, Decimal] = defaultdict(Decimal)
    leave_days = 0
    for p in periods:
        stop = min(p.end or today, today)
        if stop < p.start:
            continue
        length = (stop - p.start).days + 1
        if p.is_leave:
            leave_days += length
        else:
            days[p.arena] += Decimal(length) * p.percentage / 100
    year = Decimal("365.25")
    by_arena = [
        (ArenaType(a).label, (d / year).quantize(Decimal("0.1"))) for a, d in sorted(days.items())
    ]
    total = (sum(days.values(), Decimal(0)) / year).quantize(Decimal("0.1"))
    return ServiceSummary(total, by_arena, leave_days)


# --- Change history -------------------------------------------------------------------------


@dataclass
class HistoryEntry:
    when: object
    who: str
    what: str
    kind: str  # "+" created, "~" changed, "-" deleted
    changes: list[tuple[str, str, str]] = field(default_factory=list)


def _display(model, name: str, value, lookups: dict) -> str:
    if value is None or value == "":
        return "–"
    f = model._meta.get_field(name)
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Ja") if value else _("Nei")
    if isinstance(value, date):
        return short_date(value)
    if f.is_relation:
        if f.related_model is Municipality:
            return lookups["municipalities"].get(value, str(value))
        if f.related_model is Office:
            return lookups["offices"].get(value, str(value))
        return _("koblet") if value else "–"
    return str(value)


HIDDEN = {"id", "trainee", "supervisor"}
LABELS = {"office": gettext_lazy("ALIS-kontor")}


def _entries(records, model, label, lookups) -> list[HistoryEntry]:
    """Diff each historical record against the previous one of the same object (in memory)."""
    entries, previous = [], {}
    for rec in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        who = str(rec.history_user) if rec.history_user_id else _("systemet")
        entry = HistoryEntry(rec.history_date, who, label(rec), rec.history_type)
        prev = previous.get(rec.id)
        if rec.history_type == "~" and prev is not None:
            delta = rec.diff_against(prev, excluded_fields=HIDDEN)
            entry.changes = [
                (
                    LABELS.get(c.field) or str(model._meta.get_field(c.field).verbose_name),
                    _display(model, c.field, c.old, lookups),
                    _display(model, c.field, c.new, lookups),
                )
                for c in delta.changes
            ]
            if not entry.changes:
                previous[rec.id] = rec
                continue
        previous[rec.id] = rec
        entries.append(entry)
    return entries


def trainee_history(trainee: Trainee, limit: int = 200) -> list[HistoryEntry]:
    """Who changed what and when on the doctor's record, periods and supervisors, newest first.

    The doctor's history belongs to the doctor's current office, including rows recorded while
    another office served them (history tables are not scoped; we filter by the doctor)."""
    records = {
        Trainee: list(Trainee.history.filter(id=trainee.pk).select_related("history_user")),
        ServicePeriod: list(
            ServicePeriod.history.filter(trainee_id=trainee.pk).select_related("history_user")
        ),
        SupervisorAssignment: list(
            SupervisorAssignment.history.filter(trainee_id=trainee.pk).select_related(
                "history_user"
            )
        ),
    }
    municipality_ids = {r.municipality_id for r in records[Trainee]} | {
        r.municipality_id for r in records[ServicePeriod] if r.municipality_id
    }
    lookups = {
        "municipalities": dict(
            Municipality.objects.filter(pk__in=municipality_ids).values_list("pk", "name")
        ),
        "offices": dict(Office.objects.values_list("pk", "name")),
    }
    arena = dict(ArenaType.choices)
    role = dict(SupervisorRole.choices)
    entries = [
        *_entries(records[Trainee], Trainee, lambda r: _("Legens opplysninger"), lookups),
        *_entries(
            records[ServicePeriod],
            ServicePeriod,
            lambda r: (
                _("Tjenesteperiode %(arena)s fra %(start)s")
                % {
                    "arena": arena.get(r.arena, r.arena),
                    "start": short_date(r.start),
                }
            ),
            lookups,
        ),
        *_entries(
            records[SupervisorAssignment],
            SupervisorAssignment,
            lambda r: f"{role.get(r.role, r.role)}: {r.supervisor_name}",
            lookups,
        ),
    ]
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]


# --- The old office's view after a transfer --------------------------------------------------


@dataclass
class FormerTrainee:
    """What an old office may still see of a doctor who moved to another office: the name,
    the HPR number and the periods it served. Nothing else is loaded."""

    name: str
    hpr_number: str
    periods: list[dict] = field(default_factory=list)


def periods_served_for_former_office(
    office, *, municipality_ids: set[int] | None = None
) -> list[FormerTrainee]:
    arena = dict(ArenaType.choices)
    # Cross-office on purpose: these periods and doctors now belong to another office; the old
    # office keeps read access to the periods it served (served_by) and to the doctor's name and
    # HPR number for them. Only those columns are read, and only for periods served by `office`.
    with scopes_disabled():
        rows = (
            ServicePeriod.objects.filter(served_by=office)
            .exclude(office=office)
            .order_by("trainee__last_name", "trainee__first_name", "trainee_id", "start")
        )
        if municipality_ids is not None:
            rows = rows.filter(municipality_id__in=municipality_ids)
        rows = list(
            rows.values(
                "trainee_id",
                "trainee__first_name",
                "trainee__last_name",
                "trainee__hpr_number",
                "municipality__name",
                "place",
                "arena",
                "percentage",
                "start",
                "end",
                "is_leave",
                "credited",
            )
        )
    doctors: dict[int, FormerTrainee] = {}
    for r in rows:
        doctor = doctors.setdefault(
            r["trainee_id"],
            FormerTrainee(
                f"{r['trainee__first_name']} {r['trainee__last_name']}", r["trainee__hpr_number"]
            ),
        )
        r["arena_display"] = arena.get(r["arena"], r["arena"])
        doctor.periods.append(r)
    return list(doctors.values())


# --- Supervisor pool ------------------------------------------------------------------------


def supervisors_with_load(office, today: date | None = None) -> QuerySet[Supervisor]:
    """The office's pool with `load` (veileder assignments not ended) and `free` capacity."""
    today = today or clock.today()
    load = Count(
        "assignments",
        filter=Q(assignments__role=SupervisorRole.VEILEDER) & not_ended(today, "assignments__"),
        distinct=True,
    )
    return (
        Supervisor.objects.filter(office=office)
        .select_related("user")
        .prefetch_related("municipalities")
        .annotate(load=load)
        .annotate(
            free=Greatest(
                Value(0, output_field=IntegerField()),
                F("capacity") - F("load"),
                output_field=IntegerField(),
            )
        )
    )


def supervisors_for_municipality(
    office, municipality: Municipality, *, only_free: bool = True, today: date | None = None
) -> QuerySet[Supervisor]:
    """Pool supervisors for a leader looking for a veileder: those who serve the municipality
    first, then those serving a neighbour in the same county, then the rest of the region;
    specialists in general practice before others, most free capacity first."""
    through = Supervisor.municipalities.through
    serves_here = Exists(
        through.objects.filter(supervisor_id=OuterRef("pk"), municipality_id=municipality.pk)
    )
    serves_county = Exists(
        through.objects.filter(
            supervisor_id=OuterRef("pk"), municipality__county=municipality.county
        )
    )
    qs = (
        supervisors_with_load(office, today)
        .filter(is_active=True)
        .annotate(serves_here=serves_here, serves_county=serves_county)
    )
    if only_free:
        qs = qs.filter(free__gt=0)
    return qs.order_by("-serves_here", "-serves_county", "specialty", "-free", "name", "pk")


@dataclass
class CapacityRow:
    name: str
    county: str
    doctors: int = 0
    without_veileder: int = 0
    free: int = 0
    supervisors: int = 0

    @property
    def shortfall(self) -> int:
        return max(self.without_veileder - self.free, 0)


def capacity_overview(office, today: date | None = None) -> dict:
    """Where veileder capacity is short: per municipality and per county, doctors in training
    without a veileder against the free capacity of active pool supervisors who serve there.

    A supervisor serving several municipalities counts once per municipality and once per
    county (the same free place can only be used once, so sums across rows overstate supply)."""
    today = today or clock.today()
    has_veileder = Exists(
        SupervisorAssignment.objects.filter(
            trainee=OuterRef("pk"), role=SupervisorRole.VEILEDER
        ).filter(not_ended(today))
    )
    trainees = (
        Trainee.objects.filter(office=office, status__in=IN_TRAINING)
        .annotate(has_veileder=has_veileder)
        .values("municipality_id", "municipality__name", "municipality__county", "has_veileder")
    )
    supervisors = list(supervisors_with_load(office, today).filter(is_active=True))
    by_municipality: dict[int, CapacityRow] = {}
    by_county: dict[str, CapacityRow] = {}
    county_supervisors: dict[str, set[int]] = defaultdict(set)
    for t in trainees:
        row = by_municipality.setdefault(
            t["municipality_id"], CapacityRow(t["municipality__name"], t["municipality__county"])
        )
        county = by_county.setdefault(row.county, CapacityRow(row.county, row.county))
        for r in (row, county):
            r.doctors += 1
            r.without_veileder += 0 if t["has_veileder"] else 1
    for s in supervisors:
        for m in s.municipalities.all():
            row = by_municipality.setdefault(m.pk, CapacityRow(m.name, m.county))
            row.free += s.free
            row.supervisors += 1
            if s.pk not in county_supervisors[m.county]:
                county_supervisors[m.county].add(s.pk)
                county = by_county.setdefault(m.county, CapacityRow(m.county, m.county))
                county.free += s.free
                county.supervisors += 1
    key = lambda r: (-r.shortfall, r.county, r.name)  # noqa: E731
    waiting = (
        Trainee.objects.filter(office=office, status__in=IN_TRAINING)
        .annotate(has_veileder=has_veileder)
        .filter(has_veileder=False)
        .select_related("municipality")
        .order_by("municipality__name", "last_name")
    )
    return {
        "waiting": waiting,
        "municipalities": sorted(by_municipality.values(), key=key),
        "counties": sorted(by_county.values(), key=key),
        "total_without": sum(r.without_veileder for r in by_county.values()),
        "total_free": sum(s.free for s in supervisors),
        "unserved_supervisors": sum(1 for s in supervisors if not s.municipalities.all()),
    }


# --- Group supervision ----------------------------------------------------------------------


def groups_for_office(
    office, *, municipality_ids: set[int] | None = None, user=None
) -> QuerySet[SupervisionGroup]:
    """The office's groups; for a leader (`municipality_ids`) those with a doctor of their
    municipality or that they created."""
    qs = SupervisionGroup.objects.filter(office=office).select_related("leader_user")
    if municipality_ids is not None:
        mine = SupervisionGroup.objects.filter(
            office=office, members__municipality_id__in=municipality_ids
        ).values("pk")
        qs = qs.filter(Q(pk__in=mine) | Q(created_by=user))
    members = Trainee.objects.filter(office=office).select_related("municipality")
    return qs.prefetch_related(Prefetch("members", queryset=members)).order_by("-start", "name")


@dataclass
class TrustGroups:
    """The supervision groups of one health-trust area (or of several, for a group whose
    doctors work in more than one), as the coordinators' own tables are grouped."""

    name: str
    groups: list = field(default_factory=list)

    @property
    def members(self) -> int:
        return sum(len(g.members.all()) for g in self.groups)


def groups_by_health_trust(groups, on: date | None = None) -> list[TrustGroups]:
    """`groups` (members prefetched with their municipality) under the health trust of their
    doctors' municipalities on `on` (today): one heading per trust, «A / B» for a group across
    trusts, groups without doctors last."""
    groups = list(groups)
    trusts = health_trust_names(
        {t.municipality_id for g in groups for t in g.members.all()}, on or clock.today()
    )
    headings: dict[str, TrustGroups] = {}
    for group in groups:
        names = sorted({trusts.get(t.municipality_id, "") for t in group.members.all()})
        if not names:
            key = str(_("Uten deltakere"))
        else:
            key = " / ".join(n or str(_("Helseforetak ikke kjent")) for n in names)
        headings.setdefault(key, TrustGroups(key)).groups.append(group)
    empty = str(_("Uten deltakere"))
    return sorted(headings.values(), key=lambda h: (h.name == empty, h.name.lower()))


def group_get(office, pk: int) -> SupervisionGroup:
    return get_object_or_404(
        SupervisionGroup.objects.select_related("leader_user").prefetch_related("members"),
        office=office,
        pk=pk,
    )


# --- Supervision log ------------------------------------------------------------------------------


def can_read_minutes(user, trainee: Trainee) -> bool:
    """Minutes are for the doctor and their veileder (the supervisor's user) only: not the
    leader, not the office, not a supervisør."""
    if trainee.user_id is not None and trainee.user_id == user.pk:
        return True
    return assignments_of_user(user, trainee).filter(role=SupervisorRole.VEILEDER).exists()


def assignments_of_user(user, trainee: Trainee, on: date | None = None) -> QuerySet:
    """The user's supervisor assignments for the doctor that are in force on `on` (today):
    access through an assignment ends the day after it ends."""
    on = on or clock.today()
    return SupervisorAssignment.objects.filter(
        office=trainee.office_id, trainee=trainee, supervisor__user=user, start__lte=on
    ).exclude(end__lt=on)


def is_veileder_of(user, trainee: Trainee) -> bool:
    return assignments_of_user(user, trainee).exists()


def was_supervisor_of(user, trainee: Trainee) -> bool:
    """Any assignment, also ended ones (to answer 404 once access has ended)."""
    return SupervisorAssignment.objects.filter(
        office=trainee.office_id, trainee=trainee, supervisor__user=user
    ).exists()


def sessions_for_trainee(trainee: Trainee, *, with_minutes: bool) -> QuerySet:
    """The doctor's supervision sessions, newest first. Without `with_minutes` the minutes are
    not even read from the database, so a template cannot show them by mistake."""
    qs = (
        SupervisionSession.objects.filter(office=trainee.office_id, trainee=trainee)
        .select_related("assignment")
        .prefetch_related("goals")
        .order_by("-day", "-pk")
    )
    return qs if with_minutes else qs.defer("minutes")


def group_attendance_for_trainee(trainee: Trainee) -> QuerySet:
    """The group meetings the doctor attended, whichever office held them. A meeting stays
    with its group when the doctor moves (the old office keeps its groups), but the doctor's
    attendance is the doctor's: it counts in the new office's figures and shows on the
    doctor's pages there (day, hours and the group's name)."""
    return (
        GroupMeeting.objects.with_scopes_disabled()
        .filter(attendees=trainee)
        .select_related("group")
        .order_by("-day")
    )


def meetings_for_group(group: SupervisionGroup) -> QuerySet:
    return (
        GroupMeeting.objects.filter(office=group.office_id, group=group)
        .prefetch_related("attendees")
        .order_by("-day")
    )


def courses_for_trainee(office, trainee):
    return CourseRecord.objects.filter(office=office, trainee=trainee)


def period_get(office, trainee: Trainee, pk: int) -> ServicePeriod:
    """One of the doctor's service periods, or 404."""
    return get_object_or_404(ServicePeriod.objects.filter(office=office, trainee=trainee), pk=pk)


def assignment_get(office, trainee: Trainee, pk: int) -> SupervisorAssignment:
    """One of the doctor's supervisor assignments, or 404."""
    return get_object_or_404(
        SupervisorAssignment.objects.filter(office=office, trainee=trainee), pk=pk
    )


def current_assignments_of_supervisor(office, user, *, today: date) -> QuerySet:
    """The assignments (not ended) where the user is the veileder or supervisør."""
    return (
        SupervisorAssignment.objects.filter(office=office, supervisor__user=user)
        .filter(not_ended(today))
        .select_related("trainee__municipality")
        .order_by("trainee__last_name")
    )


def office_trainees_in_training(
    office, municipality_ids: set[int] | None = None
) -> QuerySet[Trainee]:
    """The office's doctors in training (of `municipality_ids` when given), by municipality
    and name."""
    qs = Trainee.objects.filter(office=office, status__in=IN_TRAINING).select_related(
        "municipality"
    )
    if municipality_ids is not None:
        qs = qs.filter(municipality_id__in=municipality_ids)
    return qs.order_by("municipality__name", "last_name", "first_name", "pk")


def trainees_in_training(office, municipality) -> QuerySet[Trainee]:
    """The municipality's doctors in training (active or on leave)."""
    return Trainee.objects.filter(
        office=office, municipality=municipality, status__in=IN_TRAINING
    ).select_related("municipality")


# --- Transfers to another office ----------------------------------------------------------------

_TRANSFER_RELATED = (
    "office",
    "to_office",
    "from_municipality",
    "to_municipality",
    "requested_by",
    "decided_by",
)


def transfers_outgoing(office, *, municipality_ids=None) -> QuerySet[TransferRequest]:
    """What the office has asked other offices to take over (its own rows), newest first."""
    transfers = TransferRequest.objects.filter(office=office).select_related(*_TRANSFER_RELATED)
    if municipality_ids is not None:
        transfers = transfers.filter(from_municipality_id__in=municipality_ids)
    return transfers


def transfers_incoming(office) -> QuerySet[TransferRequest]:
    """What other offices ask this one to take over. The rows are the senders' (cross-office by
    nature): read without the scope, filtered explicitly on the receiving office."""
    with scopes_disabled():
        return TransferRequest.objects.filter(to_office=office).select_related(*_TRANSFER_RELATED)


def transfers_incoming_pending_count(office) -> int:
    with scopes_disabled():  # see transfers_incoming
        return TransferRequest.objects.filter(
            to_office=office, status=TransferStatus.PENDING
        ).count()


def transfer_get(office, transfer_id: int, *, municipality_ids=None) -> TransferRequest:
    """One request the office sent or received; 404 for any other office (and, for a leader,
    for a request from a municipality they do not lead)."""
    own = Q(office=office)
    if municipality_ids is not None:
        own &= Q(from_municipality_id__in=municipality_ids)
        received = Q(pk__in=[])  # answering is the office's, not a leader's
    else:
        received = Q(to_office=office)
    with scopes_disabled():  # see transfers_incoming
        return get_object_or_404(
            TransferRequest.objects.select_related(*_TRANSFER_RELATED).filter(own | received),
            pk=transfer_id,
        )


def pending_transfer_for(trainee: Trainee) -> TransferRequest | None:
    """The open request to move this doctor (shown on the doctor's page in the sending office)."""
    return (
        TransferRequest.objects.filter(
            office=trainee.office, trainee_id=trainee.pk, status=TransferStatus.PENDING
        )
        .select_related("to_office", "to_municipality")
        .first()
    )
