"""A real OpenID Connect provider for the national-login tests: npm's `oidc-provider`, started
as its own Node process on 127.0.0.1 (tests/oidc/provider.mjs), with two clients standing in
for ALIS's ID-porten and HelseID registrations. Both authenticate with private_key_jwt (the
private key is made here and given to ALIS's settings; the provider gets only the public key)
and must send PKCE. Nothing about the HTTP calls is mocked.
"""

import json
import socket
import subprocess
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import jwt
import requests
import time_machine
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from alis.settings.national_login import PROVIDERS, oidc_app, providers_setting

SCRIPT = Path(__file__).with_name("provider.mjs")
NODE = "node"
KEY_ID = "alis-test-client-key"

# People known to the provider: their claims, as ID-porten and HelseID send them.
PID_KARI = "01017012345"
PID_ANNA = "02028054321"
ACCOUNTS = {
    # A coordinator, e-mail verified by the provider.
    "kari": {
        "pid": PID_KARI,
        "email": "kari@vest.example.no",
        "email_verified": True,
        "helseid://claims/identity/pid": PID_KARI,
    },
    # The same address as Kari's account, but the provider has not verified it.
    "mallory": {"pid": "03039011111", "email": "kari@vest.example.no", "email_verified": False},
    # A doctor: HelseID sends her HPR number.
    "anna": {
        "pid": PID_ANNA,
        "helseid://claims/identity/pid": PID_ANNA,
        "helseid://claims/hpr/hpr_number": "1234567",
        "given_name": "Anna",
        "family_name": "Aase",
        "name": "Anna Aase",
    },
    # A doctor whose HPR number is not the one in the register.
    "anna-feil-hpr": {
        "pid": PID_ANNA,
        "helseid://claims/identity/pid": PID_ANNA,
        "helseid://claims/hpr/hpr_number": "7654321",
    },
    # Someone ALIS does not know, with no e-mail.
    "ola": {"pid": "04049022222", "given_name": "Ola", "family_name": "Nordmann"},
}


@contextmanager
def real_clock():
    """The provider is another process on the machine's real clock; client assertions and ID
    tokens are only valid for minutes. A test that logs in through it runs, from start to end,
    at the real time (not the suite's frozen one), whatever ALIS_TEST_NOW says."""
    # Two seconds ahead: an ID token's `iat` (the provider's whole second) must never be later
    # than our clock, and time-machine's ticking clock can start a fraction of a second late.
    now = datetime.fromtimestamp(time_machine.escape_hatch.time.time() + 2, UTC)
    with time_machine.travel(now, tick=True):
        yield


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _key_pair(tmp: Path, name: str) -> tuple[Path, dict]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = tmp / f"{name}.pem"
    pem.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    public = jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key(), as_dict=True)
    return pem, {**public, "kid": KEY_ID, "use": "sig", "alg": "RS256"}


class OIDCProvider:
    """The running provider; `apps()` gives ALIS's settings for talking to it."""

    def __init__(self, tmp: Path, site_urls: list[str]):
        self.tmp = tmp
        self.port = _free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.key_file, public_jwk = _key_pair(tmp, "client")
        # A key the provider does not know, to show that the assertion is checked.
        self.wrong_key_file, _ = _key_pair(tmp, "wrong")
        clients = [
            {
                "client_id": f"alis-{provider_id}",
                "redirect_uris": [
                    f"{site.rstrip('/')}/konto/oidc/{provider_id}/login/callback/"
                    for site in site_urls
                ],
                "jwks": {"keys": [public_jwk]},
            }
            for provider_id in ("idporten", "helseid")
        ]
        config = tmp / "provider.json"
        config.write_text(json.dumps({"port": self.port, "clients": clients, "accounts": ACCOUNTS}))
        self.log = (tmp / "provider.log").open("w")
        self.process = subprocess.Popen(
            [NODE, str(SCRIPT), str(config)],
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
        )
        line = self.process.stdout.readline()
        if not line.startswith("READY"):
            self.stop()
            raise RuntimeError(f"OIDC-leverandøren startet ikke: {line!r}, se {self.log.name}")

    def errors(self) -> str:
        """What the provider logged (stderr): refused token requests and the like."""
        self.log.flush()
        return Path(self.log.name).read_text()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def app(self, prefix: str, **overrides) -> dict:
        defaults = PROVIDERS[prefix]
        provider_id = defaults["provider_id"]
        kwargs = {
            "provider_id": provider_id,
            "name": defaults["name"],
            "issuer": self.issuer,
            "client_id": f"alis-{provider_id}",
            "client_auth": "private_key_jwt",
            "private_key_file": str(self.key_file),
            "key_id": KEY_ID,
            "acr_values": defaults["acr_values"] or "idporten-loa-substantial",
            "scopes": "openid profile email",
            "pid_claim": defaults["pid_claim"],
            "hpr_claim": defaults["hpr_claim"],
            "assurance_claim": defaults["assurance_claim"],
            "two_factor_levels": defaults["two_factor_levels"],
        }
        kwargs.update(overrides)
        return oidc_app(**kwargs)

    def providers_setting(self, **overrides) -> dict:
        """SOCIALACCOUNT_PROVIDERS with both apps; overrides={"IDPORTEN": {...}} per app."""
        return providers_setting(
            [self.app(prefix, **overrides.get(prefix, {})) for prefix in ("IDPORTEN", "HELSEID")]
        )

    # --- The person's side, without a browser ------------------------------------------------

    def log_in(self, authorize_url: str, login: str, acr: str | None = None) -> str:
        """Go from the authorization request through the provider's login page (as a person
        typing `login` would) to the redirect back to ALIS; returns that URL."""
        session = requests.Session()
        url = authorize_url
        for _step in range(12):
            if urlsplit(url).netloc != urlsplit(self.issuer).netloc:
                return url
            response = session.get(url, allow_redirects=False, timeout=10)
            if response.status_code in (302, 303):
                url = urljoin(url, response.headers["Location"])
                continue
            assert response.status_code == 200, response.text[:500]
            assert "/interaction/" in url, url
            form = {"login": login}
            if acr:
                form["acr"] = acr
            else:
                wanted = response.text.split("selected>", 1)[1].split("<", 1)[0]
                form["acr"] = wanted
            response = session.post(f"{url}/login", data=form, allow_redirects=False, timeout=10)
            assert response.status_code == 303, response.text[:500]
            url = urljoin(url, response.headers["Location"])
        raise AssertionError(f"Kom ikke tilbake fra leverandøren: {url}")
