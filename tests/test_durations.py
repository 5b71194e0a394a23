"""The duration convention (plans/durations.py) against answers computed by hand, and its
invariants under Hypothesis.

The convention: a whole calendar month at 100 % = 1 month; a part month = days / days in that
month; times the percentage that counts; leave subtracts; never more than 100 % on a day (posts
scaled down in proportion); years = months / 12. Every expected value below is worked out in
the comment beside it, not with the code's helpers. These tests need no database.
"""

from datetime import date, timedelta
from fractions import Fraction as F

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plans.durations import credited, credited_per_post
from plans.rules import Period

pytestmark = pytest.mark.dates

D = date
OPEN, OOH, INST, OTHER_ARENA = "allmennpraksis", "legevakt", "institusjon", "annet"
CATEGORY = {OPEN: "open", OOH: "other_gp", INST: "institution", OTHER_ARENA: "other"}


def P(start, end, arena=OPEN, pct=100, leave=False):
    return Period(start, end, pct, arena, is_leave=leave)


def total(periods, first, last, scope="total", minimum=50):
    return sum(credited(periods, first, last, min_percentage=minimum, scope=scope).values())


# (id, periods, first day, last day, category or "all", expected months, scope)
CASES = [
    # 2023: twelve whole months.
    (
        "hele-2023",
        [P(D(2023, 1, 1), D(2023, 12, 31))],
        D(2023, 1, 1),
        D(2023, 12, 31),
        "all",
        F(12),
    ),
    # 2024 is a leap year: still twelve whole months.
    (
        "skuddår-2024",
        [P(D(2024, 1, 1), D(2024, 12, 31))],
        D(2024, 1, 1),
        D(2024, 12, 31),
        "all",
        F(12),
    ),
    # February 2024 (29 days) is one whole month.
    (
        "februar-2024",
        [P(D(2024, 2, 1), D(2024, 2, 29))],
        D(2024, 2, 1),
        D(2024, 2, 29),
        "all",
        F(1),
    ),
    # February 2023 (28 days) is one whole month.
    (
        "februar-2023",
        [P(D(2023, 2, 1), D(2023, 2, 28))],
        D(2023, 2, 1),
        D(2023, 2, 28),
        "all",
        F(1),
    ),
    # 29 February 2024 alone: 1 of 29 days.
    (
        "29-februar-alene",
        [P(D(2024, 2, 29), D(2024, 2, 29))],
        D(2024, 2, 1),
        D(2024, 3, 31),
        "all",
        F(1, 29),
    ),
    # 1–15 April 2023: 15 of 30 days = 1/2.
    (
        "halv-april",
        [P(D(2023, 4, 1), D(2023, 4, 15))],
        D(2023, 4, 1),
        D(2023, 4, 30),
        "all",
        F(1, 2),
    ),
    # 31 January 2023 alone: 1/31.
    (
        "31-januar-alene",
        [P(D(2023, 1, 31), D(2023, 1, 31))],
        D(2023, 1, 1),
        D(2023, 1, 31),
        "all",
        F(1, 31),
    ),
    # 31 Jan–28 Feb 2023: 1/31 + one whole February = 32/31.
    (
        "31-jan-til-28-feb",
        [P(D(2023, 1, 31), D(2023, 2, 28))],
        D(2023, 1, 1),
        D(2023, 3, 31),
        "all",
        F(32, 31),
    ),
    # 15 Jan–14 Feb 2023: 17/31 (15.–31. Jan) + 14/28 = 17/31 + 1/2 = 65/62.
    (
        "15-jan-til-14-feb",
        [P(D(2023, 1, 15), D(2023, 2, 14))],
        D(2023, 1, 1),
        D(2023, 2, 28),
        "all",
        F(65, 62),
    ),
    # Five years at 60 %: 60 whole months × 0.6 = 36 months = exactly 3 years.
    (
        "fem-år-60",
        [P(D(2019, 3, 1), D(2024, 2, 29), pct=60)],
        D(2019, 3, 1),
        D(2024, 2, 29),
        "all",
        F(36),
    ),
    # Three years (36 months) with six whole months of leave (January–June 2022): 30 months.
    (
        "tre-år-minus-seks-mnd-permisjon",
        [P(D(2021, 1, 1), D(2023, 12, 31)), P(D(2022, 1, 1), D(2022, 6, 30), leave=True)],
        D(2021, 1, 1),
        D(2023, 12, 31),
        "all",
        F(30),
    ),
    # Two parallel 50 % open-practice posts over four years: 48 months × 0.5 × 2 = 48.
    (
        "to-parallelle-50-åpen",
        [P(D(2020, 1, 1), D(2023, 12, 31), pct=50), P(D(2020, 1, 1), D(2023, 12, 31), pct=50)],
        D(2020, 1, 1),
        D(2023, 12, 31),
        "open",
        F(48),
    ),
    # 50 % open + 50 % out-of-hours over four years: 24 months in each category.
    (
        "50-åpen-og-50-legevakt-åpen",
        [P(D(2020, 1, 1), D(2023, 12, 31), pct=50), P(D(2020, 1, 1), D(2023, 12, 31), OOH, 50)],
        D(2020, 1, 1),
        D(2023, 12, 31),
        "open",
        F(24),
    ),
    (
        "50-åpen-og-50-legevakt-annen",
        [P(D(2020, 1, 1), D(2023, 12, 31), pct=50), P(D(2020, 1, 1), D(2023, 12, 31), OOH, 50)],
        D(2020, 1, 1),
        D(2023, 12, 31),
        "other_gp",
        F(24),
    ),
    # The same year registered twice at 100 %: a day never counts more than 100 % → 12.
    (
        "dobbeltregistrert",
        [P(D(2023, 1, 1), D(2023, 12, 31)), P(D(2023, 1, 1), D(2023, 12, 31))],
        D(2023, 1, 1),
        D(2023, 12, 31),
        "all",
        F(12),
    ),
    # 60 % + 60 % = 120 % → 100 %: 12 months in total.
    (
        "60-pluss-60",
        [P(D(2023, 1, 1), D(2023, 12, 31), pct=60), P(D(2023, 1, 1), D(2023, 12, 31), OOH, 60)],
        D(2023, 1, 1),
        D(2023, 12, 31),
        "all",
        F(12),
    ),
    # … split in proportion: open gets 60/120 of 100 % = 50 % → 6 months.
    (
        "60-pluss-60-åpen",
        [P(D(2023, 1, 1), D(2023, 12, 31), pct=60), P(D(2023, 1, 1), D(2023, 12, 31), OOH, 60)],
        D(2023, 1, 1),
        D(2023, 12, 31),
        "open",
        F(6),
    ),
    # 40 % alone is below the 50 % minimum: nothing counts.
    (
        "40-alene",
        [P(D(2023, 1, 1), D(2023, 12, 31), pct=40)],
        D(2023, 1, 1),
        D(2023, 12, 31),
        "all",
        F(0),
    ),
    # 40 % + 40 % in parallel: the doctor's total (80 %) reaches 50 % → 12 × 0.8 = 9.6 = 48/5.
    (
        "40-pluss-40-samlet",
        [P(D(2023, 1, 1), D(2023, 12, 31), pct=40), P(D(2023, 1, 1), D(2023, 12, 31), OOH, 40)],
        D(2023, 1, 1),
        D(2023, 12, 31),
        "all",
        F(48, 5),
    ),
    # Exactly 50 % for a year: 6 months.
    (
        "50-et-år",
        [P(D(2023, 1, 1), D(2023, 12, 31), pct=50)],
        D(2023, 1, 1),
        D(2023, 12, 31),
        "all",
        F(6),
    ),
    # A 50 % leave from a full-time post for a year: 50 % × 12 = 6.
    (
        "halv-permisjon",
        [P(D(2023, 1, 1), D(2023, 12, 31)), P(D(2023, 1, 1), D(2023, 12, 31), pct=50, leave=True)],
        D(2023, 1, 1),
        D(2023, 12, 31),
        "all",
        F(6),
    ),
    # A 100 % leave from a 60 % post: nothing counts (never below 0).
    (
        "full-permisjon-fra-deltid",
        [P(D(2023, 1, 1), D(2023, 12, 31), pct=60), P(D(2023, 1, 1), D(2023, 12, 31), leave=True)],
        D(2023, 1, 1),
        D(2023, 12, 31),
        "all",
        F(0),
    ),
    # A 30 % leave from a 60 % post for a year: 30 % × 12 = 3.6 = 18/5.
    (
        "30-permisjon-fra-60",
        [
            P(D(2023, 1, 1), D(2023, 12, 31), pct=60),
            P(D(2023, 1, 1), D(2023, 12, 31), pct=30, leave=True),
        ],
        D(2023, 1, 1),
        D(2023, 12, 31),
        "all",
        F(18, 5),
    ),
    # 80 % in February 2024: 0.8 of one whole month = 4/5.
    (
        "80-februar-2024",
        [P(D(2024, 2, 1), D(2024, 2, 29), pct=80)],
        D(2024, 2, 1),
        D(2024, 2, 29),
        "all",
        F(4, 5),
    ),
    # 1 Feb–15 Mar 2023: February whole (1) + 15/31 = 46/31.
    (
        "februar-og-halv-mars",
        [P(D(2023, 2, 1), D(2023, 3, 15))],
        D(2023, 2, 1),
        D(2023, 3, 31),
        "all",
        F(46, 31),
    ),
    # 1 Dec 2023–31 Jan 2024 over the year end: 2 whole months.
    (
        "over-nyttår",
        [P(D(2023, 12, 1), D(2024, 1, 31))],
        D(2023, 12, 1),
        D(2024, 1, 31),
        "all",
        F(2),
    ),
    # 31 December 2026 alone: 1/31.
    (
        "nyttårsaften",
        [P(D(2026, 12, 31), D(2026, 12, 31))],
        D(2026, 12, 1),
        D(2026, 12, 31),
        "all",
        F(1, 31),
    ),
    # 16 Feb–15 Mar 2024: 14/29 (16.–29. Feb) + 15/31 = (434 + 435)/899 = 869/899.
    (
        "16-feb-til-15-mar-2024",
        [P(D(2024, 2, 16), D(2024, 3, 15))],
        D(2024, 2, 1),
        D(2024, 3, 31),
        "all",
        F(869, 899),
    ),
    # A period ending on the 31st: 1 Jan–31 Mar 2023 = 3 whole months.
    (
        "slutter-31-mars",
        [P(D(2023, 1, 1), D(2023, 3, 31))],
        D(2023, 1, 1),
        D(2023, 3, 31),
        "all",
        F(3),
    ),
    # 1 Mar 2019–29 Feb 2024: 60 whole months.
    (
        "fem-år-heltid",
        [P(D(2019, 3, 1), D(2024, 2, 29))],
        D(2019, 3, 1),
        D(2024, 2, 29),
        "all",
        F(60),
    ),
    # 30 Apr–31 May 2023: 1/30 + 1 = 31/30.
    (
        "30-april-til-31-mai",
        [P(D(2023, 4, 30), D(2023, 5, 31))],
        D(2023, 4, 1),
        D(2023, 5, 31),
        "all",
        F(31, 30),
    ),
    # 1–15 July 2027: 15/31.
    (
        "juli-2027",
        [P(D(2027, 7, 1), D(2027, 7, 15))],
        D(2027, 7, 1),
        D(2027, 7, 31),
        "all",
        F(15, 31),
    ),
    # Institution 1 Sep 2023–29 Feb 2024: six whole months.
    (
        "institusjon-6-mnd",
        [P(D(2023, 9, 1), D(2024, 2, 29), INST)],
        D(2023, 9, 1),
        D(2024, 2, 29),
        "institution",
        F(6),
    ),
    # Arena "annet" counts, but in its own category: open practice gets nothing.
    (
        "annet-teller-ikke-som-åpen",
        [P(D(2023, 1, 1), D(2023, 12, 31), OTHER_ARENA)],
        D(2023, 1, 1),
        D(2023, 12, 31),
        "open",
        F(0),
    ),
    # An open end counts up to the last day asked about: 1 Jan–30 Jun 2023 = 6.
    ("åpen-slutt", [P(D(2023, 1, 1), None)], D(2023, 1, 1), D(2023, 6, 30), "all", F(6)),
    # A period starting before the first day counts from the first day: 1 Jan–30 Jun 2023 = 6.
    (
        "starter-før",
        [P(D(2022, 7, 1), D(2023, 6, 30))],
        D(2023, 1, 1),
        D(2023, 12, 31),
        "all",
        F(6),
    ),
    # Leave with no post: nothing.
    (
        "bare-permisjon",
        [P(D(2023, 1, 1), D(2023, 12, 31), leave=True)],
        D(2023, 1, 1),
        D(2023, 12, 31),
        "all",
        F(0),
    ),
    # Open Jan–Jun + out-of-hours Apr–Sep 2023, both 100 %: April–June shared 50/50.
    # Open = 3 (Jan–Mar) + 3 × 0.5 = 4.5; out-of-hours = 3 × 0.5 + 3 (Jul–Sep) = 4.5.
    (
        "delvis-overlapp-åpen",
        [P(D(2023, 1, 1), D(2023, 6, 30)), P(D(2023, 4, 1), D(2023, 9, 30), OOH)],
        D(2023, 1, 1),
        D(2023, 12, 31),
        "open",
        F(9, 2),
    ),
    (
        "delvis-overlapp-annen",
        [P(D(2023, 1, 1), D(2023, 6, 30)), P(D(2023, 4, 1), D(2023, 9, 30), OOH)],
        D(2023, 1, 1),
        D(2023, 12, 31),
        "other_gp",
        F(9, 2),
    ),
    # 75 % through the leap year 2020: 12 × 0.75 = 9.
    (
        "75-i-2020",
        [P(D(2020, 1, 1), D(2020, 12, 31), pct=75)],
        D(2020, 1, 1),
        D(2020, 12, 31),
        "all",
        F(9),
    ),
    # 2020–2021 full time: 24 months.
    (
        "to-år-med-skuddår",
        [P(D(2020, 1, 1), D(2021, 12, 31))],
        D(2020, 1, 1),
        D(2021, 12, 31),
        "all",
        F(24),
    ),
    # 29 Feb 2024–28 Feb 2025: 1/29 + March 2024–February 2025 (12) = 12 + 1/29.
    (
        "fra-29-februar",
        [P(D(2024, 2, 29), D(2025, 2, 28))],
        D(2024, 2, 1),
        D(2025, 2, 28),
        "all",
        F(12) + F(1, 29),
    ),
    # 15 days of full leave (1–15 April) in a full-time 2023: 12 − 15/30 = 23/2.
    (
        "femten-dager-permisjon",
        [P(D(2023, 1, 1), D(2023, 12, 31)), P(D(2023, 4, 1), D(2023, 4, 15), leave=True)],
        D(2023, 1, 1),
        D(2023, 12, 31),
        "all",
        F(23, 2),
    ),
    # 15 Mar 2021–14 Mar 2022: 17/31 + April–February (11) + 14/31 = 12.
    (
        "år-fra-midt-i-måned",
        [P(D(2021, 3, 15), D(2022, 3, 14))],
        D(2021, 3, 1),
        D(2022, 3, 31),
        "all",
        F(12),
    ),
]

# Cases that read the minimum percentage per post instead of the doctor's total.
POST_CASES = [
    # 40 % + 40 %: each post below 50 % → nothing.
    (
        "40-pluss-40-per-stilling",
        [P(D(2023, 1, 1), D(2023, 12, 31), pct=40), P(D(2023, 1, 1), D(2023, 12, 31), OOH, 40)],
        D(2023, 1, 1),
        D(2023, 12, 31),
        "all",
        F(0),
    ),
    # 20 % + 60 %: only the 60 % post counts → 12 × 0.6 = 36/5.
    (
        "20-pluss-60-per-stilling",
        [P(D(2023, 1, 1), D(2023, 12, 31), pct=20), P(D(2023, 1, 1), D(2023, 12, 31), OOH, 60)],
        D(2023, 1, 1),
        D(2023, 12, 31),
        "all",
        F(36, 5),
    ),
]


def _amount(periods, first, last, key, scope="total"):
    months = credited(periods, first, last, min_percentage=50, scope=scope)
    return sum(months.values()) if key == "all" else months[key]


@pytest.mark.parametrize(
    "periods,first,last,key,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_hand_computed(periods, first, last, key, expected):
    assert _amount(periods, first, last, key) == expected


@pytest.mark.parametrize(
    "periods,first,last,key,expected", [c[1:] for c in POST_CASES], ids=[c[0] for c in POST_CASES]
)
def test_hand_computed_per_post_reading(periods, first, last, key, expected):
    assert _amount(periods, first, last, key, scope="post") == expected


def test_there_are_at_least_forty_hand_computed_cases():
    assert len(CASES) + len(POST_CASES) >= 40


def test_two_parallel_half_posts_credit_two_years_each():
    # Four years, two 50 % posts: each 48 × 0.5 = 24 months; together 48.
    posts = [P(D(2020, 1, 1), D(2023, 12, 31), pct=50), P(D(2020, 1, 1), D(2023, 12, 31), OOH, 50)]
    each = credited_per_post(posts, D(2020, 1, 1), D(2023, 12, 31), min_percentage=50)
    assert each == [F(24), F(24)]
    assert sum(each) == F(48)


def test_three_parallel_half_posts_share_one_day():
    # 50 + 50 + 50 = 150 % → 100 %, a third each: 12 / 3 = 4 months each in 2023.
    posts = [P(D(2023, 1, 1), D(2023, 12, 31), pct=50)] * 3
    assert credited_per_post(posts, D(2023, 1, 1), D(2023, 12, 31), min_percentage=50) == [F(4)] * 3


# --- Properties -----------------------------------------------------------------------------------

START, END = D(2019, 1, 1), D(2031, 12, 31)
days = st.integers(min_value=0, max_value=(END - START).days)


@st.composite
def periods(draw, leave=False, max_size=5):
    result = []
    for _ in range(draw(st.integers(min_value=0, max_value=max_size))):
        a, b = sorted((draw(days), draw(days)))
        b = min(b, a + 900)  # keep periods to a few years so the runs stay short
        result.append(
            P(
                START + timedelta(days=a),
                START + timedelta(days=b),
                draw(st.sampled_from([OPEN, OOH, INST, OTHER_ARENA])),
                draw(st.sampled_from([20, 40, 50, 60, 80, 100])),
                leave=leave,
            )
        )
    return result


FAST = settings(max_examples=60, deadline=None)


@FAST
@given(periods(), st.data())
def test_splitting_a_period_never_changes_the_total(ps, data):
    if not ps:
        return
    index = data.draw(st.integers(min_value=0, max_value=len(ps) - 1))
    p = ps[index]
    if p.end <= p.start:
        return
    cut = p.start + timedelta(days=data.draw(st.integers(0, (p.end - p.start).days - 1)))
    split = [
        *ps[:index],
        P(p.start, cut, p.arena, p.percentage),
        P(cut + timedelta(days=1), p.end, p.arena, p.percentage),
        *ps[index + 1 :],
    ]
    for key in ("open", "other_gp", "institution", "other"):
        assert (
            credited(ps, START, END, min_percentage=50)[key]
            == credited(split, START, END, min_percentage=50)[key]
        )


@FAST
@given(periods(), periods(leave=True, max_size=3))
def test_adding_leave_never_increases_the_total(ps, leave):
    assert total([*ps, *leave], START, END) <= total(ps, START, END)


@FAST
@given(periods(), st.randoms(use_true_random=False))
def test_the_order_of_periods_never_matters(ps, rnd):
    shuffled = list(ps)
    rnd.shuffle(shuffled)
    assert credited(ps, START, END, min_percentage=50) == credited(
        shuffled, START, END, min_percentage=50
    )


@FAST
@given(periods())
def test_a_day_never_counts_more_than_full_time(ps):
    # Whatever overlaps, the credit is at most the calendar months of the whole span.
    months = (END.year - START.year + 1) * 12
    assert total(ps, START, END) <= months


@FAST
@given(
    st.integers(min_value=2019, max_value=2030),
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=1, max_value=6),
)
def test_n_whole_years_full_time_credit_exactly_n_years(year, month, n):
    # N whole years from the first of any month (leap years included) = exactly 12 N months.
    start = D(year, month, 1)
    end = D(year + n, month, 1) - timedelta(days=1)
    assert total([P(start, end)], START, D(2037, 12, 31)) == 12 * n


@FAST
@given(
    st.dates(min_value=D(2019, 1, 1), max_value=D(2030, 12, 31)).filter(
        lambda d: (d.month, d.day) != (2, 29)
    ),
    st.integers(min_value=1, max_value=6),
)
def test_n_years_from_any_day_are_n_years_within_a_day(start, n):
    # From a day in the middle of a month the two ends are part months; they add up to one
    # whole month exactly when both have the same length. Only a February at one end in a
    # leap year and not at the other makes a difference, and it is less than one day's share.
    end = start.replace(year=start.year + n) - timedelta(days=1)
    assert abs(total([P(start, end)], START, D(2037, 12, 31)) - 12 * n) < F(1, 28)
