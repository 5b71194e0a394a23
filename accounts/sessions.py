"""Session limits: 30 minutes idle, 12 hours in all (settings ALIS_SESSION_IDLE_MINUTES,
ALIS_SESSION_MAX_HOURS), and sessions that end when the password or two-factor changes.

The middleware keeps two timestamps in the session: when the user logged in and when they last
did something. A request that comes after either limit logs the user out and sends them to the
login page with `next` and a message saying why. Before the idle limit, the base template's
countdown (static/js/session-timeout.js) warns and offers "Fortsett", which pings
`session_keepalive`, so a half-filled form is not lost.
"""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

STARTED = "_alis_login_at"
SEEN = "_alis_seen_at"
SEEN_RESOLUTION = 60  # seconds


def idle_seconds() -> int:
    return settings.ALIS_SESSION_IDLE_MINUTES * 60


def max_seconds() -> int:
    return settings.ALIS_SESSION_MAX_HOURS * 3600


def mark_login(session) -> None:
    now = int(time.time())
    session[STARTED] = now
    session[SEEN] = now


def _expiry_reason(session, now: int) -> str | None:
    started = session.get(STARTED)
    seen = session.get(SEEN)
    if started is None or seen is None:
        return None
    if now - started > max_seconds():
        return _(
            "Du ble logget ut fordi du har vært innlogget i mer enn %(hours)s timer. "
            "Logg inn igjen for å fortsette."
        ) % {"hours": settings.ALIS_SESSION_MAX_HOURS}
    if now - seen > idle_seconds():
        return _(
            "Du ble logget ut etter %(minutes)s minutter uten aktivitet. Logg inn igjen for å "
            "fortsette."
        ) % {"minutes": settings.ALIS_SESSION_IDLE_MINUTES}
    return None


class SessionLimitMiddleware:
    """After AuthenticationMiddleware and MessageMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            reason = _expiry_reason(request.session, now)
            if reason:
                return self._logged_out(request, reason)
            if STARTED not in request.session:
                # Sessions from before this middleware (or force_login in tests) start now.
                mark_login(request.session)
            elif now - request.session[SEEN] >= SEEN_RESOLUTION:
                # Written at most once a minute: a page does not pay a session write per view.
                request.session[SEEN] = now
        return self.get_response(request)

    def _logged_out(self, request, reason: str):
        was_post = request.method == "POST"
        logout(request)
        if was_post:
            reason = f"{reason} " + _(
                "Det du sendte ble ikke lagret; fyll ut skjemaet på nytt etter innlogging."
            )
        messages.warning(request, reason)
        next_url = request.get_full_path() if request.method == "GET" else request.path
        login_url = reverse(settings.LOGIN_URL)
        if request.headers.get("HX-Request"):
            response = redirect(login_url)
            response["HX-Redirect"] = f"{login_url}?{urlencode({'next': next_url})}"
            return response
        return redirect(f"{login_url}?{urlencode({'next': next_url})}")
