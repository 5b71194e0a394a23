"""Nynorsk: the same date style as bokmål (dd.mm.åååå)."""

from alis.formats.nb.formats import (  # noqa: F401
    DATE_FORMAT,
    DATETIME_FORMAT,
    SHORT_DATE_FORMAT,
    SHORT_DATETIME_FORMAT,
)
