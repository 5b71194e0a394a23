"""Smoke test of the running production shape, over HTTP only (standard library, no Django).

Usage: client.py BASE_URL SEED_JSON MAIL_DIR. Exits non-zero with a message on the first
failure. The server sits behind an HTTPS proxy in production; this client plays the proxy by
sending X-Forwarded-Proto: https (the settings trust it), so secure cookies and CSRF work.
"""

import base64
import hashlib
import hmac
import json
import os
import re
import struct
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

DEMO_PASSWORD = "alis-demo-2026"


class Fail(Exception):
    pass


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Cookies by hand: the session cookie is Secure, and urllib would not send it over http."""

    def __init__(self, base: str):
        self.base = base.rstrip("/")
        self.origin = "https://" + urllib.parse.urlsplit(self.base).netloc
        self.cookies: dict[str, str] = {}
        self.opener = urllib.request.build_opener(_NoRedirect)

    def request(self, method, path, data=None, headers=None, follow=True):
        for _hop in range(10):
            head = {
                "X-Forwarded-Proto": "https",
                "Referer": self.origin + path,
                "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
                **(headers or {}),
            }
            if method == "POST":
                head["Origin"] = self.origin
            req = urllib.request.Request(self.base + path, data=data, headers=head, method=method)
            try:
                resp = self.opener.open(req, timeout=30)
                status, body, hdrs = resp.status, resp.read(), resp.headers
            except urllib.error.HTTPError as error:
                status, body, hdrs = error.code, error.read(), error.headers
            for cookie in hdrs.get_all("Set-Cookie") or []:
                name, _, rest = cookie.partition("=")
                self.cookies[name.strip()] = rest.split(";")[0]
            if follow and status in (301, 302, 303):
                path = urllib.parse.urljoin(path, hdrs["Location"])
                if path.startswith("http"):
                    path = urllib.parse.urlsplit(path)._replace(scheme="", netloc="").geturl()
                method, data = "GET", None
                continue
            return status, body, hdrs, path
        raise Fail(f"for mange omdirigeringer fra {path}")

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post_form(self, path, fields, **kw):
        fields = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **fields}
        data = urllib.parse.urlencode(fields).encode()
        head = {"Content-Type": "application/x-www-form-urlencoded"}
        return self.request("POST", path, data=data, headers=head, **kw)

    def post_file(self, path, field, filename, content: bytes):
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
            f"{self.cookies.get('csrftoken', '')}\r\n".encode(),
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; '
            f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'.encode(),
            content,
            f"\r\n--{boundary}--\r\n".encode(),
        ]
        head = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        return self.request("POST", path, data=b"".join(parts), headers=head)


def check(condition, message):
    if not condition:
        raise Fail(message)


def totp_now(secret_b32: str) -> str:
    """RFC 6238 (30 s, 6 digits, SHA-1), as authenticator apps compute it."""
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def wait_for(what, probe, seconds=45):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = probe()
        if result:
            return result
        time.sleep(0.5)
    raise Fail(f"ventet {seconds} s uten resultat: {what}")


def log_in(base, email, totp_secret=None) -> Browser:
    b = Browser(base)
    status, body, _, _ = b.get("/konto/login/")
    check(status == 200, f"innloggingssiden svarte {status}")
    status, body, _, landed = b.post_form(
        "/konto/login/", {"login": email, "password": DEMO_PASSWORD}
    )
    if totp_secret:
        check("2fa" in landed, f"{email}: ble ikke spurt om engangskode (landet på {landed})")
        status, body, _, landed = b.post_form(landed, {"code": totp_now(totp_secret)})
    check(status == 200 and "sessionid" in b.cookies, f"{email}: innlogging feilet ({status})")
    check("/konto/login" not in landed, f"{email}: står fortsatt på innloggingssiden")
    return b


def main(base, seed_path, mail_dir):
    seed = json.loads(Path(seed_path).read_text())
    anon = Browser(base)

    status, body, _, _ = anon.get("/healthz")
    health = json.loads(body)
    check(status == 200, f"/healthz svarte {status}: {health}")
    check(health == {"status": "ok", "database": "ok", "broker": "ok"}, f"/healthz: {health}")
    print("ok  /healthz: database og kø svarer")

    status, body, _, _ = anon.get("/konto/login/")
    css = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', body.decode())
    check(css, "innloggingssiden lenker ikke til statiske filer med hash i navnet")
    status, _, hdrs, _ = anon.get(css.group(1), headers={"Accept-Encoding": "gzip"})
    cache = hdrs.get("Cache-Control", "")
    check(status == 200 and "max-age=315360000" in cache and "immutable" in cache, f"{cache!r}")
    print(f"ok  statisk fil {css.group(1)}: {cache}")

    leader = log_in(base, "leder.masfjorden@demo.alis.no")
    print("ok  innlogging: kommunal leder")
    page = f"/vest/leger/{seed['trainee_id']}/bekreftelser/"
    status, _, _, _ = leader.post_form(page, {})
    check(status == 200, f"bestilling av bekreftelse svarte {status}")

    def issued():
        _, body, _, _ = leader.get(page)
        return re.search(r'href="(/vest/bekreftelser/[^"]+\.pdf)"', body.decode())

    pdf_link = wait_for("bekreftelsen signeres av workeren", issued).group(1)
    status, pdf, _, _ = leader.get(pdf_link)
    check(status == 200 and pdf.startswith(b"%PDF"), f"nedlasting av {pdf_link}: {status}")
    status, body, _, _ = anon.get("/verify/")
    status, body, _, _ = anon.post_file("/verify/", "document", "bekreftelse.pdf", pdf)
    text = body.decode()
    check(
        "Dokumentet er nøyaktig det vi utstedte, og signaturen er intakt." in text,
        "/verify/ godtok ikke den utstedte PDF-en",
    )
    code_link = re.search(r'href="(/verify/[^"]+)"', text).group(1)
    status, body, _, _ = anon.get(code_link)
    check(status == 200, f"{code_link} svarte {status}")
    print(f"ok  bekreftelse {pdf_link} laget av workeren, signert og godkjent på /verify/")

    coordinator = log_in(base, "koordinator.vest@demo.alis.no", os.environ["SMOKE_TOTP_SECRET"])
    print("ok  innlogging: koordinator med engangskode (TOTP)")
    status, _, _, landed = coordinator.post_form("/vest/rapporter/ny/", {})
    report = re.fullmatch(r"/vest/rapporter/(\d+)/", landed)
    check(status == 200 and report, f"bestilling av rapport: {status} {landed}")
    pdf_url = f"/vest/rapporter/{report.group(1)}/rapport.pdf"

    def report_ready():
        status, body, _, _ = coordinator.get(pdf_url)
        return status == 200 and body.startswith(b"%PDF")

    wait_for("rapporten bygges av workeren", report_ready)
    print(f"ok  rapport {pdf_url} bygget av workeren")

    subject = f"Registrering venter: {seed['registration_municipality']}"

    def reminders():
        """Subject lines of the reminder in every message the worker wrote."""
        return [
            line
            for f in Path(mail_dir).iterdir()
            for line in f.read_text(errors="replace").splitlines()
            if line.startswith("Subject:") and subject in line
        ]

    wait_for("beat sender påminnelsen", reminders)
    time.sleep(float(os.environ.get("SMOKE_REPEAT_WAIT", "7")))  # beat runs the sweep again
    sent = reminders()
    check(len(sent) == 1, f"påminnelsen ble sendt {len(sent)} ganger, skulle vært én")
    print(f"ok  påminnelse «{subject}» sendt én gang av beat → worker")


if __name__ == "__main__":
    try:
        main(*sys.argv[1:4])
    except Fail as error:
        print(f"FEIL i røyktesten: {error}", file=sys.stderr)
        sys.exit(1)
