"""What a national login tells us about the person, read from the claims allauth received.

The national identity number (ID-porten's `pid`, HelseID's `helseid://claims/identity/pid`) is
replaced by HMAC-SHA256(ALIS_NATIONAL_ID_HMAC_KEY, number) as soon as the claims arrive
(NationalLoginProvider.extract_extra_data), so only the hash is ever saved or compared.
"""

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings

PID_HMAC = "pid_hmac"
# Every claim a national identity number may arrive in, whichever provider sent it: none of
# them is ever kept.
PID_CLAIMS = ("pid", "helseid://claims/identity/pid")


def pid_hmac(pid: str) -> str:
    key = settings.ALIS_NATIONAL_ID_HMAC_KEY.encode()
    return hmac.new(key, pid.strip().encode(), hashlib.sha256).hexdigest()


def _sections(extra_data: dict) -> list[dict]:
    """The claim sets allauth keeps: the ID token's and userinfo's (or one flat dict)."""
    found = [extra_data[k] for k in ("id_token", "userinfo") if isinstance(extra_data.get(k), dict)]
    return found or [extra_data]


def without_pid(extra_data: dict, app_settings: dict) -> dict:
    """The claims with the national identity number replaced by its keyed hash."""
    claim = app_settings.get("pid_claim") or "pid"
    for section in _sections(extra_data):
        pid = section.get(claim)
        for name in {claim, *PID_CLAIMS}:
            section.pop(name, None)
        if pid:
            section[PID_HMAC] = pid_hmac(str(pid))
    return extra_data


def _first(extra_data: dict, claim: str | None):
    if not claim:
        return None
    for section in _sections(extra_data):
        value = section.get(claim)
        if value not in (None, ""):
            return value
    return None


@dataclass(frozen=True)
class NationalClaims:
    provider_id: str
    pid_hmac: str | None
    hpr_number: str | None
    checks_hpr: bool
    assurance: str | None
    two_factor: bool


def national_claims(sociallogin) -> NationalClaims:
    account = sociallogin.account
    app_settings = account.get_provider().app.settings
    data = account.extra_data or {}
    assurance = _first(data, app_settings.get("assurance_claim") or "acr")
    assurance = None if assurance is None else str(assurance)
    hpr = _first(data, app_settings.get("hpr_claim"))
    return NationalClaims(
        provider_id=account.provider,
        pid_hmac=_first(data, PID_HMAC),
        hpr_number=None if hpr is None else str(hpr),
        checks_hpr=bool(app_settings.get("hpr_claim")),
        assurance=assurance,
        two_factor=assurance in (app_settings.get("two_factor_levels") or []),
    )
