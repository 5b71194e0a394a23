"""Grant claim computation: pure functions on plain dataclasses (no ORM, no clock).

Rules, decided here and shown to users on the claim page:

- The claim covers the scheme's period (any dates; not calendar years), month by month.
- A day counts only when a *signed* agreement covers it and was signed on or before that day
  (no grant for time before signing). When agreements overlap (an amendment), the one signed
  most recently (and already signed on that day) governs that day.
- The day's percentage is the smaller of the agreement's position percentage and the service
  actually recorded that day (sum of the service periods' percentages, minus any leave
  periods'). No service recorded → excluded; leave → excluded as leave.
- Doctors hired through temp agencies are excluded when the scheme says so.
- Partial months count pro rata by days in that calendar month: a counted day is worth
  (annual rate − municipal share) / 12 / days-in-month × percentage / 100. So 16 days of a
  31-day October are 16/31 of a month, and a full month is exactly 1/12 of the annual rate.
- Rounding to øre (half up) happens on the running total, and each month gets the difference
  of the rounded running totals: the line total is the exact amount rounded once (twelve
  full pilot months give exactly 200 000,00, not 200 000,04), and the months in the
  auditor's spreadsheet still add up to it.
"""

from __future__ import annotations

import calendar
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

ORE = Decimal("0.01")
HUNDRED = Decimal(100)
TWELVE = Decimal(12)


class Reason(StrEnum):
    """Why a day does not count, in the order the claim lists them."""

    NO_AGREEMENT = "no_agreement"
    BEFORE_SIGNING = "before_signing"
    TEMP_AGENCY = "temp_agency"
    NO_RATE = "no_rate"
    LEAVE = "leave"
    NO_SERVICE = "no_service"

    @property
    def label(self) -> str:
        return str(REASON_LABELS[self])


REASON_LABELS = {
    Reason.NO_AGREEMENT: _("utenfor avtaleperioden"),
    Reason.BEFORE_SIGNING: _("før signering"),
    Reason.TEMP_AGENCY: _("innleid gjennom vikarbyrå"),
    Reason.NO_RATE: _("ingen sats for stillingstype og driftsform"),
    Reason.LEAVE: _("permisjon"),
    Reason.NO_SERVICE: _("ingen tjeneste registrert"),
}


@dataclass(frozen=True)
class SchemeTerms:
    start: date
    end: date
    # (employment form, position type) → annual rate for a full-time position
    annual_rates: dict[tuple[str, str], Decimal]
    municipal_share: Decimal = Decimal(0)
    excludes_temp_agency: bool = True


@dataclass(frozen=True)
class AgreementTerms:
    start: date
    end: date
    signed_on: date
    percentage: int
    employment_form: str
    position_type: str
    temp_agency: bool = False


@dataclass(frozen=True)
class Period:
    start: date
    end: date | None
    percentage: int = 100
    is_leave: bool = False

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class AlisInput:
    name: str
    hpr_number: str
    agreements: tuple[AgreementTerms, ...]
    periods: tuple[Period, ...]
    key: int | None = None


@dataclass
class MonthResult:
    month: date  # first day of the calendar month
    days_in_month: int
    counted_days: int = 0
    percent_days: int = 0  # sum over counted days of the day's percentage
    amount: Decimal = Decimal(0)
    excluded: Counter = field(default_factory=Counter)  # Reason → days

    @property
    def months(self) -> Decimal:
        """Full-time-equivalent share of this month that counted (before percentage)."""
        return Decimal(self.counted_days) / Decimal(self.days_in_month)


@dataclass
class ClaimLine:
    alis: AlisInput
    months: list[MonthResult]

    @property
    def amount(self) -> Decimal:
        return sum((m.amount for m in self.months), Decimal(0))

    @property
    def counted_months(self) -> Decimal:
        """Months counted, pro rata by days (two decimals)."""
        return sum((m.months for m in self.months), Decimal(0)).quantize(ORE, ROUND_HALF_UP)

    @property
    def percentage(self) -> Decimal | None:
        """Average percentage over the counted days (None when nothing counted)."""
        days = sum(m.counted_days for m in self.months)
        if not days:
            return None
        total = sum(m.percent_days for m in self.months)
        return (Decimal(total) / Decimal(days)).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def exclusions(self) -> list[tuple[date, Reason, int]]:
        """(month, reason, days) for every month with excluded days."""
        return [
            (m.month, reason, days)
            for m in self.months
            for reason, days in sorted(m.excluded.items(), key=lambda kv: list(Reason).index(kv[0]))
        ]


@dataclass
class Claim:
    lines: list[ClaimLine]

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal(0))


def month_starts(start: date, end: date) -> list[date]:
    """First days of the calendar months that [start, end] touches."""
    months, current = [], start.replace(day=1)
    while current <= end:
        months.append(current)
        current = (current + timedelta(days=32)).replace(day=1)
    return months


def _governing(agreements: tuple[AgreementTerms, ...], day: date):
    """The agreement that governs `day`, or the reason none does."""
    covering = [a for a in agreements if a.start <= day <= a.end]
    if not covering:
        return None, Reason.NO_AGREEMENT
    signed = [a for a in covering if a.signed_on <= day]
    if not signed:
        return None, Reason.BEFORE_SIGNING
    return max(signed, key=lambda a: a.signed_on), None


def _day(scheme: SchemeTerms, alis: AlisInput, day: date) -> tuple[int, Decimal, Reason | None]:
    """(percentage, annual net rate, reason excluded) for one day."""
    agreement, reason = _governing(alis.agreements, day)
    if agreement is None:
        return 0, Decimal(0), reason
    if agreement.temp_agency and scheme.excludes_temp_agency:
        return 0, Decimal(0), Reason.TEMP_AGENCY
    rate = scheme.annual_rates.get((agreement.employment_form, agreement.position_type))
    if rate is None:
        return 0, Decimal(0), Reason.NO_RATE
    service = sum(p.percentage for p in alis.periods if not p.is_leave and p.covers(day))
    leave = sum(p.percentage for p in alis.periods if p.is_leave and p.covers(day))
    percentage = min(agreement.percentage, service - leave)
    if percentage <= 0:
        return 0, Decimal(0), Reason.LEAVE if leave else Reason.NO_SERVICE
    return percentage, rate - scheme.municipal_share, None


def compute_line(scheme: SchemeTerms, alis: AlisInput) -> ClaimLine:
    results = []
    running, paid = Decimal(0), Decimal(0)
    for first in month_starts(scheme.start, scheme.end):
        days_in_month = calendar.monthrange(first.year, first.month)[1]
        result = MonthResult(month=first, days_in_month=days_in_month)
        for n in range(days_in_month):
            day = first + timedelta(days=n)
            if day < scheme.start or day > scheme.end:
                continue
            percentage, net_rate, reason = _day(scheme, alis, day)
            if reason is not None:
                result.excluded[reason] += 1
                continue
            result.counted_days += 1
            result.percent_days += percentage
            running += net_rate / TWELVE / days_in_month * percentage / HUNDRED
        rounded = running.quantize(ORE, ROUND_HALF_UP)
        result.amount, paid = rounded - paid, rounded
        results.append(result)
    return ClaimLine(alis=alis, months=results)


def compute_claim(scheme: SchemeTerms, alis_list: list[AlisInput]) -> Claim:
    return Claim(lines=[compute_line(scheme, alis) for alis in alis_list])
