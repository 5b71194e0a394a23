"""Reads for recruitment rounds: what each role may see, the region's summary as the seeds
write it, and the assessment (scores side by side, totals, ranking, the proposal and how well
it covers the soft criteria).

Leaders see only rounds that invite one of their municipalities (and not drafts), and only
applications and offers that name one of their municipalities: `municipality_ids` is None for
the office, the leader's municipalities otherwise (OfficeAccess.visible_municipality_ids).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Exists, Max, Min, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import Membership
from municipalities.models import HealthTrustArea, Municipality, MunicipalityProfile
from offices.permissions import Role
from positions.models import ACTIVE_STATUSES, Position

from . import selection
from .models import (
    SCORE_MAX,
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Criterion,
    Invitation,
    Offer,
    OfferStatus,
    PartnerConfirmation,
    PopulationFigure,
    Round,
    RoundStatus,
    Score,
)


def _mine(municipality_ids) -> Q:
    return Q(lead_id__in=municipality_ids) | Q(partners__in=municipality_ids)


def rounds_for_office(office, municipality_ids: set[int] | None = None) -> QuerySet[Round]:
    qs = Round.objects.filter(office=office).annotate(
        submitted=Count(
            "applications",
            filter=Q(applications__status=ApplicationStatus.SUBMITTED),
            distinct=True,
        ),
        invited=Count("invitations", distinct=True),
    )
    if municipality_ids is not None:
        qs = qs.filter(invitations__municipality_id__in=municipality_ids).exclude(
            status=RoundStatus.DRAFT
        )
    return qs.distinct().order_by("-created_at", "-pk")


def round_get(office, round_id: int, municipality_ids: set[int] | None = None) -> Round:
    """A round of this office the user may see; 404 otherwise (another office's, or, for a
    leader, one that does not invite their municipality)."""
    round_ = rounds_for_office(office, municipality_ids).filter(pk=round_id).first()
    if round_ is None:
        raise Http404
    return round_


def criteria_for(round_: Round) -> list[Criterion]:
    return list(round_.criteria.all())


def invitations_for(office, round_: Round) -> QuerySet[Invitation]:
    return Invitation.objects.filter(office=office, round=round_).select_related("municipality")


def letter_invitations(office, round_: Round) -> QuerySet[Invitation]:
    return invitations_for(office, round_).filter(channel="brev")


def region_municipalities(office) -> QuerySet[Municipality]:
    """The municipalities the office serves now, by name (whom a round invites by default)."""
    return Municipality.objects.filter(office=office, is_active=True).order_by("name")


def invited_municipalities(office, round_: Round) -> QuerySet[Municipality]:
    return Municipality.objects.filter(
        pk__in=Invitation.objects.filter(office=office, round=round_).values("municipality_id")
    ).order_by("name")


def applications_for_round(
    office, round_: Round, municipality_ids: set[int] | None = None
) -> QuerySet[Application]:
    qs = Application.objects.filter(office=office, round=round_)
    if municipality_ids is not None:
        qs = qs.filter(_mine(municipality_ids)).distinct()
    return (
        qs.select_related("lead", "round")
        .prefetch_related("partners", "offers")
        .order_by("lead__name", "pk")
    )


def submitted_applications(office, round_: Round) -> QuerySet[Application]:
    return applications_for_round(office, round_).filter(status=ApplicationStatus.SUBMITTED)


def draft_applications(office, round_: Round) -> list[Application]:
    """The drafts not sent in (they stay as «Ikke sendt inn» when the round closes)."""
    return list(applications_for_round(office, round_).filter(status=ApplicationStatus.DRAFT))


def application_get(
    office, application_id: int, municipality_ids: set[int] | None = None
) -> Application:
    qs = Application.objects.filter(office=office, pk=application_id)
    if municipality_ids is not None:
        qs = qs.filter(_mine(municipality_ids)).distinct()
    application = qs.select_related("round", "lead").prefetch_related("partners").first()
    if application is None:
        raise Http404
    return application


def live_applications(office, round_: Round, exclude=None) -> QuerySet[Application]:
    """The round's applications that are not withdrawn (drafts and sent in)."""
    qs = Application.objects.filter(office=office, round=round_).exclude(
        status=ApplicationStatus.WITHDRAWN
    )
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs


def bound_municipalities(office, round_: Round, exclude=None) -> dict[int, Application]:
    """The municipalities bound to an application of the round, each with that application:
    the lead of every application that is not withdrawn, and every partner that has confirmed.
    A partner only named (not confirmed) is not bound: it may still apply on its own."""
    live = live_applications(office, round_, exclude).select_related("lead")
    bound = {a.lead_id: a for a in live}
    confirmations = PartnerConfirmation.objects.filter(
        office=office, application__in=live
    ).select_related("application__lead")
    for confirmation in confirmations:
        bound.setdefault(confirmation.municipality_id, confirmation.application)
    return bound


def confirmations_for(application: Application) -> dict[int, PartnerConfirmation]:
    return {
        c.municipality_id: c
        for c in PartnerConfirmation.objects.filter(
            office_id=application.office_id, application=application
        ).select_related("confirmed_by")
    }


def events_for(application: Application) -> QuerySet[ApplicationEvent]:
    return ApplicationEvent.objects.filter(
        office_id=application.office_id, application=application
    ).select_related("municipality", "by")


def municipalities_with_leader(office, municipality_ids) -> set[int]:
    """Which of the municipalities have an active leader user (who answers for them)."""
    return set(
        Membership.objects.filter(
            office=office,
            role=Role.MUNICIPAL_LEADER,
            municipality_id__in=list(municipality_ids),
            is_active=True,
            user__is_active=True,
        ).values_list("municipality_id", flat=True)
    )


def _offer_mine(municipality_ids) -> Q:
    """A leader's offers: their municipality's, and every offer of an application their
    municipality leads (the lead answers for a joint application)."""
    return Q(municipality_id__in=municipality_ids) | Q(application__lead_id__in=municipality_ids)


def offers_for_round(
    office, round_: Round, municipality_ids: set[int] | None = None
) -> QuerySet[Offer]:
    qs = Offer.objects.filter(office=office, round=round_)
    if municipality_ids is not None:
        qs = qs.filter(_offer_mine(municipality_ids))
    return qs.select_related("municipality", "application__lead", "answered_by").order_by(
        "municipality__name"
    )


def offer_get(office, offer_id: int, municipality_ids: set[int] | None = None) -> Offer:
    qs = Offer.objects.filter(office=office, pk=offer_id)
    if municipality_ids is not None:
        qs = qs.filter(_offer_mine(municipality_ids))
    offer = qs.select_related("round", "municipality", "application__lead").first()
    if offer is None:
        raise Http404
    return offer


def active_positions_by_municipality(office, municipality_ids) -> dict[int, int]:
    """Active ALIS positions per municipality (ended ones do not count), as the positions
    rule counts them."""
    rows = (
        Position.objects.filter(
            office=office, municipality_id__in=list(municipality_ids), status__in=ACTIVE_STATUSES
        )
        .values("municipality_id")
        .annotate(n=Count("pk"))
    )
    return {row["municipality_id"]: row["n"] for row in rows}


def population_for(municipality_ids) -> dict[int, PopulationFigure]:
    """The latest population figure of each municipality (none: not in the reference data)."""
    latest: dict[int, PopulationFigure] = {}
    for figure in PopulationFigure.objects.filter(
        municipality_id__in=list(municipality_ids)
    ).order_by("municipality_id", "-year"):
        latest.setdefault(figure.municipality_id, figure)
    return latest


def application_population(application: Application, figures=None) -> int | None:
    """Inhabitants of every municipality in the application together; None when a figure is
    missing (a partial sum would mislead)."""
    ids = [m.pk for m in application.municipalities()]
    figures = figures if figures is not None else population_for(ids)
    if any(i not in figures for i in ids):
        return None
    return sum(figures[i].population for i in ids)


# --- The region's summary ---------------------------------------------------------------------


@dataclass
class AreaRow:
    name: str
    applications: int = 0
    municipalities: int = 0
    inhabitants: int = 0


@dataclass
class Summary:
    applications: int
    joint: int
    municipalities: int
    inhabitants: int
    missing_population: list[str]
    positions_requested: int
    by_form: dict[str, int]
    areas: list[AreaRow]
    sources: list[str]
    has_examples: bool


def health_trust_names(municipality_ids, on: date) -> dict[int, str]:
    return {
        row.municipality_id: row.health_trust.name
        for row in HealthTrustArea.objects.valid_on(on)
        .filter(municipality_id__in=list(municipality_ids))
        .select_related("health_trust")
    }


def round_summary(office, round_: Round, on: date) -> Summary:
    """«35 søknader fra til sammen 45 kommuner … med totalt 365 845 innbyggere», per
    health-trust area, and how many want næring, fastlønn or both. Counts submitted
    applications only. An application whose municipalities lie in several areas counts once
    in each area (its municipalities and inhabitants where they are)."""
    applications = list(submitted_applications(office, round_))
    municipalities = {m.pk: m for a in applications for m in a.municipalities()}
    figures = population_for(municipalities)
    areas_of = health_trust_names(municipalities, on)
    unknown_area = "–"
    areas: dict[str, AreaRow] = {}
    by_form: dict[str, int] = defaultdict(int)
    for application in applications:
        by_form[application.employment_form] += 1
        seen = set()
        for m in application.municipalities():
            name = areas_of.get(m.pk, unknown_area)
            row = areas.setdefault(name, AreaRow(name))
            if name not in seen:
                row.applications += 1
                seen.add(name)
            row.municipalities += 1
            row.inhabitants += figures[m.pk].population if m.pk in figures else 0
    used = [figures[i] for i in municipalities if i in figures]
    return Summary(
        applications=len(applications),
        joint=sum(1 for a in applications if a.is_joint),
        municipalities=len(municipalities),
        inhabitants=sum(f.population for f in used),
        missing_population=sorted(m.name for i, m in municipalities.items() if i not in figures),
        positions_requested=sum(a.positions_requested for a in applications),
        by_form=dict(by_form),
        areas=sorted(areas.values(), key=lambda r: r.name),
        sources=sorted({f"{f.shown_source} ({f.year})" for f in used}),
        has_examples=any(f.is_example for f in used),
    )


# --- Assessment -------------------------------------------------------------------------------


@dataclass
class AssessedApplication:
    application: Application
    population: int | None
    # criterion id → [(assessor id, value, comment)]
    scores: dict[int, list[tuple[int, int, str]]]
    means: dict[int, Decimal | None]
    total: Decimal
    must_haves: str
    existing: int  # active positions in its municipalities already
    proposed: int = 0
    note: str = ""
    rank: int | None = None

    @property
    def must_haves_met(self) -> bool:
        return self.must_haves == selection.MET

    def table(self, criteria, assessors) -> list[tuple]:
        """(criterion, [(value, comment) or None per assessor], mean): the scores side by
        side, in the assessors' order."""
        rows = []
        for criterion in criteria:
            given = {a: (v, c) for a, v, c in self.scores.get(criterion.pk, [])}
            mean = self.means.get(criterion.pk)
            if criterion.must_have:
                mean = must_have_text([v for _a, v, _c in self.scores.get(criterion.pk, [])])
            rows.append((criterion, [given.get(u.pk) for u in assessors], mean))
        return rows


def must_have_text(values: list[int]) -> str | None:
    """A must-have criterion in words, not as an average of 1 and 0: «Oppfylt» or «Ikke
    oppfylt» from one assessor, «1 av 2 oppfylt» from several; None when nobody has scored."""
    if not values:
        return None
    met = sum(1 for v in values if v)
    if len(values) == 1:
        return str(_("Oppfylt") if met else _("Ikke oppfylt"))
    return _("%(met)s av %(n)s oppfylt") % {"met": met, "n": len(values)}


@dataclass
class Coverage:
    """How well the proposal covers the soft criteria (shown, not enforced)."""

    positions: int
    naering: int  # positions in applications that want næring or both
    joint_included: int
    joint_total: int
    sami_included: list[str]
    sami_applied: list[str]
    areas_included: list[str]
    areas_missing: list[str]

    @property
    def naering_percent(self) -> int:
        return round(100 * self.naering / self.positions) if self.positions else 0


@dataclass
class Assessment:
    criteria: list[Criterion]
    assessors: list  # users who scored
    rows: list[AssessedApplication]
    proposal: selection.Proposal
    coverage: Coverage
    max_total: int
    allocations: list = field(default_factory=list)  # (application, municipality, positions)


def _rules(criteria) -> list[selection.CriterionRule]:
    return [selection.CriterionRule(c.pk, c.weight, c.must_have) for c in criteria]


def assessment(office, round_: Round, on: date) -> Assessment:
    criteria = criteria_for(round_)
    rules = _rules(criteria)
    applications = list(submitted_applications(office, round_))
    municipality_ids = {m.pk for a in applications for m in a.municipalities()}
    figures = population_for(municipality_ids)
    existing = active_positions_by_municipality(office, municipality_ids)
    scores = list(
        Score.objects.filter(office=office, application__round=round_)
        .select_related("assessor")
        .order_by("assessor__last_name", "assessor__email", "pk")
    )
    assessors = list({s.assessor_id: s.assessor for s in scores}.values())
    by_application: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    for s in scores:
        by_application[s.application_id][s.criterion_id].append((s.assessor_id, s.value, s.comment))
    rows, candidates = [], []
    for order, application in enumerate(sorted(applications, key=lambda a: (a.submitted_at, a.pk))):
        given = by_application.get(application.pk, {})
        values = {cid: [v for _a, v, _c in items] for cid, items in given.items()}
        row = AssessedApplication(
            application=application,
            population=application_population(application, figures),
            scores=given,
            means={c.pk: selection.mean(values.get(c.pk, [])) for c in criteria},
            total=selection.weighted_total(rules, values),
            must_haves=selection.must_haves(rules, values),
            existing=sum(existing.get(m.pk, 0) for m in application.municipalities()),
        )
        rows.append(row)
        candidates.append(
            selection.Candidate(
                key=application.pk,
                municipality_ids=tuple(m.pk for m in application.municipalities()),
                requested=application.positions_requested,
                total=row.total,
                must_haves=row.must_haves,
                order=order,
            )
        )
    proposal = selection.propose(
        candidates,
        cap=round_.programme_cap,
        max_per_municipality=round_.max_per_municipality,
        existing=existing,
    )
    by_key = {r.application.pk: r for r in rows}
    ranked = []
    for position, candidate in enumerate(proposal.ranking, start=1):
        row = by_key[candidate.key]
        row.rank = position
        row.proposed = proposal.for_application(candidate.key)
        row.note = proposal.notes.get(candidate.key, "")
        ranked.append(row)
    municipalities = {m.pk: m for a in applications for m in a.municipalities()}
    allocations = [
        (by_key[a.key].application, municipalities[a.municipality_id], a.positions)
        for a in proposal.allocations
    ]
    return Assessment(
        criteria=criteria,
        assessors=assessors,
        rows=ranked,
        proposal=proposal,
        coverage=coverage(office, applications, proposal, on),
        max_total=selection.max_total(rules, SCORE_MAX),
        allocations=allocations,
    )


def coverage(office, applications, proposal: selection.Proposal, on: date) -> Coverage:
    municipalities = {m.pk: m for a in applications for m in a.municipalities()}
    forms = {a.pk: a.employment_form for a in applications}
    joint = {a.pk for a in applications if a.is_joint}
    included_ids = {a.municipality_id for a in proposal.allocations if a.positions}
    included_apps = {a.key for a in proposal.allocations if a.positions}
    sami = set(
        MunicipalityProfile.objects.filter(
            office=office, municipality_id__in=list(municipalities), sami_area=True
        ).values_list("municipality_id", flat=True)
    )
    areas = health_trust_names(municipalities, on)
    applied_areas = {areas[i] for i in municipalities if i in areas}
    included_areas = {areas[i] for i in included_ids if i in areas}
    return Coverage(
        positions=proposal.total,
        naering=sum(
            a.positions for a in proposal.allocations if forms[a.key] in ("naering", "valgfritt")
        ),
        joint_included=len(joint & included_apps),
        joint_total=len(joint),
        sami_included=sorted(municipalities[i].name for i in sami & included_ids),
        sami_applied=sorted(municipalities[i].name for i in sami),
        areas_included=sorted(included_areas),
        areas_missing=sorted(applied_areas - included_areas),
    )


def scores_by(office, application: Application, assessor) -> dict[int, Score]:
    return {
        s.criterion_id: s
        for s in Score.objects.filter(office=office, application=application, assessor=assessor)
    }


# --- What waits (the role inboxes, inbox/) ----------------------------------------------------

# An open round whose deadline falls within this many days is "closing soon" for the office.
DEADLINE_SOON_DAYS = 14


@dataclass(frozen=True)
class Waiting:
    """How many things wait, and the round they are in when they are all in one round (so the
    inbox can link straight to it); None when there are several rounds or nothing waits."""

    count: int
    round_id: int | None


def _waiting(qs, round_field: str) -> Waiting:
    """One query whatever the number of rows (aggregates over the filtered rows)."""
    row = qs.aggregate(n=Count("pk", distinct=True), first=Min(round_field), last=Max(round_field))
    n = row["n"] or 0
    return Waiting(n, row["first"] if n and row["first"] == row["last"] else None)


def applications_to_assess(office, assessor) -> Waiting:
    """Submitted applications the assessor has not scored on every criterion of the round
    (none scored yet, or some left), in rounds still being assessed: open for applications or
    closed for assessment (scores can be given in both; a decided round's are fixed). A round
    without criteria has nothing to score. One query."""
    return _waiting(unscored_by(office, assessor), "round_id")


def unscored_by(office, assessor) -> QuerySet[Application]:
    """The applications `applications_to_assess` counts (the round page's «mine uferdige»
    filter lists them)."""
    criteria = Count("round__criteria", distinct=True)
    mine = Count("scores", filter=Q(scores__assessor=assessor), distinct=True)
    return (
        Application.objects.filter(
            office=office,
            status=ApplicationStatus.SUBMITTED,
            round__status__in=(RoundStatus.OPEN, RoundStatus.ASSESSMENT),
        )
        .annotate(criteria=criteria, mine=mine)
        .filter(mine__lt=criteria)
    )


def rounds_closing_soon(office, today: date, days: int = DEADLINE_SOON_DAYS) -> Waiting:
    """Open rounds whose deadline is within `days` — or has passed while the round is still
    open, waiting for the office to close it for assessment. One query."""
    qs = Round.objects.filter(
        office=office, status=RoundStatus.OPEN, deadline__lte=today + timedelta(days=days)
    )
    return _waiting(qs, "pk")


def open_invitations(office, municipality_ids: set[int], today: date) -> Waiting:
    """Open rounds (deadline not passed) inviting one of the municipalities where that
    municipality is in no submitted application yet (a draft still waits). One query."""
    applied = Application.objects.filter(
        office=office, round_id=OuterRef("round_id"), status=ApplicationStatus.SUBMITTED
    ).filter(Q(lead_id=OuterRef("municipality_id")) | Q(partners=OuterRef("municipality_id")))
    unanswered = Invitation.objects.filter(
        office=office, round_id=OuterRef("pk"), municipality_id__in=municipality_ids
    ).exclude(Exists(applied))
    qs = Round.objects.filter(office=office, status=RoundStatus.OPEN, deadline__gte=today).filter(
        Exists(unanswered)
    )
    return _waiting(qs, "pk")


def open_offers(office, municipality_ids: set[int]) -> Waiting:
    """Offers not answered yet to the municipalities, or to any municipality of an application
    one of them leads (the lead answers for its partners). One query."""
    qs = Offer.objects.filter(office=office, status=OfferStatus.OFFERED).filter(
        Q(municipality_id__in=municipality_ids) | Q(application__lead_id__in=municipality_ids)
    )
    return _waiting(qs, "round_id")
