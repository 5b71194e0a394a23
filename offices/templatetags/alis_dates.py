"""`{{ value|short_date }}`: one date style for dates that arrive as ISO text (facts stored as
JSON in confirmations, reports and application packages) as well as for dates and datetimes."""

from datetime import date, datetime

from django import template

from offices.dates import short_date as _short_date

register = template.Library()


@register.filter
def short_date(value) -> str:
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
        except ValueError:
            return value  # not a date: shown as it is
    return _short_date(value)
