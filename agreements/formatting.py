"""Formatting of amounts, numbers and dates. Numbers follow the active language (offices.numbers:
12 345,5 in bokmål and nynorsk, 12,345.5 in English); the agreement text is bokmål whatever the
interface language (`agreements.rendering` formats its values under bokmål)."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils import translation
from django.utils.dates import MONTHS  # translated month names ("september" in bokmål)

from offices.dates import short_date
from offices.numbers import format_decimal

NBSP = "\u00a0"


def format_number(value, decimals: int | None = None) -> str:
    """12345.5 → '12 345,5'; whole numbers without decimals unless `decimals` is given."""
    if value is None:
        return ""
    value = Decimal(value)
    if decimals is None:
        decimals = 0 if value == value.to_integral_value() else 2
        if decimals == 2:
            value = value.normalize()
            decimals = max(0, -value.as_tuple().exponent)
    value = value.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    return format_decimal(value, decimals)


def format_kr(amount) -> str:
    """Decimal('200000') → '200 000 kr'; Decimal('8602.15') → '8 602,15 kr'."""
    if amount is None:
        return ""
    amount = Decimal(amount).quantize(Decimal("0.01"), ROUND_HALF_UP)
    decimals = 0 if amount == amount.to_integral_value() else 2
    return f"{format_number(amount, decimals)}{NBSP}kr"


def format_date(value: date | None) -> str:
    with translation.override("nb"):  # the agreement text is bokmål in any interface language
        return short_date(value)


def format_month(value: date) -> str:
    """date(2024, 9, 1) → 'september 2024'."""
    return f"{MONTHS[value.month]} {value.year}"
