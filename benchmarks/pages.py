"""Benchmark (issue 21): every page against a bare view, with a national data set, through
gunicorn with the production settings.

Run against a PostgreSQL database of its own (created if missing, refused if it already holds
other data unless --reuse):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alis_bench \\
        .venv/bin/python benchmarks/pages.py [--doctors 400] [--scale 10] [--rounds 5]

What it does, in order:
1. builds the data set of benchmarks/national_report.py (5 offices, `--doctors` each, 150 goals
   per doctor, five years of supervision) with one office (Nord) `--scale` times larger, plus
   users: a coordinator (with TOTP, as production requires), a leader of every municipality and
   a veileder with a share of the doctors and their activities, in Vest (1×) and Nord (10×),
   and an issued confirmation per doctor there (the public check, /verify/<code>, looks one up
   among them; its visitors come through the proxy each from their own address, so the
   per-address limit of the check is not what is measured);
2. runs VACUUM ANALYZE (as autovacuum would have);
3. counts each page's queries in this process (Django's test client) at 1× and at 10×;
4. starts gunicorn with gunicorn.conf.py and alis.settings.production (two workers, loopback
   only, its own secret key, signing CA and media folders in a temporary directory), with
   ALIS_BENCHMARK_VIEWS=1 so the reference pages exist: a bare view and a 50-row template
   under /<office>/, through the same middleware and access check;
5. drives it with bursts of 10 concurrent clients: each round visits every page of both
   offices and the two reference pages in a new random order (interleaved), one burst of 10
   requests per visit, `--rounds` times; then stops gunicorn.
Prints p50/p95 per page, the p95 ratio to the bare view and to the 50-row template, and the
query counts at 1× and 10×. Asserts nothing.
"""

import argparse
import itertools
import os
import random
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECRET = secrets.token_urlsafe(50)
WORK = Path(tempfile.mkdtemp(prefix="alis-pages-"))
os.environ.update(
    DJANGO_SETTINGS_MODULE="alis.settings.base",
    SECRET_KEY=SECRET,  # the same key as the server's: the sessions made here are valid there
    ALIS_BENCHMARK_VIEWS="1",
    MEDIA_ROOT=str(WORK / "media"),
    ALIS_PKI_DIR=str(WORK / "pki"),
    ALIS_SIGNING_PASSWORD=secrets.token_urlsafe(16),
)
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]


def _create_database() -> None:
    """The database named in DATABASE_URL, created if missing (before Django connects)."""
    import psycopg

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Kjør mot PostgreSQL: sett DATABASE_URL=postgres://…/alis_bench")
    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


_create_database()

import django  # noqa: E402

django.setup()

from allauth.mfa.totp.internal.auth import TOTP  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_scopes import scope, scopes_disabled  # noqa: E402
from national_report import generate  # noqa: E402

from accounts.models import Membership, User  # noqa: E402
from confirmations.models import Confirmation  # noqa: E402
from confirmations.models import Status as ConfirmationStatus  # noqa: E402
from goals.models import LearningActivity  # noqa: E402
from goals.selectors import current_goals  # noqa: E402
from municipalities.models import Municipality  # noqa: E402
from offices.models import Office  # noqa: E402
from offices.permissions import Role  # noqa: E402
from trainees.models import Supervisor, Trainee  # noqa: E402

OFFICES = {"1×": "vest", "10×": "nord"}
CLIENTS = 10


def pages(slug: str, doctor: int) -> list[tuple[str, str, str]]:
    """(label, role, path) of the pages measured for one office."""
    return [
        ("koordinatorens forside", "coordinator", f"/{slug}/"),
        ("legeliste", "coordinator", f"/{slug}/leger/"),
        ("signeringskø (veileder)", "veileder", f"/{slug}/signering/"),
        ("framdrift, oversikt", "coordinator", f"/{slug}/framdrift/oversikt/"),
        ("veiledning, oversikt", "coordinator", f"/{slug}/veiledningsoversikt/"),
        ("veilederpool", "coordinator", f"/{slug}/veilederpool/"),
        ("stillinger", "coordinator", f"/{slug}/stillinger/"),
        ("stillingsoversikt", "coordinator", f"/{slug}/oversikt/"),
        ("godkjenningskø (leder)", "leader", f"/{slug}/godkjenning/"),
        ("kravside (hvor står)", "coordinator", f"/{slug}/leger/{doctor}/hvor-star/"),
        ("læringsmål (én lege)", "coordinator", f"/{slug}/leger/{doctor}/framdrift/"),
        ("veiledningslogg", "coordinator", f"/{slug}/leger/{doctor}/veiledningslogg/"),
        ("rapporter", "coordinator", f"/{slug}/rapporter/"),
        ("kontroll /verify/<kode>", "public", f"/verify/{verify_code(slug)}"),
        ("REF tom visning", "coordinator", f"/{slug}/_ytelse/tom/"),
        ("REF 50 rader", "coordinator", f"/{slug}/_ytelse/50-rader/"),
    ]


# --- Data ------------------------------------------------------------------------------------


def users_for(office: Office) -> dict[str, User]:
    """A coordinator, a leader of every municipality and a veileder for pool member 0."""
    made = {}
    for role in ("coordinator", "leader", "veileder"):
        made[role] = User.objects.create_user(
            email=f"{role}@{office.slug}.ytelse.example.no",
            password=secrets.token_urlsafe(12),
            first_name=role.capitalize(),
            last_name=office.name,
        )
    municipalities = list(Municipality.objects.filter(office=office, is_active=True))
    Membership.objects.bulk_create(
        [
            Membership(user=made["coordinator"], office=office, role=Role.COORDINATOR),
            Membership(
                user=made["veileder"],
                office=office,
                role=Role.VEILEDER,
                municipality=municipalities[0],
            ),
        ]
        + [
            Membership(
                user=made["leader"], office=office, role=Role.MUNICIPAL_LEADER, municipality=m
            )
            for m in municipalities
        ]
    )
    TOTP.activate(made["coordinator"], "JBSWY3DPEHPK3PXP")
    with scope(office=office):
        supervisor = Supervisor.objects.filter(office=office).order_by("pk").first()
        supervisor.user = made["veileder"]
        supervisor.save(update_fields=["user"])
        doctors = Trainee.objects.filter(office=office, supervisors__supervisor=supervisor)
        goal = current_goals().first()
        activities = LearningActivity.objects.bulk_create(
            LearningActivity(
                office=office,
                trainee=t,
                kind="klinisk",
                date=t.specialisation_start,
                description="Konsultasjoner med refleksjon",
                created_by=made["veileder"],
            )
            for t in doctors
            for _ in range(3)
        )
        LearningActivity.goals.through.objects.bulk_create(
            LearningActivity.goals.through(learningactivity=a, learninggoal=goal)
            for a in activities
        )
        # An issued confirmation for every doctor with supervision, as an office that has
        # issued them for years: the public check looks one up by its code among them all.
        issued = [
            Confirmation(
                office=office,
                municipality_id=t.municipality_id,
                trainee=t,
                serial=f"{office.slug.upper()}-{t.pk}",
                status=ConfirmationStatus.ISSUED,
                facts={"doctor": t.full_name, "municipality": "Kommune", "goal_count": 12},
                signer_name="Koordinator",
                requested_by=made["coordinator"],
                issued_at=timezone.now(),
                sha256=f"{t.pk:064x}",
            )
            for t in Trainee.objects.filter(office=office).order_by("pk")
        ]
        Confirmation.objects.bulk_create(issued, batch_size=2000)
    return made


def verify_code(slug: str) -> str:
    """The code of one of the office's issued confirmations (the last, not the first row)."""
    with scopes_disabled():
        return (
            Confirmation.objects.filter(office__slug=slug, status=ConfirmationStatus.ISSUED)
            .order_by("-pk")
            .values_list("code", flat=True)
            .first()
        )


def build(doctors: int, scale: int) -> None:
    started = time.perf_counter()
    with scopes_disabled():  # a benchmark, not app code: it writes every office's rows
        sizes = {slug: doctors for slug in Office.objects.values_list("slug", flat=True)}
        counts = generate({**sizes, "nord": doctors * scale})
        for slug in OFFICES.values():
            users_for(Office.objects.get(slug=slug))
    print(f"Data: {counts} ({time.perf_counter() - started:.0f} s)")


def sessions() -> dict[tuple[str, str], str]:
    """A session cookie per (office, role)."""
    cookies = {}
    for slug in OFFICES.values():
        for role in ("coordinator", "leader", "veileder"):
            client = Client()
            client.force_login(User.objects.get(email=f"{role}@{slug}.ytelse.example.no"))
            cookies[slug, role] = client.cookies["sessionid"].value
        cookies[slug, "public"] = ""  # a visitor with a document, not logged in
    return cookies


def a_doctor(slug: str) -> int:
    with scopes_disabled():
        return (
            Trainee.objects.filter(office__slug=slug, status="aktiv")
            .filter(supervision_sessions__isnull=False)
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )


def query_counts(targets, cookies) -> dict[str, int]:
    counts = {}
    for slug, _label, role, path in targets:
        client = Client(HTTP_HOST="127.0.0.1")
        if cookies[slug, role]:
            client.cookies["sessionid"] = cookies[slug, role]
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        if response.status_code != 200:
            sys.exit(f"{path}: {response.status_code} (som {role})")
        counts[path] = len(queries)
        print(f"  {path}: {len(queries)} spørringer, {response.content.__len__() // 1024} KiB")
    return counts


# --- The server and the load -----------------------------------------------------------------


def start_server(port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "alis.settings.production",
        "ALLOWED_HOSTS": "127.0.0.1",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": "2",
        "STATIC_ROOT": str(WORK / "static"),
        "SITE_URL": f"https://127.0.0.1:{port}",
        "LOG_LEVEL": "WARNING",
        "GUNICORN_LOG_LEVEL": "warning",
        "ALIS_TRUSTED_PROXY_COUNT": "1",
    }
    python = str(ROOT / ".venv" / "bin" / "python")
    subprocess.run(
        [python, "manage.py", "create_dev_ca"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "alis.settings.base"},
        check=True,
        stdout=subprocess.DEVNULL,
    )
    subprocess.run(
        [python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", "gunicorn.conf.py", "alis.wsgi"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=(WORK / "server.log").open("w"),  # a JSON line per request: not our output
        stderr=subprocess.STDOUT,
    )
    for _ in range(120):
        try:
            conn = HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz", headers={"X-Forwarded-Proto": "https"})
            if conn.getresponse().status == 200:
                return server
        except OSError:
            pass
        if server.poll() is not None:
            sys.exit("gunicorn stoppet")
        time.sleep(0.5)
    stop_server(server)
    sys.exit("gunicorn svarte ikke")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)  # its own session: gunicorn and its workers
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


_visitor = itertools.count(1)


def _get(port: int, path: str, cookie: str) -> tuple[float, int]:
    conn = HTTPConnection("127.0.0.1", port, timeout=120)
    # Each request comes through the proxy from its own address (ALIS_TRUSTED_PROXY_COUNT=1),
    # as the public check is used by many people: the per-address limit is not what is measured.
    n = next(_visitor)
    headers = {
        "X-Forwarded-Proto": "https",
        "X-Forwarded-For": f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}",
    }
    if cookie:
        headers["Cookie"] = f"sessionid={cookie}"
    start = time.perf_counter()
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    response.read()
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed, response.status


def load(port: int, targets, cookies, rounds: int) -> dict[str, list[float]]:
    """Each round visits every page in a new random order; a visit is a burst of CLIENTS
    concurrent requests to that page (the bounded load), so a page's latency is its own cost
    under that load, and the reference pages are measured in between the others."""
    times: dict[str, list[float]] = {path: [] for _s, _l, _r, path in targets}
    errors: list[str] = []
    for slug, _label, role, path in targets:  # warm-up: both workers, not recorded
        for _ in range(2):
            _get(port, path, cookies[slug, role])
    rng = random.Random(21)
    for _round in range(rounds):
        order = list(targets)
        rng.shuffle(order)
        for slug, _label, role, path in order:
            results: list[tuple[float, int]] = []

            def visit(path=path, cookie=cookies[slug, role], results=results):
                results.append(_get(port, path, cookie))

            threads = [threading.Thread(target=visit) for _ in range(CLIENTS)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            times[path] += [elapsed for elapsed, _status in results]
            errors += [f"{path}: {status}" for _elapsed, status in results if status != 200]
    if errors:
        sys.exit(f"Feil under målingen: {errors[:5]}")
    return times


def p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] * 1000


def report(targets, times, counts) -> None:
    by_slug = {slug: label for label, slug in OFFICES.items()}
    ref = {}
    for slug in OFFICES.values():
        bare, rows = f"/{slug}/_ytelse/tom/", f"/{slug}/_ytelse/50-rader/"
        ref[slug] = (p(times[bare], 95), p(times[rows], 95))
    print(
        f"{'side':<26}{'data':>5}{'p50 ms':>9}{'p95 ms':>9}{'×tom':>7}{'×50 rader':>10}"
        f"{'spørringer':>12}"
    )
    for slug, label, _role, path in targets:
        p50, p95 = p(times[path], 50), p(times[path], 95)
        bare, rows = ref[slug]
        print(
            f"{label:<26}{by_slug[slug]:>5}{p50:>9.0f}{p95:>9.0f}{p95 / bare:>7.1f}"
            f"{p95 / rows:>10.1f}{counts[path]:>12}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--doctors", type=int, default=400, help="leger per kontor (1×)")
    parser.add_argument("--scale", type=int, default=10, help="Nord har så mange ganger flere")
    parser.add_argument("--rounds", type=int, default=5, help="runder per klient")
    parser.add_argument("--port", type=int, default=8121)
    parser.add_argument("--reuse", action="store_true", help="bruk data fra en tidligere kjøring")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Kjør mot PostgreSQL: sett DATABASE_URL=postgres://…")
    try:
        call_command("migrate", verbosity=0)
        with scopes_disabled():
            has_data = Trainee.objects.exists()
        if has_data and not args.reuse:
            sys.exit("Databasen har allerede ALIS-leger: bruk en ny database eller --reuse.")
        if not has_data:
            build(args.doctors, args.scale)
        with connection.cursor() as cursor:
            # What autovacuum has done in a database that has run for a while: statistics, and
            # the visibility map that lets index-only scans skip the table.
            cursor.execute("VACUUM ANALYZE")
        cookies = sessions()
        targets = [
            (slug, label, role, path)
            for slug in OFFICES.values()
            for label, role, path in pages(slug, a_doctor(slug))
        ]
        counts = query_counts(targets, cookies)
        connection.close()
        server = start_server(args.port)
        try:
            started = time.perf_counter()
            times = load(args.port, targets, cookies, args.rounds)
            elapsed = time.perf_counter() - started
        finally:
            stop_server(server)
        total = sum(len(v) for v in times.values())
        print(
            f"{CLIENTS} samtidige klienter, {args.rounds} runder, {total} målte forespørsler på "
            f"{elapsed:.0f} s (gunicorn, 2 arbeidere, alis.settings.production)"
        )
        report(targets, times, counts)
    finally:
        shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
