"""The grant computation, by hand: a scheme paying 120 000 kr a year (10 000 kr a month) for
1 Sep 2024 – 31 May 2025 (nine months). Partial months count by days in the calendar month."""

from datetime import date
from decimal import Decimal

import pytest

from agreements.grants import (
    AgreementTerms,
    AlisInput,
    Period,
    Reason,
    SchemeTerms,
    compute_claim,
    compute_line,
)

SCHEME = SchemeTerms(
    start=date(2024, 9, 1),
    end=date(2025, 5, 31),
    annual_rates={("fastlonn", "fastlege"): Decimal("120000")},
)
LONG_END = date(2029, 8, 31)


def agreement(start=date(2024, 9, 1), end=LONG_END, signed=date(2024, 8, 15), pct=100, **kw):
    return AgreementTerms(
        start=start,
        end=end,
        signed_on=signed,
        percentage=pct,
        employment_form=kw.get("form", "fastlonn"),
        position_type=kw.get("position", "fastlege"),
        temp_agency=kw.get("temp_agency", False),
    )


SERVICE = Period(start=date(2024, 8, 1), end=None, percentage=100)


def alis(agreements, periods=(SERVICE,)):
    return AlisInput(
        name="Anna Aase", hpr_number="001234567", agreements=tuple(agreements), periods=periods
    )


CASES = [
    # id, input, expected amount, expected months counted, expected exclusions
    ("heltid", alis([agreement()]), Decimal("90000.00"), Decimal("9.00"), []),
    (
        "deltid 60 %",
        alis([agreement(pct=60)], (Period(date(2024, 8, 1), None, 60),)),
        Decimal("54000.00"),
        Decimal("9.00"),
        [],
    ),
    # Agreement 60 %, service recorded at 100 %: the agreement caps it.
    ("avtalen begrenser", alis([agreement(pct=60)]), Decimal("54000.00"), Decimal("9.00"), []),
    (
        # 16 of October's 31 days: 10 000 × 16/31 = 5 161.29; then 7 full months.
        "start midt i måneden",
        alis([agreement(start=date(2024, 10, 16), signed=date(2024, 10, 1))]),
        Decimal("75161.29"),
        Decimal("7.52"),
        [
            (date(2024, 9, 1), Reason.NO_AGREEMENT, 30),
            (date(2024, 10, 1), Reason.NO_AGREEMENT, 15),
        ],
    ),
    (
        # Leave 15 Jan – 14 Feb: January 14/31 → 4 516.13; February 14/28 → 5 000.00.
        "permisjon midt i perioden",
        alis([agreement()], (SERVICE, Period(date(2025, 1, 15), date(2025, 2, 14), 100, True))),
        Decimal("79516.13"),
        Decimal("7.95"),
        [(date(2025, 1, 1), Reason.LEAVE, 17), (date(2025, 2, 1), Reason.LEAVE, 14)],
    ),
    (
        # Signed 11 Sep for an agreement from 1 Sep: 20 of 30 days → 6 666.67.
        "signert etter start",
        alis([agreement(signed=date(2024, 9, 11))]),
        Decimal("86666.67"),
        Decimal("8.67"),
        [(date(2024, 9, 1), Reason.BEFORE_SIGNING, 10)],
    ),
    (
        "vikarbyrå",
        alis([agreement(temp_agency=True)]),
        Decimal("0.00"),
        Decimal("0.00"),
        [
            (date(y, m, 1), Reason.TEMP_AGENCY, d)
            for y, m, d in [
                (2024, 9, 30),
                (2024, 10, 31),
                (2024, 11, 30),
                (2024, 12, 31),
                (2025, 1, 31),
                (2025, 2, 28),
                (2025, 3, 31),
                (2025, 4, 30),
                (2025, 5, 31),
            ]
        ],
    ),
    (
        # Agreement 1 Mar – 30 Jun 2025: only March–May lie inside the scheme.
        "perioden går ut over ordningens slutt",
        alis([agreement(start=date(2025, 3, 1), end=date(2025, 6, 30), signed=date(2025, 2, 1))]),
        Decimal("30000.00"),
        Decimal("3.00"),
        [
            (date(y, m, 1), Reason.NO_AGREEMENT, d)
            for y, m, d in [
                (2024, 9, 30),
                (2024, 10, 31),
                (2024, 11, 30),
                (2024, 12, 31),
                (2025, 1, 31),
                (2025, 2, 28),
            ]
        ],
    ),
    (
        # An amendment to 50 % signed 1 Jan governs from then: 4 × 10 000 + 5 × 5 000.
        "endringsavtale",
        alis([agreement(), agreement(pct=50, signed=date(2025, 1, 1))]),
        Decimal("65000.00"),
        Decimal("9.00"),
        [],
    ),
    (
        "ingen tjeneste registrert",
        alis([agreement()], (Period(date(2024, 8, 1), date(2025, 4, 30)),)),
        Decimal("80000.00"),
        Decimal("8.00"),
        [(date(2025, 5, 1), Reason.NO_SERVICE, 31)],
    ),
    (
        "ingen sats for stillingstypen",
        alis([agreement(position="annen", end=date(2024, 9, 30))]),
        Decimal("0.00"),
        Decimal("0.00"),
        None,  # not checked in detail
    ),
]


@pytest.mark.parametrize(
    "alis_input,amount,months,exclusions",
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_grant_table(alis_input, amount, months, exclusions):
    line = compute_line(SCHEME, alis_input)
    assert line.amount == amount
    assert isinstance(line.amount, Decimal)
    assert line.counted_months == months
    if exclusions is not None:
        assert line.exclusions == list(exclusions)
    # The months always add up to the line total (what the auditor checks).
    assert sum(m.amount for m in line.months) == line.amount


def test_pilot_year_pays_200000_net_per_full_time_alis():
    pilot = SchemeTerms(
        start=date(2024, 9, 1),
        end=date(2025, 8, 31),
        annual_rates={("naering", "fastlege"): Decimal("250000")},
        municipal_share=Decimal("50000"),
    )
    line = compute_line(pilot, alis([agreement(form="naering")]))
    assert line.amount == Decimal("200000.00")
    assert line.percentage == Decimal("100.0")


def test_scheme_not_following_calendar_months_counts_only_its_days():
    # A scheme from 15 Sep: September counts 16 of 30 days → 5 333.33.
    scheme = SchemeTerms(
        start=date(2024, 9, 15), end=date(2024, 9, 30), annual_rates=SCHEME.annual_rates
    )
    line = compute_line(scheme, alis([agreement()]))
    assert line.amount == Decimal("5333.33")
    assert line.exclusions == []


def test_temp_agency_counts_when_the_scheme_does_not_exclude_it():
    scheme = SchemeTerms(
        start=SCHEME.start,
        end=SCHEME.end,
        annual_rates=SCHEME.annual_rates,
        excludes_temp_agency=False,
    )
    assert compute_line(scheme, alis([agreement(temp_agency=True)])).amount == Decimal("90000.00")


def test_claim_total_sums_the_lines():
    claim = compute_claim(SCHEME, [alis([agreement()]), alis([agreement(pct=60)])])
    assert claim.total == Decimal("144000.00")
