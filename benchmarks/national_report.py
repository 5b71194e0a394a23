"""Benchmark: the national report on a national-scale data set, against hand-written SQL.

Run against PostgreSQL, in a fresh database (the script migrates it and refuses one that already
has ALIS doctors unless --reuse):

    createdb -h 127.0.0.1 -U postgres alis_bench   # if missing
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alis_bench \
        .venv/bin/python benchmarks/national_report.py [--runs 3] [--reuse]

Data: the 5 offices and 357 municipalities the migrations seed, 2,000 ALIS doctors (400 per
office), 5 years of service periods per doctor, a supervisor pool with veileder assignments,
supervision groups, about two positions per municipality, 150 learning goals per doctor
(300,000 goal rows) and five years of individual supervision (about 105,000 sessions).

The report counts each doctor's stored standing (`plans.stored`: the rules engine's answer,
kept until an input changes, refreshed every night). After ANALYZE the script:

1. checks that the numbers agree four ways: the report computing every standing (nothing
   stored yet), hand-written SQL reading every input plus the rules engine called directly,
   the report again from the rows it stored, and hand-written aggregate SQL over those rows
   (and the suppressed national figures as shown); prints the first, engine-bound report time;
2. times the nightly refresh once (the engine over every doctor in training);
3. times, interleaved, `--runs` times: the raw aggregate SQL the report needs (3 queries),
   `national_figures` with every answer stored, `national_figures` after `--changed` (2 %) of
   the doctors changed since the refresh (their answers computed and stored by the report),
   and the whole `report_build` the Celery task runs (figures, Excel, PDF).

Prints medians and ratios; asserts nothing but that every answer is stored after the runs.
Target (issue 21): the national report within 3x the raw SQL it needs.
"""

import argparse
import gc
import os
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alis.settings.base")
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="alis-bench-"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import F  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django_scopes import scope, scopes_disabled  # noqa: E402

from goals.models import GoalProgress  # noqa: E402
from municipalities.models import Municipality  # noqa: E402
from offices import clock  # noqa: E402
from offices.models import Office  # noqa: E402
from offices.vocabularies import INSTITUTION_ARENAS, ArenaType  # noqa: E402
from plans.models import RuleSet, StoredStanding  # noqa: E402
from plans.rules import Course, Period, add_months, evaluate, supervision_compliance  # noqa: E402
from plans.rules import SupervisionSession as Session  # noqa: E402
from plans.selectors import choose_rule_set, group_sessions  # noqa: E402
from plans.standing import _RESULTS, Standing  # noqa: E402
from plans.stored import invalidate  # noqa: E402
from plans.tasks import refresh_standings  # noqa: E402
from positions.models import Position  # noqa: E402
from reports.figures import suppress_national  # noqa: E402
from reports.models import Kind, Report  # noqa: E402
from reports.national import _add, national_figures  # noqa: E402
from reports.selectors import figures_by_office  # noqa: E402
from reports.services import report_build  # noqa: E402
from trainees.models import (  # noqa: E402
    ServicePeriod,
    SupervisionGroup,
    SupervisionSession,
    Supervisor,
    SupervisorAssignment,
    Trainee,
)

DOCTORS_PER_OFFICE = 400
ON = clock.today()  # the stored answers are the day's (plans.stored)
ARENAS = ["allmennpraksis", "allmennpraksis", "legevakt", "institusjon", "allmennpraksis"]


def generate(doctors_per_office: dict[str, int] | None = None) -> dict:
    """The data set; `doctors_per_office` (office slug → doctors) overrides the 400 of an
    office (benchmarks/pages.py grows one office tenfold)."""
    rng = random.Random(7)
    counts = dict.fromkeys(["doctors", "periods", "assignments", "groups", "positions"], 0)
    for office in Office.objects.order_by("pk"):
        municipalities = list(Municipality.objects.filter(office=office))
        positions = [
            Position(
                office=office,
                municipality=m,
                employment_form=rng.choice(["fastlonn", "naering", "valgfritt"]),
                scheme=rng.choice(["ny", "ny", "ny", "gammel"]),
                status=rng.choice(["planlagt", "utlyst", "besatt", "besatt", "ledig"]),
                applicants=rng.randint(0, 6),
            )
            for m in municipalities
            for _ in range(rng.randint(1, 2))
        ]
        Position.objects.bulk_create(positions)
        doctors = []
        for n in range((doctors_per_office or {}).get(office.slug, DOCTORS_PER_OFFICE)):
            start = date(2019 + rng.randint(0, 6), rng.randint(1, 12), 1)
            doctors.append(
                Trainee(
                    office=office,
                    municipality=rng.choice(municipalities),
                    first_name=f"Lege{n}",
                    last_name=office.slug.capitalize(),
                    email=f"lege{n}@{office.slug}.example.no",
                    hpr_number=f"{office.pk:02d}{n:07d}",
                    scheme=rng.choice(["ny", "ny", "ny", "gammel", "konvertert"]),
                    conversion_date=date(2020, 1, 1),
                    specialisation_start=start,
                    status=rng.choice(["aktiv"] * 8 + ["permisjon", "fullfort"]),
                )
            )
        doctors = Trainee.objects.bulk_create(doctors)
        periods = [
            ServicePeriod(
                office=office,
                trainee=t,
                served_by=office,
                municipality=t.municipality,
                place=f"Tjenestested {year}",
                arena=ARENAS[year],
                percentage=rng.choice([100, 100, 80, 60]),
                start=add_months(t.specialisation_start, 12 * year),
                end=add_months(t.specialisation_start, 12 * year + 12),
            )
            for t in doctors
            for year in range(5)
        ]
        ServicePeriod.objects.bulk_create(periods, batch_size=2000)
        pool = Supervisor.objects.bulk_create(
            Supervisor(office=office, name=f"Veileder {i}", capacity=5) for i in range(80)
        )
        assignments = [
            SupervisorAssignment(
                office=office,
                trainee=t,
                supervisor=pool[i % len(pool)],
                supervisor_name=pool[i % len(pool)].name,
                role="veileder",
                start=t.specialisation_start,
            )
            for i, t in enumerate(doctors)
            if rng.random() < 0.85
        ]
        SupervisorAssignment.objects.bulk_create(assignments)
        groups = SupervisionGroup.objects.bulk_create(
            SupervisionGroup(
                office=office, name=f"Gruppe {g}", leader_name="Gro", start=date(2025, 1, 1)
            )
            for g in range(20)
        )
        Through = SupervisionGroup.members.through
        Through.objects.bulk_create(
            Through(supervisiongroup=groups[i % len(groups)], trainee=t)
            for i, t in enumerate(doctors)
            if rng.random() < 0.6
        )
        counts["goals"] = counts.get("goals", 0) + _goal_progress(office, doctors, rng)
        counts["sessions"] = counts.get("sessions", 0) + _supervision(office, doctors, rng)
        counts["doctors"] += len(doctors)
        counts["periods"] += len(periods)
        counts["assignments"] += len(assignments)
        counts["groups"] += len(groups)
        counts["positions"] += len(positions)
    return counts


def _goal_progress(office, doctors, rng) -> int:
    """150 goals per doctor from the sample catalogue, in a spread of states."""
    from goals.models import GoalProgress, GoalStatus
    from plans.models import Catalogue, LearningGoal

    catalogue, created = Catalogue.objects.get_or_create(
        specialty="allmennmedisin",
        kind="ALM",
        version="Benchmark (150 mål)",
        defaults={"valid_from": date(2019, 3, 1)},
    )
    if created:
        LearningGoal.objects.bulk_create(
            LearningGoal(
                catalogue=catalogue, code=f"ALM-{i:03d}", title=f"Mål {i}", theme=f"Tema {i % 12}"
            )
            for i in range(1, 151)
        )
    goals = list(catalogue.goals.all())
    statuses = [GoalStatus.APPROVED] * 4 + [
        GoalStatus.IN_PROGRESS,
        GoalStatus.SUBMITTED,
        GoalStatus.NOT_STARTED,
    ]
    rows, seen = [], set()
    for t in doctors:
        for g in goals:
            if (t.pk, g.pk) in seen:  # the sample catalogue has fewer than 150 distinct goals
                continue
            seen.add((t.pk, g.pk))
            rows.append(GoalProgress(office=office, trainee=t, goal=g, status=rng.choice(statuses)))
    GoalProgress.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def _supervision(office, doctors, rng) -> int:
    """Five years of individual supervision: about 10.5 sessions a year per doctor."""
    from decimal import Decimal

    from trainees.models import SupervisionSession

    rows = [
        SupervisionSession(
            office=office,
            trainee=t,
            day=add_months(t.specialisation_start, m),
            hours=Decimal(rng.choice([2, 3, 4, 4, 5])),
            topics="Veiledning",
        )
        for t in doctors
        for m in range(60)
        if rng.random() < 0.875
    ]
    SupervisionSession.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def timed(fn, runs: int = 3) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


# --- The same numbers from hand-written SQL ----------------------------------------------------
#
# Counts that SQL can compute are computed by SQL: one grouped query for the positions, one for
# the doctors. The three figures that come from each doctor's standing (at risk, not behind with
# supervision, projected completion year) are the rules engine's answer (`plans.rules`, the one
# truth; SQL cannot give them without a second engine), so the raw side reads the engine's inputs
# with hand-written SQL, one query per table, and calls the engine itself on them, without the
# ORM, the scope, the per-process cache or anything else of the report.

POSITIONS_SQL = """
SELECT office_id,
       count(*),
       count(*) FILTER (WHERE status = 'besatt'),
       count(*) FILTER (WHERE employment_form = 'fastlonn'),
       count(*) FILTER (WHERE employment_form = 'naering'),
       count(*) FILTER (WHERE employment_form = 'valgfritt'),
       count(*) FILTER (WHERE scheme = 'gammel')
  FROM positions_position
 WHERE status <> 'avsluttet'
 GROUP BY office_id
"""

DOCTORS_SQL = """
WITH d AS (
  SELECT t.id, t.office_id, t.scheme,
         EXISTS (SELECT 1 FROM trainees_supervisorassignment a
                  WHERE a.office_id = t.office_id AND a.trainee_id = t.id AND a.role = 'veileder'
                    AND a.start <= %(on)s AND (a."end" IS NULL OR a."end" >= %(on)s)) AS veileder,
         EXISTS (SELECT 1 FROM trainees_supervisiongroup g
                   JOIN trainees_supervisiongroup_members m ON m.supervisiongroup_id = g.id
                  WHERE g.office_id = t.office_id AND m.trainee_id = t.id AND g.start <= %(on)s
                    AND (g."end" IS NULL OR g."end" >= %(on)s)) AS in_group,
         EXISTS (SELECT 1 FROM plans_individualplan p
                  WHERE p.office_id = t.office_id AND p.trainee_id = t.id) AS plan
    FROM trainees_trainee t
   WHERE t.status IN ('aktiv', 'permisjon') AND t.specialisation_start <= %(on)s
)
SELECT office_id, count(*),
       count(*) FILTER (WHERE scheme = 'ny'),
       count(*) FILTER (WHERE scheme = 'gammel'),
       count(*) FILTER (WHERE scheme = 'konvertert'),
       count(*) FILTER (WHERE veileder),
       count(*) FILTER (WHERE in_group),
       count(*) FILTER (WHERE plan)
  FROM d GROUP BY office_id
"""

IN_TRAINING_SQL = """
SELECT id, office_id, scheme, specialisation_start FROM trainees_trainee
 WHERE status IN ('aktiv', 'permisjon') AND specialisation_start <= %(on)s
"""
IN_TRAINING = (
    "SELECT id FROM trainees_trainee "
    "WHERE status IN ('aktiv', 'permisjon') AND specialisation_start <= %(on)s"
)
INPUT_SQL = {
    "rule_sets": "SELECT * FROM plans_ruleset WHERE valid_from <= %(on)s",
    "periods": f"""SELECT trainee_id, start, "end", percentage, arena, is_leave, credited
                     FROM trainees_serviceperiod WHERE trainee_id IN ({IN_TRAINING})
                    ORDER BY start, id""",
    "sessions": f"""SELECT trainee_id, day, hours FROM trainees_supervisionsession
                     WHERE trainee_id IN ({IN_TRAINING})""",
    "meetings": f"""SELECT a.trainee_id, m.day, m.hours FROM trainees_groupmeeting m
                      JOIN trainees_groupmeeting_attendees a ON a.groupmeeting_id = m.id
                     WHERE a.trainee_id IN ({IN_TRAINING})""",
    "courses": f"""SELECT trainee_id, kind, hours, completed_on FROM trainees_courserecord
                    WHERE trainee_id IN ({IN_TRAINING})""",
    "plans": f"""SELECT DISTINCT ON (v.plan_id) p.trainee_id, v.id, v.target_completion,
                        v.institution_start, v.institution_module
                   FROM plans_planversion v JOIN plans_individualplan p ON p.id = v.plan_id
                  WHERE v.approved_at IS NOT NULL AND p.trainee_id IN ({IN_TRAINING})
                  ORDER BY v.plan_id, v.number DESC""",
    "arenas": f"""SELECT a.version_id, a.start, a."end", a.percentage, a.arena
                    FROM plans_plannedarena a JOIN plans_planversion v ON v.id = a.version_id
                    JOIN plans_individualplan p ON p.id = v.plan_id
                   WHERE v.approved_at IS NOT NULL AND p.trainee_id IN ({IN_TRAINING})""",
}


def raw_sql(on: date) -> dict:
    """Every row the report's numbers need, by hand-written SQL (no ORM)."""
    with connection.cursor() as cursor:
        rows = {}
        for name, sql in [
            ("positions", POSITIONS_SQL),
            ("doctors", DOCTORS_SQL),
            ("trainees", IN_TRAINING_SQL),
            *INPUT_SQL.items(),
        ]:
            cursor.execute(sql, {"on": on})
            if name == "rule_sets":
                columns = [c.name for c in cursor.description]
                rows[name] = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
            else:
                rows[name] = cursor.fetchall()
    return rows


def raw_engine(rows: dict, on: date) -> dict[int, dict]:
    """The standing figures per office from the raw rows: the rules engine called directly."""
    rule_sets = [RuleSet(**row) for row in rows["rule_sets"]]
    values = {r.pk: r.values() for r in rule_sets}
    periods, sessions, meetings, courses = {}, {}, {}, {}
    for pk, start, end, pct, arena, leave, credited in rows["periods"]:
        periods.setdefault(pk, []).append(
            Period(start, end, pct, arena, is_leave=leave, credited=credited)
        )
    for pk, day, hours in rows["sessions"]:
        sessions.setdefault(pk, []).append(Session(day, hours))
    for pk, day, hours in rows["meetings"]:
        meetings.setdefault(pk, []).append((day, hours))
    for pk, kind, hours, day in rows["courses"]:
        courses.setdefault(pk, []).append(Course(kind, hours, day))
    arenas = {}
    for version, start, end, pct, arena in rows["arenas"]:
        arenas.setdefault(version, []).append(Period(start, end, pct, arena))
    plans = {}
    for pk, version, target, inst_start, inst_module in rows["plans"]:
        plan = list(arenas.get(version, []))
        if inst_start and inst_module:
            end = add_months(inst_start, inst_module) - timedelta(days=1)
            if not any(a.arena in INSTITUTION_ARENAS for a in plan):
                plan.append(Period(inst_start, end, 100, ArenaType.INSTITUTION))
        plans[pk] = (plan or None, target)
    figures: dict[int, dict] = {}
    for pk, office, scheme, start in rows["trainees"]:
        f = figures.setdefault(office, {"at_risk": 0, "compliant": 0, "completions": Counter()})
        rule_set = choose_rule_set(rule_sets, scheme, on)
        if rule_set is None:
            f["completions"]["ukjent"] += 1
            continue
        rules = values[rule_set.pk]
        mine = periods.get(pk, [])
        plan, target = plans.get(pk, (None, None))
        evaluation = evaluate(
            rules,
            programme_start=start,
            on=on,
            periods=mine,
            supervision=sessions.get(pk, []),
            group=group_sessions(meetings.get(pk, []), mine),
            courses=courses.get(pk, []),
            plan=plan,
            target=target,
        )
        compliance = evaluation.compliance  # computed by the supervision requirement
        if evaluation.compliance_until != on:
            compliance = supervision_compliance(
                sessions.get(pk, []), rules, programme_start=start, on=on, periods=mine
            )
        s = Standing(None, on, rule_set, evaluation, None, compliance=compliance)
        f["at_risk"] += s.at_risk
        f["compliant"] += not s.supervision_behind
        day = s.projected_completion
        f["completions"][str(max(day.year, on.year)) if day else "ukjent"] += 1
    return figures


def raw_figures(on: date) -> tuple[dict, float, float]:
    """(figures by office id, seconds in SQL, seconds in the engine)."""
    started = time.perf_counter()
    rows = raw_sql(on)
    sql = time.perf_counter() - started
    gc.disable()  # as the report's batch does (`plans.standing.standings`)
    try:
        standing = raw_engine(rows, on)
    finally:
        gc.enable()
    engine = time.perf_counter() - started - sql
    return _figures(rows, standing), sql, engine


STANDINGS_SQL = """
SELECT t.office_id, s.at_risk, s.supervision_compliant,
       CASE WHEN s.projected_completion IS NOT NULL
            THEN greatest(extract(year FROM s.projected_completion)::int, %(year)s) END AS year,
       count(*)
  FROM trainees_trainee t
  JOIN plans_storedstanding s ON s.trainee_id = t.id AND s."on" = %(on)s AND NOT s.stale
 WHERE t.status IN ('aktiv', 'permisjon') AND t.specialisation_start <= %(on)s
 GROUP BY 1, 2, 3, 4
"""
MISSING_SQL = """
SELECT count(*) FROM trainees_trainee t
 WHERE t.status IN ('aktiv', 'permisjon') AND t.specialisation_start <= %(on)s
   AND NOT EXISTS (SELECT 1 FROM plans_storedstanding s
                    WHERE s.trainee_id = t.id AND s."on" = %(on)s AND NOT s.stale)
"""


def mark_stale(ids=None) -> None:
    """Mark stored answers stale as `plans.stored.invalidate` does (all, or these doctors'),
    without queuing their refresh: the state before the worker has refreshed them."""
    with scopes_disabled():
        rows = StoredStanding.objects.all()
        if ids is not None:
            rows = rows.filter(trainee_id__in=ids)
        rows.update(stale=True, version=F("version") + 1)


def raw_aggregates(on: date) -> dict:
    """The report's numbers from hand-written aggregate SQL over the stored standings (no ORM):
    positions and doctors grouped by office, and the stored answers grouped by office, status
    and completion year. What the report needs once the standings are stored."""
    with connection.cursor() as cursor:
        rows = {}
        for name, sql in [
            ("positions", POSITIONS_SQL),
            ("doctors", DOCTORS_SQL),
            ("standings", STANDINGS_SQL),
        ]:
            cursor.execute(sql, {"on": on, "year": on.year})
            rows[name] = cursor.fetchall()
    return rows


def stored_figures(rows: dict) -> dict[int, dict]:
    """The per-office figures from `raw_aggregates` (the same shape as `raw_figures`)."""
    standing: dict[int, dict] = {}
    for office, at_risk, compliant, year, n in rows["standings"]:
        f = standing.setdefault(office, {"at_risk": 0, "compliant": 0, "completions": Counter()})
        f["at_risk"] += n if at_risk else 0
        f["compliant"] += n if compliant else 0
        f["completions"][str(year) if year else "ukjent"] += n
    return _figures(rows, standing)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reuse", action="store_true", help="bruk data fra en tidligere kjøring")
    parser.add_argument(
        "--changed", type=float, default=0.02, help="andel leger endret siden nattens oppdatering"
    )
    args = parser.parse_args()
    assert connection.vendor == "postgresql", "Sett DATABASE_URL til en PostgreSQL-database."
    call_command("migrate", verbosity=0)
    # A benchmark script, not app code: it writes every office's rows, so the scope is off.
    with scopes_disabled():
        if Trainee.objects.exists() and not args.reuse:
            sys.exit("Databasen har allerede ALIS-leger: bruk en ny database eller --reuse.")
        if not Trainee.objects.exists():
            started = time.perf_counter()
            counts = generate()
            print(f"Data generated in {time.perf_counter() - started:.1f} s: {counts}")
        print(
            f"Doctors: {Trainee.objects.count()}, goal rows: {GoalProgress.objects.count()}, "
            f"supervision sessions: {SupervisionSession.objects.count()}, "
            f"periods: {ServicePeriod.objects.count()}, positions: {Position.objects.count()}, "
            f"municipalities: {Municipality.objects.count()}, offices: {Office.objects.count()}"
        )
        mark_stale()  # start from no fresh answer: the first report of a day without one
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    import weasyprint  # noqa: F401  (warm the ~0.6 s import, as a worker process would be)

    offices = list(Office.objects.order_by("pk"))
    on = ON
    names = {o.pk: o.name for o in offices}

    # 1. The stored answers are the engine's answers: the report, computing every standing
    # (none stored yet) and storing them, against hand-written SQL plus the engine called
    # directly; then the report from the stored rows, and the raw aggregates over them.
    _RESULTS.clear()
    started = time.perf_counter()
    with scope(office=offices):  # the report's own multi-office scope (reports.national)
        report_numbers = figures_by_office(offices, on)
    first = time.perf_counter() - started
    raw_numbers, sql, engine = raw_figures(on)
    with scope(office=offices):
        stored_numbers = figures_by_office(offices, on)
    aggregate_numbers = stored_figures(raw_aggregates(on))
    same = report_numbers == raw_numbers == stored_numbers == aggregate_numbers
    national = national_figures(on)
    shown, country = suppress_national(
        [raw_numbers[o.pk] for o in sorted(offices, key=lambda o: o.name)],
        _country(raw_numbers),
    )
    same_shown = national == {
        "offices": [
            {"office": names[o.pk], "figures": f}
            for o, f in zip(sorted(offices, key=lambda o: o.name), shown, strict=True)
        ],
        "country": country,
    }
    print(
        "Same numbers: report (computing) = raw SQL + engine = report (stored) = raw aggregates: "
        f"{same}; as shown (suppressed): {same_shown}"
    )
    if not (same and same_shown):
        for pk in report_numbers:
            found = (report_numbers[pk], raw_numbers[pk], stored_numbers[pk], aggregate_numbers[pk])
            if any(f != raw_numbers[pk] for f in found):
                print(f"  {names[pk]}:\n    " + "\n    ".join(str(f) for f in found))
    print(f"First report of the day with nothing stored (engine for every doctor): {first:.2f} s")
    print(f"Raw SQL reading every input (11 queries) {sql:.2f} s + engine on them {engine:.2f} s")

    # 2. The nightly refresh (Celery beat), once: the engine over every doctor in training.
    mark_stale()
    _RESULTS.clear()
    started = time.perf_counter()
    refreshed = refresh_standings()
    print(f"Nightly refresh: {refreshed} in {time.perf_counter() - started:.2f} s")

    coordinating = Office.objects.coordinating_on(on).get()
    with scopes_disabled():
        ids = list(
            Trainee.objects.filter(status__in=["aktiv", "permisjon"]).values_list("pk", flat=True)
        )
    rng = random.Random(11)

    def change_some():
        """A share of the doctors changed since the nightly refresh, and the worker has not
        refreshed them yet (the worst case)."""
        mark_stale(rng.sample(ids, int(len(ids) * args.changed)))

    def worker_after_a_change():
        """What the worker does after one change is committed (`plans.tasks.refresh_changed`)."""
        changed = rng.sample(ids, 1)
        invalidate(changed)  # with the in-process queue: refreshed at once, as in the demo

    def full_report():
        with scope(office=coordinating):
            report = Report.objects.create(office=coordinating, kind=Kind.NATIONAL, period=on)
            report_build(report=report)

    times: dict[str, list[float]] = {
        "raw": [],
        "figures": [],
        "changed": [],
        "full": [],
        "one": [],
    }
    with CaptureQueriesContext(connection) as queries:
        national_figures(on)
    figure_queries = len(queries)
    for _ in range(args.runs):  # interleaved, so a busy machine slows both sides alike
        times["raw"] += timed(lambda: raw_aggregates(on), 1)
        times["figures"] += timed(lambda: national_figures(on), 1)
        change_some()
        _RESULTS.clear()  # the changed doctors' answers are new to this worker too
        times["changed"] += timed(lambda: national_figures(on), 1)
        times["full"] += timed(full_report, 1)
        times["one"] += timed(worker_after_a_change, 1)
    with connection.cursor() as cursor:
        cursor.execute(MISSING_SQL, {"on": on})
        assert cursor.fetchone()[0] == 0, "every doctor's answer is stored after the runs"
    med = {k: statistics.median(v) for k, v in times.items()}

    def show(label, key):
        print(f"{label:<66}{med[key] * 1000:>9.1f} ms  {[round(t * 1000, 1) for t in times[key]]}")

    print(f"Runs: {args.runs}, interleaved (medians)")
    show("raw: hand-written aggregate SQL (3 queries)", "raw")
    show(f"national_figures, every answer stored ({figure_queries} queries)", "figures")
    show(f"national_figures, {args.changed:.0%} of the doctors changed since", "changed")
    show("report_build (figures + Excel + PDF)", "full")
    show("one doctor changed: marked stale and refreshed (the worker's task)", "one")
    print(
        f"national_figures / raw SQL:                  {med['figures'] / med['raw']:.2f}x "
        "(target: at most 3x)"
    )
    print(
        f"national_figures ({args.changed:.0%} changed) / raw SQL:   "
        f"{med['changed'] / med['raw']:.2f}x"
    )
    print(f"report_build / raw SQL:                      {med['full'] / med['raw']:.2f}x")


def _figures(rows: dict, standing: dict) -> dict[int, dict]:
    result = {}
    positions = {r[0]: r[1:] for r in rows["positions"]}
    doctors = {r[0]: r[1:] for r in rows["doctors"]}
    for office in Office.objects.order_by("pk"):
        total, filled, salaried, self_employed, chooses, old = positions.get(office.pk, (0,) * 6)
        active, new, old_doctors, converted, veileder, group, plan = doctors.get(
            office.pk, (0,) * 7
        )
        s = standing.get(office.pk, {"at_risk": 0, "compliant": 0, "completions": {}})
        result[office.pk] = {
            "positions_total": total,
            "positions_filled": filled,
            "positions_salaried": salaried,
            "positions_self_employed": self_employed,
            "positions_applicant_chooses": chooses,
            "positions_new_scheme": total - old,
            "positions_old_scheme": old,
            "doctors_active": active,
            "doctors_new_scheme": new,
            "doctors_old_scheme": old_doctors,
            "doctors_converted": converted,
            "doctors_with_veileder": veileder,
            "doctors_without_veileder": active - veileder,
            "doctors_in_group": group,
            "doctors_with_plan": plan,
            "doctors_supervision_compliant": s["compliant"],
            "doctors_at_risk": s["at_risk"],
            "completions": dict(sorted(s["completions"].items())),
        }
    return result


def _country(by_office: dict) -> dict:
    country: dict = {"completions": {}}
    for figures in by_office.values():
        _add(country, figures)
    country["completions"] = dict(sorted(country["completions"].items()))
    return country


if __name__ == "__main__":
    main()
