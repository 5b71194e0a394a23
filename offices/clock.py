"""The one place date logic takes "today" from.

Every page, service, task and report asks `today()` (or takes a `today`/`on` argument whose
default comes from here), never `date.today()` directly, so a test or a preview can move the
clock in one place (time-machine moves `timezone.now()`, which this reads) and the answer is
the office's calendar day (Europe/Oslo), not the server's.
"""

from datetime import date

from django.utils import timezone


def today() -> date:
    """Today's date in the project's time zone (Europe/Oslo)."""
    return timezone.localdate()


def now():
    """The current moment (aware), for timestamps; moved by the same test clock."""
    return timezone.now()
