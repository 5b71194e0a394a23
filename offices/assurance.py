"""How strongly the current session was authenticated, for the coordinators' two-factor rule.

A national login (ID-porten, HelseID) at assurance level "substantial" or "high" is itself
two-factor: the login records that on the session (nationallogin.signals), and the office
middleware accepts it in place of TOTP. A password session never carries the mark; every new
login clears it first.
"""

SESSION_KEY = "alis_two_factor_by"


def mark_two_factor(request, *, by: str) -> None:
    """This session was authenticated with two factors by `by` (a provider id)."""
    request.session[SESSION_KEY] = by


def clear_two_factor(request) -> None:
    request.session.pop(SESSION_KEY, None)


def session_is_two_factor(request) -> bool:
    session = getattr(request, "session", None)
    return bool(session is not None and session.get(SESSION_KEY))
