"""What claims are worth, computed by hand. Calendar grant year 2025 unless said otherwise.

ALIS Nord pays 200 000 kr a year flat (16 666,67 kr a month); the ALIS Vest pilot reimburses
documented expenses up to 200 000 kr a year plus a municipal share of 50 000 kr; the national
schemes' figures are examples (150 000 kr a year with 50 000 kr share; supervision 4 000 kr a
month), their grant year runs from 1 July.
"""

from datetime import date
from decimal import Decimal
from fractions import Fraction

from grants.calculation import (
    AgreementTerms,
    AlisInput,
    Expense,
    Kind,
    Period,
    Reason,
    Rule,
    SchemeTerms,
    compute,
    grant_year,
)

YEAR = (date(2025, 1, 1), date(2025, 12, 31))
NORD = SchemeTerms(kind=Kind.FLAT, amount=Decimal("200000"))
VEST = SchemeTerms(kind=Kind.EXPENSES, amount=Decimal("200000"), municipal_share=Decimal("50000"))
NATIONAL = SchemeTerms(
    kind=Kind.FLAT,
    amount=Decimal("150000"),
    municipal_share=Decimal("50000"),
    rules=(
        Rule("driftsform", ("naering",), valid_to=date(2018, 12, 31)),
        Rule("driftsform", ("fastlonn", "naering"), valid_from=date(2019, 1, 1)),
        Rule("rekruttering"),
    ),
)
SUPERVISION = SchemeTerms(
    kind=Kind.SUPERVISION,
    amount=Decimal("4000"),
    rules=(Rule("driftsform", ("fastlonn", "naering")),),
)
SERVICE = Period(date(2017, 1, 1), None, 100)


def agreement(start=date(2017, 8, 1), end=date(2029, 8, 31), signed=date(2017, 7, 15), **kw):
    return AgreementTerms(
        start=start,
        end=end,
        signed_on=signed,
        percentage=kw.get("pct", 100),
        employment_form=kw.get("form", "fastlonn"),
        temp_agency=kw.get("temp_agency", False),
    )


def doctor(*agreements, periods=(SERVICE,), **kw):
    return AlisInput(agreements=tuple(agreements or (agreement(),)), periods=periods, **kw)


def test_full_year_flat_rate():
    result = compute(NORD, doctor(), *YEAR)
    assert result.amount == Decimal("200000.00")
    assert result.counted_months == 12
    assert result.exclusions == []
    assert sum(m.amount for m in result.months) == result.amount
    assert result.months[0].amount == Decimal("16666.67")


def test_half_year_from_an_agreement_signed_in_june():
    result = compute(NORD, doctor(agreement(date(2025, 7, 1), signed=date(2025, 6, 20))), *YEAR)
    assert result.amount == Decimal("100000.00")
    assert result.counted_months == 6
    assert result.exclusions == [
        (date(2025, m, 1), Reason.NO_AGREEMENT, d)
        for m, d in [(1, 31), (2, 28), (3, 31), (4, 30), (5, 31), (6, 30)]
    ]


def test_sixty_percent_post():
    result = compute(NORD, doctor(agreement(pct=60)), *YEAR)
    # 200 000 × 0,6 = 120 000; each month 10 000.
    assert result.amount == Decimal("120000.00")
    assert result.counted_months == Fraction(36, 5)  # 7,2 months
    assert {m.amount for m in result.months} == {Decimal("10000.00")}


def test_a_month_of_leave_is_ineligible_with_its_reason():
    leave = Period(date(2025, 3, 1), date(2025, 3, 31), 100, is_leave=True)
    result = compute(NORD, doctor(periods=(SERVICE, leave)), *YEAR)
    # 200 000 × 11/12 = 183 333,333… → 183 333,33
    assert result.amount == Decimal("183333.33")
    assert result.exclusions == [(date(2025, 3, 1), Reason.LEAVE, 31)]
    assert Reason.LEAVE.label == "permisjon"
    assert sum(m.amount for m in result.months) == Decimal("183333.33")


def test_signed_after_the_start_counts_from_the_signing_day():
    # Signed 11 September for an agreement from 1 September: 20/30 of September counts.
    result = compute(NORD, doctor(agreement(date(2025, 9, 1), signed=date(2025, 9, 11))), *YEAR)
    # 200 000 × (3 + 2/3) / 12 = 61 111,11
    assert result.amount == Decimal("61111.11")
    assert (date(2025, 9, 1), Reason.BEFORE_SIGNING, 10) in result.exclusions


def test_temp_agency_doctor_gives_nothing():
    result = compute(NORD, doctor(agreement(temp_agency=True)), *YEAR)
    assert result.amount == Decimal("0.00")
    assert result.exclusions[0] == (date(2025, 1, 1), Reason.TEMP_AGENCY, 31)


def test_expenses_reach_the_cap_in_june():
    expenses = (
        Expense(1, date(2025, 2, 10), Decimal("80000")),
        Expense(2, date(2025, 3, 1), Decimal("10000"), covered_by_fund=True),
        Expense(3, date(2025, 4, 5), Decimal("70000")),
        Expense(4, date(2025, 6, 14), Decimal("60000")),  # 50 000 of it reaches the cap
        Expense(5, date(2025, 9, 1), Decimal("15000.50")),
    )
    result = compute(VEST, doctor(expenses=expenses), *YEAR)
    assert result.cap == Decimal("200000.00")
    assert result.amount == Decimal("200000.00")
    assert result.cap_reached_on == date(2025, 6, 14)
    counted = {r.expense.key: r.counted for r in result.expenses}
    assert counted == {
        1: Decimal("80000"),
        2: Decimal("0"),
        3: Decimal("70000"),
        4: Decimal("50000"),
        5: Decimal("0"),
    }
    assert result.over_cap == Decimal("25000.50")  # 10 000 of June's + September's
    assert result.municipal_share == Decimal("50000.00")


def test_expense_cap_is_pro_rata_for_a_part_year_at_part_time():
    # From 1 July at 50 %: 6 months × 0,5 = 3 months → cap 50 000, share 12 500.
    terms = agreement(date(2025, 7, 1), signed=date(2025, 6, 1), pct=50)
    expenses = (Expense(1, date(2025, 8, 1), Decimal("64000")),)
    result = compute(VEST, doctor(terms, expenses=expenses), *YEAR)
    assert result.cap == Decimal("50000.00")
    assert result.amount == Decimal("50000.00")
    assert result.municipal_share == Decimal("12500.00")
    assert result.over_cap == Decimal("14000")


def test_national_scheme_rule_change_in_2019_with_its_reason():
    # Grant year 1 Jul 2018 – 30 Jun 2019; a salaried doctor in a municipality with recruitment
    # trouble: only from 2019 do salaried doctors count → 6 months × 12 500 = 75 000.
    start, end = grant_year(7, date(2018, 9, 1))
    assert (start, end) == (date(2018, 7, 1), date(2019, 6, 30))
    result = compute(NATIONAL, doctor(recruitment_trouble=True), start, end)
    assert result.amount == Decimal("75000.00")
    assert result.municipal_share == Decimal("25000.00")
    assert result.exclusions[0] == (date(2018, 7, 1), Reason.EMPLOYMENT_FORM, 31)
    assert len(result.exclusions) == 6
    # Self-employed: the whole year counts.
    naering = doctor(agreement(form="naering"), recruitment_trouble=True)
    assert compute(NATIONAL, naering, start, end).amount == Decimal("150000.00")
    # Without recruitment trouble nothing counts, and the reason says why.
    none = compute(NATIONAL, doctor(), start, end)
    assert none.amount == Decimal("0.00")
    assert none.exclusions[-1] == (date(2019, 6, 1), Reason.RECRUITMENT, 30)


def test_supervision_grant_for_a_salaried_doctor():
    # 1 Jul 2025 – 30 Jun 2026, supervision recorded in every month but December: 11 × 4 000.
    start, end = grant_year(7, date(2025, 7, 1))
    months = {date(2025, m, 1) for m in range(7, 12)} | {date(2026, m, 1) for m in range(1, 7)}
    result = compute(SUPERVISION, doctor(supervised_months=frozenset(months)), start, end)
    assert result.amount == Decimal("44000.00")
    assert result.exclusions == [(date(2025, 12, 1), Reason.NO_SUPERVISION, 31)]


def test_grant_year_from_january_is_the_calendar_year():
    assert grant_year(1, date(2025, 6, 30)) == YEAR
    assert grant_year(7, date(2026, 1, 5)) == (date(2025, 7, 1), date(2026, 6, 30))
