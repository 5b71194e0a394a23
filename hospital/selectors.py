"""Reads for the hospital period: what each doctor needs (through the rules engine), the queue,
places with their free seats, bookings as each role may see them, and the office's overview."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from fractions import Fraction

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from municipalities.models import HealthTrust, HealthTrustArea
from offices import clock
from offices.dates import short_date
from offices.vocabularies import ArenaType, Scheme
from plans.rules import (
    add_months,
    format_amount,
    institution_earliest_start,
    institution_placement,
    service_progress,
)
from plans.selectors import plan_periods, standing_inputs
from plans.standing import Standing, register_arranged, standings
from trainees.models import Trainee
from trainees.selectors import IN_TRAINING

from .models import (
    ACTIVE_STATUSES,
    HOLDS_SEAT,
    OPEN_STATUSES,
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


# --- What a doctor needs -----------------------------------------------------------------------


@dataclass(frozen=True)
class Need:
    """A doctor's institution requirement on a day.

    * `required`, `done` and `missing_shown` are the rules engine's institution requirement
      (`plans.standing`): months required by the rule set, months credited so far, and what is
      missing as the requirement page shows it.
    * `finish` is the one finish date every page shows: `plans.standing`'s projected completion
      (None: it cannot be computed, as on the requirement page).
    * `assumed_finish` is what the latest start is counted back from when `finish` cannot be
      computed: the approved plan's target date, or, without one, the day the engine projects
      the doctor's service to reach the total when the hospital months replace months of the
      current post (the caps on practice set aside). It is an assumption and is shown as one.
    * `module` is the module length that covers what is missing (the shortest of the rule's
      lengths that is long enough; more than the longest: the missing months rounded up);
      `latest_start` the last start day of such a module that still ends by the finish (or the
      assumed finish).
    * `earliest_start`: where the rule set requires a later start (its
      `institution_from_month`, the reading the requirement page shows), the first day the
      service may start; `placement` says it in the requirement page's words.
    * `serving`: an institution service period is registered as going on now or ahead.
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
    assumed_finish: date | None = None
    missing_shown: str = ""
    serving: bool = False
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
        """What is missing, exactly as the requirement page shows it."""
        return self.missing_shown or format_amount(self.missing)

    @property
    def basis(self) -> date | None:
        """The day the latest start is counted back from: the finish, else the assumption."""
        return self.finish or self.assumed_finish

    @property
    def on_assumption(self) -> bool:
        """The latest start rests on the assumed finish, not on a computed one."""
        return self.finish is None and self.assumed_finish is not None

    @property
    def has_place(self) -> bool:
        return self.booking is not None and self.booking.status in HOLDS_SEAT

    @property
    def without_place(self) -> bool:
        return self.needs_place and not self.has_place and not self.serving

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


def _assumed_finish(trainee: Trainee, current: Standing, periods) -> date | None:
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


def _choose_rule(rules: list[InstitutionRule], scheme: str, on: date) -> InstitutionRule | None:
    """The institution rule in force for a doctor's scheme (a converted doctor follows the new
    scheme); as for rule sets, the latest that started before `on` when none is valid then."""
    rule_scheme = Scheme.OLD if scheme == Scheme.OLD else Scheme.NEW
    candidates = sorted(
        (r for r in rules if r.scheme == rule_scheme and r.valid_from <= on),
        key=lambda r: r.valid_from,
        reverse=True,
    )
    current = [r for r in candidates if r.valid_to is None or r.valid_to >= on]
    return (current or candidates or [None])[0]


def _serving(periods, on: date) -> bool:
    return any(
        p.arena == ArenaType.INSTITUTION and not p.is_leave and (p.end is None or p.end >= on)
        for p in periods
    )


def needs_for(trainees, on: date | None = None, *, with_bookings: bool = True) -> dict[int, Need]:
    """The institution need of each doctor, by id, from the one standing (`plans.standing`),
    read for all of them in a fixed number of queries."""
    on = on or clock.today()
    trainees = list(trainees)
    if not trainees:
        return {}
    inputs = standing_inputs(trainees, on)
    current = standings(trainees, on, inputs=inputs)
    rules = list(InstitutionRule.objects.filter(valid_from__lte=on))
    bookings = current_bookings(trainees) if with_bookings else {}
    needs = {}
    for trainee in trainees:
        now = current[trainee.pk]
        periods = inputs[trainee.pk].periods
        requirement = now.get("institution")
        rule = _choose_rule(rules, trainee.scheme, on)
        required = requirement.required if requirement and requirement.required else Fraction(0)
        done = requirement.credited if requirement and requirement.credited else Fraction(0)
        finish = now.projected_completion
        assumed = None if finish else _assumed_finish(trainee, now, periods)
        module = module_for(required - done, rule.lengths if rule else [4, 6])
        basis = finish or assumed
        latest = latest_start_for(basis, module) if basis and module else None
        earliest, placement = None, ""
        if now.rule_set is not None:
            values = now.rule_set.values()
            earliest = institution_earliest_start(values, trainee.specialisation_start)
            placement = institution_placement(values, trainee.specialisation_start)
        needs[trainee.pk] = Need(
            trainee,
            on,
            required,
            done,
            finish,
            module,
            latest,
            earliest,
            booking=bookings.get(trainee.pk),
            assumed_finish=assumed,
            missing_shown=requirement.missing if requirement else "",
            serving=_serving(periods, on),
            placement=placement,
        )
    return needs


def need_for(trainee: Trainee, on: date | None = None, booking: Booking | None = None) -> Need:
    """The doctor's institution need on `on` (default today), from the one standing."""
    need = needs_for([trainee], on, with_bookings=False)[trainee.pk]
    return replace(need, booking=booking) if booking is not None else need


def booking_warnings(trainee: Trainee, place: Place, *, today=None) -> list[str]:
    """What the requester and the trust's contact should know but that does not stop the
    booking: a module shorter than what the doctor is missing."""
    need = need_for(trainee, today or clock.today())
    if need.needs_place and place.months < need.missing:
        return [
            _(
                "Modulen på %(months)s mnd dekker ikke hele behovet: legen mangler %(missing)s "
                "institusjonstjeneste. Resten må bestilles når modulen er gjennomført."
            )
            % {"months": place.months, "missing": need.missing_text}
        ]
    return []


def current_bookings(trainees) -> dict[int, Booking]:
    """Each doctor's live booking (requested, proposed, confirmed), else the last served, by
    doctor id, in one query."""
    trainees = list(trainees)
    rows = (
        Booking.objects.filter(
            office__in={t.office_id for t in trainees},
            trainee__in=[t.pk for t in trainees],
            status__in=ACTIVE_STATUSES,
        )
        .select_related("place__department__hospital__trust", "proposed_place__department")
        .order_by("-requested_at", "-pk")
    )
    live: dict[int, Booking] = {}
    served: dict[int, Booking] = {}
    for booking in rows:
        target = served if booking.status == BookingStatus.SERVED else live
        target.setdefault(booking.trainee_id, booking)
    return {**served, **live}


def current_booking(trainee: Trainee) -> Booking | None:
    """The doctor's live booking (requested, proposed, confirmed), else the last served."""
    return current_bookings([trainee]).get(trainee.pk)


def open_bookings(trainee: Trainee) -> QuerySet[Booking]:
    """The doctor's bookings not yet served nor closed: requested, proposed, confirmed."""
    return (
        Booking.objects.filter(office=trainee.office_id, trainee=trainee, status__in=OPEN_STATUSES)
        .select_related("place__department__hospital", "proposed_place__department__hospital")
        .order_by("place__start")
    )


def confirmed_bookings(trainee: Trainee, *, with_served: bool = False) -> list[Booking]:
    """The doctor's confirmed bookings not yet registered as service (`with_served`: and those
    registered), by start."""
    statuses = HOLDS_SEAT if with_served else [BookingStatus.CONFIRMED]
    return list(
        Booking.objects.filter(office=trainee.office_id, trainee=trainee, status__in=statuses)
        .select_related("place__department__hospital")
        .order_by("place__start")
    )


def arranged_institution(trainee: Trainee) -> dict[str, str]:
    """For `plans.standing`: the doctor's confirmed module places, as the requirement page
    shows them ("Akutt, Haukeland 01.01.2027–30.06.2027"). Read for the doctor's own office
    whatever scope the caller is in (a reminder, a report)."""
    rows = (
        Booking.objects.with_scopes_disabled()
        .filter(office=trainee.office_id, trainee=trainee, status=BookingStatus.CONFIRMED)
        .select_related("place__department__hospital")
        .order_by("place__start")
    )
    text = "; ".join(
        f"{b.place.department} {short_date(b.place.start)}–{short_date(b.place.end)}" for b in rows
    )
    return {"institution": text} if text else {}


register_arranged(arranged_institution)


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
    start soonest; those without a computable date last). A doctor serving their institution
    period now (or registered for it ahead) is not in the queue. Filters: a health-trust area,
    a municipality; `municipality_ids` limits a leader to their own. The standings are read
    for all the doctors at once (a fixed number of queries)."""
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
    for need in needs_for(trainees, on).values():
        if need.needs_place and not need.serving:
            needs.append(replace(need, trust=trusts.get(need.trainee.municipality_id)))
    return sorted(
        needs,
        key=lambda n: (
            n.has_place,
            n.latest_start is None,
            n.latest_start or on,
            n.trainee.last_name,
            n.trainee.pk,
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


def hospital_choices(office) -> QuerySet[Hospital]:
    """The office's hospitals, for a choice of hospital."""
    return Hospital.objects.filter(office=office).select_related("trust")


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


# Bookings waiting for an answer: the trust's (requested) or the doctor's side (proposed).
WAITING = (BookingStatus.REQUESTED, BookingStatus.PROPOSED)


def waiting_bookings(office) -> QuerySet[Booking]:
    """What the coordinator's card «Sykehusplasser som venter på svar» counts and its link
    (the bookings list, ?venter=1) lists."""
    return Booking.objects.filter(office=office, status__in=WAITING)


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
