"""The client's address, the one way every part of the project reads it.

Behind N reverse proxies we control (setting ALIS_TRUSTED_PROXY_COUNT), each proxy appends the
address it received the request from to X-Forwarded-For. Only the rightmost N entries were
written by our proxies; anything to the left of them was sent by the client and can be forged.
The client is therefore the N-th entry from the right. With 0 trusted proxies the header is
ignored and REMOTE_ADDR is the client. Rate limits (django-ratelimit and allauth) and the
security logs all key on this function.
"""

import ipaddress

from django.conf import settings


def _valid(candidate: str) -> str | None:
    try:
        return str(ipaddress.ip_address(candidate.strip()))
    except ValueError:
        return None


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR") or "0.0.0.0"
    count = getattr(settings, "ALIS_TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    forwarded = [p for p in request.headers.get("x-forwarded-for", "").split(",") if p.strip()]
    if len(forwarded) < count:
        # The request did not pass through all our proxies: nothing in the header is ours.
        return remote
    return _valid(forwarded[-count]) or remote


def ratelimit_key(group, request) -> str:
    """django-ratelimit key function (`key=ratelimit_key`)."""
    return client_ip(request)
