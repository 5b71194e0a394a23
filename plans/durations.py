"""Exact credited time: the one convention every page, report and projection uses.

**The convention (calendar months).** Credited time is counted in calendar months, exactly, as
a `Fraction`:

* a whole calendar month served full time is 1 month, whatever its length (28–31 days);
* a part of a month is (days served) / (days in that calendar month), so 1–15 April is 15/30
  and 29 February 2024 alone is 1/29;
* the month amount of a day is multiplied by the percentage that counts that day;
* years = months / 12 (five years = 60 months).

N whole years from the first of a month are exactly 12 N months (leap years included); a year
from the middle of a month is exact as well, except when February of a leap year lies at one
end and not at the other (a difference of less than one day's share). So five years at 60 % is
exactly 36 months, three years with six whole months of leave is
exactly 30 months, and two parallel 50 % posts over four years credit 24 months each (48 in
total). A person computing by hand gets the same numbers.

**What counts on a day.** Periods include both ends; an open end means "until the evaluation
date" for service already done. On a day:

1. posts (non-leave periods) count when the rule set's minimum percentage is met — for each
   post, or for the doctor's total that day, as the rule set's `min_percentage_scope` says
   (`"post"` or `"total"`; the chosen reading is stated as data on the rule set);
2. leave periods covering the day subtract their percentage from the sum of the counted posts
   (a 50 % leave from a full-time post leaves 50 %);
3. the day never counts more than 100 % in total: when the posts (after leave) add up to more,
   every post is scaled down in proportion.

Each post's share goes to its category (open unselected general practice, institution, other
general practice, other). Caps (the most open practice or other general practice that counts)
are applied by the caller on the category totals: excess is shown but does not count.

**Intervals, not days.** The timeline is cut where a period starts or ends and where a calendar
month starts; inside each piece the shares are constant, so a piece of `n` days in a month of
`m` days adds `n / m × share` months. No loop runs day by day; the day a threshold is reached is
solved inside the one piece where it is crossed.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from functools import cached_property

from offices.vocabularies import INSTITUTION_ARENAS, OTHER_GENERAL_PRACTICE, ArenaType

ONE_DAY = timedelta(days=1)

OPEN, INSTITUTION, OTHER_GP, OTHER = "open", "institution", "other_gp", "other"
CATEGORIES = (OPEN, INSTITUTION, OTHER_GP, OTHER)

# How the minimum percentage is read (see the rule set's readings).
SCOPE_POST = "post"
SCOPE_TOTAL = "total"


def category(arena: str) -> str:
    if arena == ArenaType.OPEN_GENERAL_PRACTICE:
        return OPEN
    if arena in INSTITUTION_ARENAS:
        return INSTITUTION
    if arena in OTHER_GENERAL_PRACTICE:
        return OTHER_GP
    return OTHER


def days_in_month(day: date) -> int:
    return calendar.monthrange(day.year, day.month)[1]


def next_month_start(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def month_fraction(start: date, end: date) -> Fraction:
    """Calendar months from `start` to `end`, both inclusive, full time (0 when end < start)."""
    total = Fraction(0)
    while start <= end:
        following = next_month_start(start)
        last = min(end, following - ONE_DAY)
        total += Fraction((last - start).days + 1, days_in_month(start))
        start = following
    return total


class _Span:
    """The slice of a period that matters: start, inclusive end, percentage, leave, category."""

    __slots__ = ("start", "end", "percentage", "is_leave", "category")

    def __init__(self, period, until: date):
        self.start = period.start
        self.end = period.end if period.end is not None else until
        self.percentage = period.percentage
        self.is_leave = period.is_leave
        self.category = category(period.arena)


def day_shares(spans: Iterable, min_percentage: int, scope: str) -> dict[str, Fraction]:
    """The percentage of one day (0–100) that counts, per category, for the spans covering it."""
    posts = [s for s in spans if not s.is_leave]
    leave = sum((s.percentage for s in spans if s.is_leave), 0)
    if scope == SCOPE_TOTAL:
        if sum(s.percentage for s in posts) < min_percentage:
            posts = []
    else:
        posts = [s for s in posts if s.percentage >= min_percentage]
    worked = sum(s.percentage for s in posts)
    shares = dict.fromkeys(CATEGORIES, Fraction(0))
    if not worked:
        return shares
    counted = Fraction(max(0, min(100, worked - leave)))
    for s in posts:
        shares[s.category] += Fraction(s.percentage) * counted / worked
    return shares


@dataclass(frozen=True)
class Piece:
    """Days `start`..`end` (inclusive, inside one calendar month) with constant shares; `rate`
    is the months credited per day per category (share / 100 / days in the month)."""

    start: date
    end: date
    rate: dict[str, Fraction]

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def months(self, days: int | None = None) -> dict[str, Fraction]:
        if days is None:
            return dict(self.whole)
        return {key: value * days if value else value for key, value in self.rate.items()}

    @cached_property
    def whole(self) -> dict[str, Fraction]:
        """The months of the whole piece, computed once (read-only: `months()` copies it)."""
        n = self.days
        return {key: value * n if value else value for key, value in self.rate.items()}

    @cached_property
    def empty(self) -> bool:
        """Nothing counts in this piece (no post, or leave covering it all)."""
        return not any(self.rate.values())


def pieces(
    periods: Sequence, first: date, last: date, *, min_percentage: int, scope: str = SCOPE_TOTAL
) -> Iterator[Piece]:
    """The timeline `first`..`last` cut into pieces of constant shares inside one month."""
    if last < first:
        return
    spans = [_Span(p, last) for p in periods]
    spans = [s for s in spans if s.start <= last and s.end >= first and s.end >= s.start]
    cuts = {first, last + ONE_DAY}
    for s in spans:
        for cut in (s.start, s.end + ONE_DAY):
            if first < cut <= last:
                cuts.add(cut)
    month = next_month_start(first)
    while month <= last:
        cuts.add(month)
        month = next_month_start(month)
    ordered = sorted(cuts)
    # Most pieces repeat the spans of the piece before (a new month of the same posts): their
    # shares and rates are computed once per set of spans and month length.
    rates: dict[tuple, dict[str, Fraction]] = {}
    for a, b in zip(ordered, ordered[1:], strict=False):
        covering = [s for s in spans if s.start <= a and s.end >= a]
        length = days_in_month(a)
        key = (length, *map(id, covering))
        rate = rates.get(key)
        if rate is None:
            shares = day_shares(covering, min_percentage, scope)
            per_day = Fraction(1, 100 * length)
            rate = rates[key] = {k: v * per_day for k, v in shares.items()}
        yield Piece(a, b - ONE_DAY, rate)


def credited(
    periods: Sequence, first: date, last: date, *, min_percentage: int, scope: str = SCOPE_TOTAL
) -> dict[str, Fraction]:
    """Credited months per category (uncapped) for the days `first`..`last`."""
    totals = dict.fromkeys(CATEGORIES, Fraction(0))
    for piece in pieces(periods, first, last, min_percentage=min_percentage, scope=scope):
        for key, value in piece.months().items():
            totals[key] += value
    return totals


def credited_per_post(
    periods: Sequence, first: date, last: date, *, min_percentage: int, scope: str = SCOPE_TOTAL
) -> list[Fraction]:
    """Credited months of each non-leave period (in the order given; leave periods get 0)."""
    result = []
    for index, period in enumerate(periods):
        if period.is_leave:
            result.append(Fraction(0))
            continue
        # Tag this period with its own category so its share can be read on its own.
        tagged = [_Tagged(p, i == index) for i, p in enumerate(periods)]
        total = Fraction(0)
        for piece in pieces(tagged, first, last, min_percentage=min_percentage, scope=scope):
            total += _own(piece)
        result.append(total)
    return result


class _Tagged:
    __slots__ = ("start", "end", "percentage", "is_leave", "arena")

    def __init__(self, period, own: bool):
        self.start, self.end = period.start, period.end
        self.percentage, self.is_leave = period.percentage, period.is_leave
        # The period asked about is put in the institution category, every other one in "other":
        # shares are split by post, so the category only labels whose share it is.
        self.arena = ArenaType.INSTITUTION if own else ArenaType.OTHER


def _own(piece: Piece) -> Fraction:
    return piece.months()[INSTITUTION]


def reach_day(
    future: Iterable[Piece],
    start_totals: dict[str, Fraction],
    value: Callable[[dict[str, Fraction]], Fraction],
    threshold: Fraction,
) -> date | None:
    """The first day on which `value(totals)` reaches `threshold`, walking `future` pieces on
    from `start_totals`. `value` must not decrease as months are added (caps are fine)."""
    return Timeline(future, start_totals).reach_day(value, threshold)


class Timeline:
    """Pieces with the running totals after each, summed once and asked many times (the day
    each minimum is reached): since `value` never decreases as months are added, the piece in
    which a threshold is crossed is found by bisection over the running totals, and the day
    inside it by bisection over its days. Gives the day `reach_day`'s walk would give.

    The pieces are read lazily, a year at a time, only as far as a question needs."""

    CHUNK = 12

    def __init__(self, pieces: Iterable[Piece], start_totals: dict[str, Fraction]):
        self._source = iter(pieces)
        self.start = dict(start_totals)
        self.pieces: list[Piece] = []
        self.after: list[dict[str, Fraction]] = []  # running totals after each piece
        self._done = False

    def read_all(self) -> Timeline:
        """Every piece read (the totals after the last are `after[-1]`)."""
        while self._more():
            pass
        return self

    def _more(self) -> bool:
        if self._done:
            return False
        totals = self.after[-1] if self.after else self.start
        added = 0
        for piece in self._source:
            if piece.empty:
                continue  # adds nothing, so no threshold is crossed inside it
            totals = {k: totals[k] + v if v else totals[k] for k, v in piece.whole.items()}
            self.pieces.append(piece)
            self.after.append(totals)
            added += 1
            if added == self.CHUNK:
                return True
        self._done = True
        return added > 0

    def reach_day(
        self, value: Callable[[dict[str, Fraction]], Fraction], threshold: Fraction
    ) -> date | None:
        while not (self.after and value(self.after[-1]) >= threshold):
            if not self._more():
                return None
        low, high = 0, len(self.after) - 1  # the first piece whose end reaches it
        while low < high:
            mid = (low + high) // 2
            if value(self.after[mid]) >= threshold:
                high = mid
            else:
                low = mid + 1
        piece = self.pieces[low]
        totals = self.after[low - 1] if low else self.start
        first, last = 1, piece.days  # the smallest day count that reaches it
        while first < last:
            mid = (first + last) // 2
            trial = {k: totals[k] + v if v else totals[k] for k, v in piece.months(mid).items()}
            if value(trial) >= threshold:
                last = mid
            else:
                first = mid + 1
        return piece.start + timedelta(days=first - 1)


# --- Showing an amount ---------------------------------------------------------------------------


def split_months(months: Fraction, month_length: int = 30) -> tuple[int, int, int]:
    """(years, months, days) for showing an amount: whole years and months, and the part month
    as whole days of a month of `month_length` days (the month of the evaluation date), rounded
    down so an amount short of a requirement never shows as reaching it."""
    whole = math.floor(months)
    days = math.floor((months - whole) * month_length)
    years, rest = divmod(whole, 12)
    return years, rest, days
