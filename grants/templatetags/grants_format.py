"""{{ fraction|maaneder }}: exact months (a Fraction) shown with two decimals, Norwegian style."""

from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

from django import template

from agreements.formatting import format_number

register = template.Library()


@register.filter
def maaneder(value):
    if value is None:
        return ""
    value = Fraction(value)
    with localcontext() as ctx:
        ctx.prec = 30
        exact = Decimal(value.numerator) / Decimal(value.denominator)
    return format_number(exact.quantize(Decimal("0.01"), ROUND_HALF_UP), 2)
