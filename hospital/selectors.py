"""Reads for the hospital period: what each doctor needs (through the rules engine), the queue,
places with their free seats, bookings as each role may see them, and the office's overview."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from fractions import Fraction

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from municipalities.models import HealthTrust, HealthTrustArea
from offices import clock
from offices.vocabularies import Scheme
from plans.rules import (
    add_months,
    format_amount,
    institution_earliest_start,
    institution_placement,
    service_progress,
)
from plans.selectors import plan_periods, service_periods_for
from plans.standing import standing
from trainees.models import Trainee
from trainees.selectors import IN_TRAINING

from .models import (
    ACTIVE_STATUSES,
    HOLDS_SEAT,
    Booking,
    BookingStatus,
    Department,
    Hospital,
    InstitutionRule,
    Place,
    TrustAgreement,
    TrustContact,
)

ONE_DAY = timedelta(days=1)
# Doctors whose latest start lies within this many months need a place now (queue, overview,
# reminders).
SOON_MONTHS = 12


# --- Rules -----------------------------------------------------------------------------------


def rule_for(scheme: str, on: date) -> InstitutionRule | None:
    """The institution rule in force for a doctor's scheme (a converted doctor follows the new
    scheme); as for rule sets, the latest that started before `on` when none is valid then."""
    rule_scheme = Scheme.OLD if scheme == Scheme.OLD else Scheme.NEW
    candidates = InstitutionRule.objects.filter(scheme=rule_scheme, valid_from__lte=on)
    current = candidates.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on)).first()
    return current or candidates.order_by("-valid_from").first()


# --- What a doctor needs -----------------------------------------------------------------------


@dataclass(frozen=True)
class Need:
    """A doctor's institution requirement on a day.

    * `required` and `done` are the rules engine's institution requirement (`plans.standing`):
      months required by the rule set, months credited so far.
    * `finish` is the day the doctor is to finish: the approved plan's completion date, or,
      without one, the day the engine projects the doctor's service to reach the total when the
      hospital months replace months of the current post (the caps on practice set aside, since
      the institution months are exactly what fills them).
    * `module` is the module length that covers what is missing (the shortest of the rule's
      lengths that is long enough; more than the longest: the missing months rounded up);
      `latest_start` the last start day of such a module that still ends by `finish`.
    * `earliest_start`: where the rule set requires a later start (its
      `institution_from_month`, the reading the requirement page shows), the first day the
      service may start; `placement` says it in the requirement page's words.
    """

    trainee: Trainee
    on: date
    required: Fraction
    done: Fraction
    finish: date | None
    module: int | None
    latest_start: date | None
    earliest_start: date | None
    booking: Booking | None = None
    trust: HealthTrust | None = None
    placement: str = ""

    @property
    def missing(self) -> Fraction:
        return max(Fraction(0), self.required - self.done)

    @property
    def needs_place(self) -> bool:
        return self.missing > 0

    @property
    def done_text(self) -> str:
        return format_amount(self.done)

    @property
    def required_text(self) -> str:
        return format_amount(self.required)

    @property
    def missing_text(self) -> str:
        return format_amount(self.missing)

    @property
    def has_place(self) -> bool:
        return self.booking is not None and self.booking.status in HOLDS_SEAT

    @property
    def without_place(self) -> bool:
        return self.needs_place and not self.has_place

    @property
    def due_soon(self) -> bool:
        """Needs a place and the latest start lies within 12 months (or has passed)."""
        return (
            self.without_place
            and self.latest_start is not None
            and self.latest_start <= add_months(self.on, SOON_MONTHS)
        )

    @property
    def too_late(self) -> bool:
        return self.without_place and self.latest_start is not None and self.latest_start < self.on

    @property
    def impossible(self) -> bool:
        """The rule set's earliest start lies after the latest start."""
        return (
            self.without_place
            and self.earliest_start is not None
            and self.latest_start is not None
            and self.earliest_start > self.latest_start
        )


def module_for(missing: Fraction, lengths: list[int]) -> int | None:
    if missing <= 0:
        return None
    fitting = [n for n in lengths if n >= missing]
    return min(fitting) if fitting else math.ceil(missing)


def latest_start_for(finish: date, months: int) -> date:
    """The last start day of a module of `months` calendar months that ends by `finish`."""
    start = add_months(finish + ONE_DAY, -months)
    while add_months(start, months) - ONE_DAY > finish:  # a clamped month end
        start -= ONE_DAY
    return start


def _finish(trainee: Trainee, current, periods) -> date | None:
    version = current.plan_version
    if version is not None and version.target_completion:
        return version.target_completion
    if current.rule_set is None:
        return None
    rules = replace(
        current.rule_set.values(), open_practice_max_months=None, other_practice_max_months=None
    )
    result = service_progress(
        periods,
        rules,
        programme_start=trainee.specialisation_start,
        on=current.on,
        plan=plan_periods(version),
    )
    return result.reached.get("total")


def need_for(trainee: Trainee, on: date | None = None, booking: Booking | None = None) -> Need:
    """The doctor's institution need on `on` (default today), from the one standing."""
    on = on or clock.today()
    current = standing(trainee, on, with_goals=False)
    requirement = current.get("institution")
    rule = rule_for(trainee.scheme, on)
    required = requirement.required if requirement and requirement.required else Fraction(0)
    done = requirement.credited if requirement and requirement.credited else Fraction(0)
    finish = _finish(trainee, current, service_periods_for(trainee))
    module = module_for(required - done, rule.lengths if rule else [4, 6])
    latest = latest_start_for(finish, module) if finish and module else None
    earliest, placement = None, ""
    if current.rule_set is not None:
        rules = current.rule_set.values()
        earliest = institution_earliest_start(rules, trainee.specialisation_start)
        placement = institution_placement(rules, trainee.specialisation_start)
    return Need(
        trainee, on, required, done, finish, module, latest, earliest, booking, None, placement
    )


def current_booking(trainee: Trainee) -> Booking | None:
    """The doctor's live booking (requested, proposed, confirmed), else the last served."""
    bookings = list(
        Booking.objects.filter(
            office=trainee.office_id, trainee=trainee, status__in=ACTIVE_STATUSES
        )
        .select_related("place__department__hospital__trust", "proposed_place__department")
        .order_by("-requested_at")
    )
    live = [b for b in bookings if b.status != BookingStatus.SERVED]
    return (live or bookings or [None])[0]


def trust_by_municipality(office, on: date) -> dict[int, HealthTrust]:
    """The health trust whose area each of the office's municipalities lies in on `on`."""
    areas = (
        HealthTrustArea.objects.valid_on(on)
        .filter(municipality__office=office)
        .select_related("health_trust")
    )
    return {a.municipality_id: a.health_trust for a in areas}


def needs_queue(
    office,
    *,
    on: date | None = None,
    municipality_ids: set[int] | None = None,
    trust_id: int | None = None,
    municipality_id: int | None = None,
) -> list[Need]:
    """Doctors in training who still need institution months, most urgent first (the latest
    start soonest; those without a computable date last). Filters: a health-trust area, a
    municipality; `municipality_ids` limits a leader to their own."""
    on = on or clock.today()
    trainees = Trainee.objects.filter(office=office, status__in=IN_TRAINING).select_related(
        "municipality"
    )
    if municipality_ids is not None:
        trainees = trainees.filter(municipality_id__in=municipality_ids)
    if municipality_id:
        trainees = trainees.filter(municipality_id=municipality_id)
    trusts = trust_by_municipality(office, on)
    if trust_id:
        trainees = trainees.filter(
            municipality_id__in=[m for m, t in trusts.items() if t.pk == trust_id]
        )
    needs = []
    for trainee in trainees:
        need = need_for(trainee, on, current_booking(trainee))
        if need.needs_place:
            needs.append(replace(need, trust=trusts.get(trainee.municipality_id)))
    return sorted(
        needs,
        key=lambda n: (
            n.has_place,
            n.latest_start is None,
            n.latest_start or on,
            n.trainee.last_name,
        ),
    )


# --- Reference data, agreements, contacts ------------------------------------------------------


def office_trusts(office, on: date | None = None) -> QuerySet[HealthTrust]:
    """The trusts of the office's health-trust areas, and any the office keeps hospitals for."""
    on = on or clock.today()
    in_area = HealthTrustArea.objects.valid_on(on).filter(municipality__office=office)
    kept = Hospital.objects.filter(office=office).values("trust_id")
    return HealthTrust.objects.filter(
        Q(pk__in=in_area.values("health_trust_id")) | Q(pk__in=kept)
    ).order_by("name")


def hospitals_for(office, trust_ids: set[int] | None = None) -> list[Hospital]:
    qs = Hospital.objects.filter(office=office).select_related("trust")
    if trust_ids is not None:
        qs = qs.filter(trust_id__in=trust_ids)
    return list(
        qs.prefetch_related(
            Prefetch("departments", queryset=Department.objects.filter(office=office))
        )
    )


def departments_for(office, trust_ids: set[int] | None = None) -> QuerySet[Department]:
    qs = Department.objects.filter(office=office).select_related("hospital__trust")
    if trust_ids is not None:
        qs = qs.filter(hospital__trust_id__in=trust_ids)
    return qs.order_by("hospital__trust__name", "hospital__name", "name")


def hospital_get(office, pk: int) -> Hospital:
    return get_object_or_404(Hospital.objects.select_related("trust"), office=office, pk=pk)


def agreements_for(office) -> QuerySet[TrustAgreement]:
    """The current version of every agreement (older versions through `previous`)."""
    return (
        TrustAgreement.objects.filter(office=office, next_version__isnull=True)
        .select_related("trust", "previous")
        .prefetch_related("municipalities")
        .order_by("trust__name", "-start")
    )


def agreement_get(office, pk: int) -> TrustAgreement:
    return get_object_or_404(
        TrustAgreement.objects.select_related("trust", "previous", "created_by").prefetch_related(
            "municipalities"
        ),
        office=office,
        pk=pk,
    )


def agreement_versions(agreement: TrustAgreement) -> list[TrustAgreement]:
    versions, current = [], agreement.previous
    while current is not None:
        versions.append(current)
        current = current.previous
    return versions


def agreements_ending(office, on: date, days: int = 90) -> QuerySet[TrustAgreement]:
    return agreements_for(office).filter(end__gte=on, end__lte=on + timedelta(days=days))


def contacts_for(office) -> QuerySet[TrustContact]:
    return TrustContact.objects.filter(office=office).select_related("trust")


def contact_trust_ids(office, user) -> set[int]:
    """The trusts a signed-in trust contact answers for (matched on their e-mail address, the
    one the office's invitation went to)."""
    return set(
        TrustContact.objects.filter(office=office, email__iexact=user.email).values_list(
            "trust_id", flat=True
        )
    )


# --- Places and bookings -----------------------------------------------------------------------


def places_for(
    office,
    *,
    trust_ids: set[int] | None = None,
    from_day: date | None = None,
    department_id: int | None = None,
) -> QuerySet[Place]:
    """Module places with `taken` (seats held by confirmed or served bookings)."""
    qs = Place.objects.filter(office=office).select_related("department__hospital__trust")
    if trust_ids is not None:
        qs = qs.filter(department__hospital__trust_id__in=trust_ids)
    if from_day is not None:
        qs = qs.filter(start__gte=from_day)
    if department_id:
        qs = qs.filter(department_id=department_id)
    return qs.annotate(
        taken=Count("bookings", filter=Q(bookings__status__in=HOLDS_SEAT), distinct=True)
    ).order_by("start", "department__hospital__name", "department__name", "months")


def place_get(office, pk: int, trust_ids: set[int] | None = None) -> Place:
    return get_object_or_404(places_for(office, trust_ids=trust_ids), pk=pk)


def bookings_for(
    office,
    *,
    municipality_ids: set[int] | None = None,
    trust_ids: set[int] | None = None,
    trainee: Trainee | None = None,
    statuses=None,
) -> QuerySet[Booking]:
    qs = Booking.objects.filter(office=office).select_related(
        "trainee__municipality",
        "place__department__hospital__trust",
        "proposed_place__department__hospital",
        "requested_by",
        "answered_by",
    )
    if municipality_ids is not None:
        qs = qs.filter(trainee__municipality_id__in=municipality_ids)
    if trust_ids is not None:
        qs = qs.filter(place__department__hospital__trust_id__in=trust_ids)
    if trainee is not None:
        qs = qs.filter(trainee=trainee)
    if statuses is not None:
        qs = qs.filter(status__in=statuses)
    return qs.order_by("-requested_at", "-pk")


def booking_get(
    office, pk: int, *, municipality_ids: set[int] | None = None, trust_ids=None, trainee=None
) -> Booking:
    """One booking the caller may see, or 404 (another office's, another municipality's,
    another trust's, another doctor's)."""
    return get_object_or_404(
        bookings_for(
            office, municipality_ids=municipality_ids, trust_ids=trust_ids, trainee=trainee
        ),
        pk=pk,
    )


def pending_since(office, before) -> QuerySet[Booking]:
    """Requests the trust has not answered since before `before` (a datetime)."""
    return bookings_for(office, statuses=[BookingStatus.REQUESTED]).filter(requested_at__lt=before)


# --- The office's overview -----------------------------------------------------------------------


def half_year(day: date) -> date:
    return date(day.year, 1 if day.month <= 6 else 7, 1)


def half_year_label(start: date) -> str:
    return f"{start.year} {'vår' if start.month == 1 else 'høst'}"


@dataclass
class OverviewRow:
    trust: HealthTrust
    half: date
    places: int = 0
    taken: int = 0

    @property
    def label(self) -> str:
        return half_year_label(self.half)

    @property
    def free(self) -> int:
        return max(0, self.places - self.taken)


@dataclass
class TrustDemand:
    trust: HealthTrust | None
    free_within: int = 0  # free seats in modules starting within 12 months
    waiting: list[Need] = field(default_factory=list)  # need a place within 12 months

    @property
    def short(self) -> bool:
        return len(self.waiting) > self.free_within

    @property
    def shortfall(self) -> int:
        return max(0, len(self.waiting) - self.free_within)


def overview(office, on: date | None = None) -> dict:
    """Places used and free per trust and half-year (from this half-year on), and per trust
    the doctors without a place who need one within 12 months against the free seats in
    modules starting in that time: a warning where demand exceeds places."""
    on = on or clock.today()
    horizon = add_months(on, SOON_MONTHS)
    rows: dict[tuple[int, date], OverviewRow] = {}
    demand: dict[int | None, TrustDemand] = {}
    for place in places_for(office, from_day=half_year(on)):
        trust = place.trust
        row = rows.setdefault(
            (trust.pk, half_year(place.start)), OverviewRow(trust, half_year(place.start))
        )
        row.places += place.capacity
        row.taken += place.taken
        if on < place.start <= horizon:
            demand.setdefault(trust.pk, TrustDemand(trust)).free_within += max(
                0, place.capacity - place.taken
            )
    waiting = [n for n in needs_queue(office, on=on) if n.due_soon]
    for need in waiting:
        key = need.trust.pk if need.trust else None
        demand.setdefault(key, TrustDemand(need.trust)).waiting.append(need)
    table = sorted(rows.values(), key=lambda r: (r.trust.name, r.half))
    trusts = sorted(demand.values(), key=lambda d: d.trust.name if d.trust else "")
    return {"rows": table, "demand": trusts, "waiting": waiting, "chart": chart(trusts)}


BAR_AREA = 280
ROW_HEIGHT = 26


def chart(demand: list[TrustDemand]) -> dict:
    """Two bars per trust (free seats within 12 months, doctors who need one) for an SVG chart
    whose numbers also stand in the table."""
    top = max([d.free_within for d in demand] + [len(d.waiting) for d in demand] + [1])
    groups = []
    for index, d in enumerate(demand):
        y = index * ROW_HEIGHT * 2
        bars = []
        for offset, (kind, value) in enumerate((("free", d.free_within), ("need", len(d.waiting)))):
            width = round(BAR_AREA * value / top)
            bars.append(
                {
                    "kind": kind,
                    "value": value,
                    "y": y + offset * ROW_HEIGHT,
                    "width": width,
                    "text_x": 230 + width + 6,
                }
            )
        groups.append(
            {"label": d.trust.name if d.trust else "–", "y": y, "bars": bars, "short": d.short}
        )
    return {"groups": groups, "height": max(len(groups), 1) * ROW_HEIGHT * 2}
