"""One date style in pages, e-mails and documents: the active language's SHORT_DATE_FORMAT
(alis/formats: 01.12.2026 in bokmål and nynorsk, 1 Dec 2026 in English). Python code formats
dates through these helpers; templates use `|date:"SHORT_DATE_FORMAT"`."""

from datetime import date, datetime

from django.utils import formats, timezone


def short_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def short_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "SHORT_DATETIME_FORMAT")
