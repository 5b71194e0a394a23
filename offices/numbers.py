"""One number style per language in pages, e-mails and documents: the active language's
separators from Django's formats (bokmål and nynorsk 2 500,5 with a no-break space between the
thousands; English 2,500.5). Python code formats numbers through this helper, so a page never
shows «42,1 h» beside «2,500.00 kr»."""

from decimal import Decimal

from django.utils import formats


def format_decimal(value: Decimal | float | int, decimals: int | None = None) -> str:
    """`value` rounded to `decimals` places, grouped by thousands, in the active language;
    without `decimals`, the places the value has (Decimal('10.50') → '10,5', 11 → '11')."""
    value = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if decimals is None:
        exponent = value.normalize().as_tuple().exponent
        decimals = max(0, -exponent) if isinstance(exponent, int) else 0
    return formats.number_format(value, decimals, use_l10n=True, force_grouping=True)
