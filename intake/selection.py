"""The selection rules, pure (no database): scores, the hard rules and the proposal.

- A weighted criterion's score is the mean of the assessors' scores (0–5); an application's
  total is the sum over weighted criteria of weight × mean, to two decimals (half up).
- A must-have criterion is met when at least one assessor scored it and every assessor who did
  said «met» (1). One «not met» is enough to keep an application out of the proposal: the
  steering group sees the disagreement and decides.
- Hard rules: the offers together stay within the programme cap, and no municipality ends up
  with more than `max_per_municipality` ALIS counting the active positions it already has.
- The proposal walks the eligible applications from the highest total (ties: the earlier
  application) and gives each what it asked for while the cap and the per-municipality rule
  allow, spreading a joint application's positions over its municipalities lead first.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class CriterionRule:
    key: int
    weight: int
    must_have: bool


def mean(values: list[int]) -> Decimal | None:
    if not values:
        return None
    return (Decimal(sum(values)) / Decimal(len(values))).quantize(TWO_PLACES, ROUND_HALF_UP)


def weighted_total(criteria: Iterable[CriterionRule], scores: Mapping[int, list[int]]) -> Decimal:
    """Σ weight × mean score over the weighted criteria (criteria nobody scored count 0).
    `scores`: criterion key → every assessor's score on it."""
    total = Decimal("0")
    for criterion in criteria:
        if criterion.must_have:
            continue
        values = scores.get(criterion.key, [])
        if values:
            total += criterion.weight * Decimal(sum(values)) / Decimal(len(values))
    return total.quantize(TWO_PLACES, ROUND_HALF_UP)


def max_total(criteria: Iterable[CriterionRule], score_max: int) -> int:
    return sum(c.weight * score_max for c in criteria if not c.must_have)


MET, NOT_MET, NOT_ASSESSED = "met", "not_met", "not_assessed"


def must_haves(criteria: Iterable[CriterionRule], scores: Mapping[int, list[int]]) -> str:
    """MET when every must-have criterion is scored and met by everyone who scored it; NOT_MET
    when anyone said not met; NOT_ASSESSED when a must-have has no score yet."""
    state = MET
    for criterion in criteria:
        if not criterion.must_have:
            continue
        values = scores.get(criterion.key, [])
        if any(v < 1 for v in values):
            return NOT_MET
        if not values:
            state = NOT_ASSESSED
    return state


@dataclass(frozen=True)
class Candidate:
    """A submitted application as the proposal sees it."""

    key: int
    municipality_ids: tuple[int, ...]  # the lead first
    requested: int
    total: Decimal
    must_haves: str
    order: int = 0  # ties: the lower comes first (submitted earlier)


@dataclass
class Allocation:
    key: int  # the application
    municipality_id: int
    positions: int


@dataclass
class Proposal:
    allocations: list[Allocation] = field(default_factory=list)
    # Application key → why it got less than it asked for (or nothing).
    notes: dict[int, str] = field(default_factory=dict)
    ranking: list[Candidate] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(a.positions for a in self.allocations)

    def for_application(self, key: int) -> int:
        return sum(a.positions for a in self.allocations if a.key == key)


def rank(candidates: Iterable[Candidate]) -> list[Candidate]:
    return sorted(candidates, key=lambda c: (-c.total, c.order, c.key))


def propose(
    candidates: Iterable[Candidate],
    *,
    cap: int,
    max_per_municipality: int,
    existing: Mapping[int, int],
) -> Proposal:
    proposal = Proposal(ranking=rank(candidates))
    remaining = cap
    given: dict[int, int] = defaultdict(int)
    for candidate in proposal.ranking:
        if candidate.must_haves != MET:
            proposal.notes[candidate.key] = (
                _("Oppfyller ikke alle absolutte krav.")
                if candidate.must_haves == NOT_MET
                else _("Absolutte krav er ikke vurdert.")
            )
            continue
        room = {
            m: max(0, max_per_municipality - existing.get(m, 0) - given[m])
            for m in candidate.municipality_ids
        }
        wanted = candidate.requested
        got = 0
        # Round-robin over the municipalities, lead first, while there is room and cap.
        while got < wanted and remaining > 0 and any(room.values()):
            for m in candidate.municipality_ids:
                if got >= wanted or remaining <= 0:
                    break
                if room[m] > 0:
                    room[m] -= 1
                    given[m] += 1
                    got += 1
                    remaining -= 1
                    _add(proposal, candidate.key, m)
        if got < wanted:
            if remaining <= 0:
                proposal.notes[candidate.key] = _("Taket for programmet er nådd.")
            else:
                proposal.notes[candidate.key] = _(
                    "Kommunene har ikke plass til flere ALIS etter regelen om høyst "
                    "%(max)s per kommune."
                ) % {"max": max_per_municipality}
    return proposal


def _add(proposal: Proposal, key: int, municipality_id: int) -> None:
    for allocation in proposal.allocations:
        if allocation.key == key and allocation.municipality_id == municipality_id:
            allocation.positions += 1
            return
    proposal.allocations.append(Allocation(key, municipality_id, 1))


def hard_rule_errors(
    offers: Iterable[tuple[int, int]],
    *,
    cap: int,
    max_per_municipality: int,
    existing: Mapping[int, int],
    names: Mapping[int, str],
) -> list[str]:
    """What breaks the cap or the per-municipality rule, in the users' words (empty: none).
    `offers`: (municipality id, number of ALIS)."""
    errors = []
    per_municipality: dict[int, int] = defaultdict(int)
    for municipality_id, positions in offers:
        per_municipality[municipality_id] += positions
    total = sum(per_municipality.values())
    if total > cap:
        errors.append(
            _("Tilbudene gir %(total)s ALIS, men taket for programmet er %(cap)s.")
            % {"total": total, "cap": cap}
        )
    for municipality_id, positions in sorted(
        per_municipality.items(), key=lambda item: names.get(item[0], "")
    ):
        before = existing.get(municipality_id, 0)
        if before + positions > max_per_municipality:
            errors.append(
                _(
                    "%(name)s ville fått %(sum)s ALIS (%(before)s fra før og %(now)s nå); "
                    "høyst %(max)s per kommune er tillatt."
                )
                % {
                    "name": names.get(municipality_id, municipality_id),
                    "sum": before + positions,
                    "before": before,
                    "now": positions,
                    "max": max_per_municipality,
                }
            )
    return errors
