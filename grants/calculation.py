"""What a claim is worth: pure functions on plain data (no ORM, no clock).

The rules, shown to users on the claim page:

- A claim covers one ALIS doctor under one scheme for one grant year (the "ALIS-year": twelve
  months from the scheme's first month, which need not be January).
- A day counts only when a *signed* agreement covers it and was signed on or before that day (no
  grant for time before signing). When agreements overlap (an amendment), the one signed most
  recently governs. The day's percentage is the smaller of the agreement's position percentage
  and the service recorded that day (posts minus leave).
- The scheme's eligibility rules (data with their own validity) are checked day by day: the
  employment form, the municipality's recruitment-trouble flag, the doctor's training scheme
  (new/old), the most months in the post, temp-agency doctors excluded. A supervision grant
  also needs supervision recorded in the month.
- Time is counted as in plans/durations.py: a day is worth 1/(days in its calendar month) of a
  month, times the day's percentage. The *share* of the year is the months counted / 12.
- Flat rate: the annual amount × the share. Capped expenses ("inntil"): the documented expenses
  not covered by the medical association's fund, in date order, up to the annual cap × the
  share; the expense where the cap is reached counts in part, later ones not at all.
  Supervision: the monthly rate × the months counted. The municipal share: its annual amount ×
  the share.
- Everything is exact (Fraction) until the end; amounts are rounded once to øre (half up). The
  months shown to the auditor get the differences of the rounded running totals, so they add up
  to the claim to the øre.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext
from enum import StrEnum
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

from plans.durations import days_in_month, month_fraction, next_month_start

ORE = Decimal("0.01")
ONE_DAY = timedelta(days=1)


class Kind(StrEnum):
    FLAT = "sats"
    EXPENSES = "utgifter"
    SUPERVISION = "veiledning"


class RuleKind(StrEnum):
    EMPLOYMENT_FORM = "driftsform"
    RECRUITMENT_TROUBLE = "rekruttering"
    TRAINING_SCHEME = "ordning"
    MAX_MONTHS_IN_POST = "maks_maaneder"


class Reason(StrEnum):
    """Why a day does not count, in the order the claim lists them."""

    NO_AGREEMENT = "no_agreement"
    BEFORE_SIGNING = "before_signing"
    TEMP_AGENCY = "temp_agency"
    EMPLOYMENT_FORM = "employment_form"
    RECRUITMENT = "recruitment"
    TRAINING_SCHEME = "training_scheme"
    MONTHS_IN_POST = "months_in_post"
    LEAVE = "leave"
    NO_SERVICE = "no_service"
    NO_SUPERVISION = "no_supervision"

    @property
    def label(self) -> str:
        return str(REASON_LABELS[self])


REASON_LABELS = {
    Reason.NO_AGREEMENT: _("utenfor avtaleperioden"),
    Reason.BEFORE_SIGNING: _("før avtalen ble signert"),
    Reason.TEMP_AGENCY: _("innleid gjennom vikarbyrå"),
    Reason.EMPLOYMENT_FORM: _("driftsformen gir ikke rett til tilskudd i ordningen"),
    Reason.RECRUITMENT: _("kommunen er ikke markert med rekrutteringsproblemer"),
    Reason.TRAINING_SCHEME: _("legens ordning (ny/gammel) er ikke med i tilskuddsordningen"),
    Reason.MONTHS_IN_POST: _("flere måneder i stillingen enn ordningen dekker"),
    Reason.LEAVE: _("permisjon"),
    Reason.NO_SERVICE: _("ingen tjeneste registrert"),
    Reason.NO_SUPERVISION: _("ingen veiledning registrert i måneden"),
}


@dataclass(frozen=True)
class Rule:
    """One eligibility rule of a scheme, valid from/to (both inclusive, open when None)."""

    kind: str
    values: tuple[str, ...] = ()
    number: int | None = None
    valid_from: date | None = None
    valid_to: date | None = None

    def applies(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


@dataclass(frozen=True)
class SchemeTerms:
    kind: str
    amount: Decimal  # per ALIS-year (flat, expense cap) or per supervised month (supervision)
    municipal_share: Decimal = Decimal(0)  # per ALIS-year, full time
    rules: tuple[Rule, ...] = ()
    excludes_temp_agency: bool = True


@dataclass(frozen=True)
class AgreementTerms:
    start: date
    end: date
    signed_on: date
    percentage: int
    employment_form: str
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
class Expense:
    key: object
    day: date
    amount: Decimal
    covered_by_fund: bool = False


@dataclass(frozen=True)
class AlisInput:
    agreements: tuple[AgreementTerms, ...]
    periods: tuple[Period, ...]
    training_scheme: str = "ny"
    recruitment_trouble: bool = False
    supervised_months: frozenset[date] = frozenset()  # first days of months with supervision
    expenses: tuple[Expense, ...] = ()


@dataclass
class MonthResult:
    month: date  # first day of the calendar month
    days_in_month: int
    counted_days: int = 0
    months: Fraction = Fraction(0)  # months counted, percentage included
    amount: Decimal = Decimal(0)
    excluded: Counter = field(default_factory=Counter)  # Reason → days

    @property
    def reasons(self) -> list[tuple[Reason, int]]:
        order = list(Reason)
        return sorted(self.excluded.items(), key=lambda kv: order.index(kv[0]))


@dataclass
class ExpenseResult:
    expense: Expense
    counted: Decimal  # what counts against the cap (0 when covered by the fund or over it)
    over_cap: Decimal


@dataclass
class ClaimResult:
    kind: str
    months: list[MonthResult]
    share: Fraction  # of a full ALIS-year, percentage included
    amount: Decimal  # what the rules give
    municipal_share: Decimal
    cap: Decimal | None = None  # expenses: the pro-rated cap
    expenses: list[ExpenseResult] = field(default_factory=list)
    cap_reached_on: date | None = None

    @property
    def counted_months(self) -> Fraction:
        return sum((m.months for m in self.months), Fraction(0))

    @property
    def exclusions(self) -> list[tuple[date, Reason, int]]:
        return [(m.month, r, d) for m in self.months for r, d in m.reasons]

    @property
    def expenses_total(self) -> Decimal:
        return sum((e.expense.amount for e in self.expenses), Decimal(0))

    @property
    def over_cap(self) -> Decimal:
        return sum((e.over_cap for e in self.expenses), Decimal(0))


def to_ore(value: Fraction | Decimal) -> Decimal:
    """An exact amount rounded once to øre, half up."""
    if isinstance(value, Decimal):
        return value.quantize(ORE, ROUND_HALF_UP)
    with localcontext() as ctx:
        ctx.prec = 50
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        return exact.quantize(ORE, ROUND_HALF_UP)


def grant_year(year_start_month: int, day: date) -> tuple[date, date]:
    """The grant year (first and last day) that contains `day`."""
    year = day.year if day.month >= year_start_month else day.year - 1
    start = date(year, year_start_month, 1)
    return start, date(year + 1, year_start_month, 1) - ONE_DAY


def _governing(agreements, day):
    covering = [a for a in agreements if a.start <= day <= a.end]
    if not covering:
        return None, Reason.NO_AGREEMENT
    signed = [a for a in covering if a.signed_on <= day]
    if not signed:
        return None, Reason.BEFORE_SIGNING
    return max(signed, key=lambda a: a.signed_on), None


def _rule_reason(rule: Rule, alis: AlisInput, agreement: AgreementTerms, day: date, post_start):
    if rule.kind == RuleKind.EMPLOYMENT_FORM and agreement.employment_form not in rule.values:
        return Reason.EMPLOYMENT_FORM
    if rule.kind == RuleKind.RECRUITMENT_TROUBLE and not alis.recruitment_trouble:
        return Reason.RECRUITMENT
    if rule.kind == RuleKind.TRAINING_SCHEME and alis.training_scheme not in rule.values:
        return Reason.TRAINING_SCHEME
    if (
        rule.kind == RuleKind.MAX_MONTHS_IN_POST
        and rule.number is not None
        and month_fraction(post_start, day) > rule.number
    ):
        return Reason.MONTHS_IN_POST
    return None


def day_percentage(scheme: SchemeTerms, alis: AlisInput, day: date) -> tuple[int, Reason | None]:
    """(percentage that counts, reason when none) for one day."""
    agreement, reason = _governing(alis.agreements, day)
    if agreement is None:
        return 0, reason
    if agreement.temp_agency and scheme.excludes_temp_agency:
        return 0, Reason.TEMP_AGENCY
    post_start = min(a.start for a in alis.agreements)
    for rule in scheme.rules:
        if rule.applies(day):
            reason = _rule_reason(rule, alis, agreement, day, post_start)
            if reason is not None:
                return 0, reason
    service = sum(p.percentage for p in alis.periods if not p.is_leave and p.covers(day))
    leave = sum(p.percentage for p in alis.periods if p.is_leave and p.covers(day))
    percentage = min(agreement.percentage, service - leave, 100)
    if percentage <= 0:
        return 0, Reason.LEAVE if leave else Reason.NO_SERVICE
    if scheme.kind == Kind.SUPERVISION and day.replace(day=1) not in alis.supervised_months:
        return 0, Reason.NO_SUPERVISION
    return percentage, None


def count_months(scheme: SchemeTerms, alis: AlisInput, start: date, end: date):
    results = []
    first = start.replace(day=1)
    while first <= end:
        length = days_in_month(first)
        result = MonthResult(month=first, days_in_month=length)
        day = max(first, start)
        last = min(end, next_month_start(first) - ONE_DAY)
        while day <= last:
            percentage, reason = day_percentage(scheme, alis, day)
            if reason is None:
                result.counted_days += 1
                result.months += Fraction(percentage, 100 * length)
            else:
                result.excluded[reason] += 1
            day += ONE_DAY
        results.append(result)
        first = next_month_start(first)
    return results


def _spread(months: list[MonthResult], per_month: Fraction) -> None:
    """Give each month its part of `per_month × months counted`: rounded running totals."""
    running, paid = Fraction(0), Decimal(0)
    for m in months:
        running += per_month * m.months
        rounded = to_ore(running)
        m.amount, paid = rounded - paid, rounded


def _expenses(expenses, cap: Decimal):
    results, used, reached = [], Decimal(0), None
    for e in sorted(expenses, key=lambda e: (e.day, str(e.key))):
        if e.covered_by_fund:
            results.append(ExpenseResult(e, Decimal(0), Decimal(0)))
            continue
        counted = min(e.amount, cap - used)
        used += counted
        if reached is None and cap > 0 and used >= cap:
            reached = e.day
        results.append(ExpenseResult(e, counted, e.amount - counted))
    return results, used, reached


def compute(scheme: SchemeTerms, alis: AlisInput, start: date, end: date) -> ClaimResult:
    months = count_months(scheme, alis, start, end)
    counted = sum((m.months for m in months), Fraction(0))
    share = counted / 12
    municipal_share = to_ore(Fraction(scheme.municipal_share) * share)
    if scheme.kind == Kind.SUPERVISION:
        _spread(months, Fraction(scheme.amount))
        amount = to_ore(Fraction(scheme.amount) * counted)
        return ClaimResult(scheme.kind, months, share, amount, municipal_share)
    if scheme.kind == Kind.FLAT:
        _spread(months, Fraction(scheme.amount) / 12)
        amount = to_ore(Fraction(scheme.amount) * share)
        return ClaimResult(scheme.kind, months, share, amount, municipal_share)
    cap = to_ore(Fraction(scheme.amount) * share)
    _spread(months, Fraction(scheme.amount) / 12)  # the cap month by month
    results, used, reached = _expenses(alis.expenses, cap)
    return ClaimResult(
        scheme.kind,
        months,
        share,
        used,
        municipal_share,
        cap=cap,
        expenses=results,
        cap_reached_on=reached,
    )
