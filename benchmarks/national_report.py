"""Benchmark: generating the national report on a national-scale data set (median of 3).

Run against PostgreSQL, in a fresh database (the script migrates it and refuses one that already
has ALIS doctors):

    createdb -h 127.0.0.1 -U postgres alis_bench   # if missing
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alis_bench \
        .venv/bin/python benchmarks/national_report.py

Data: the 5 offices and 357 municipalities the migrations seed, 2,000 ALIS doctors (400 per
office), 5 years of service periods per doctor, a supervisor pool with veileder assignments,
supervision groups and about two positions per municipality. Learning-goal progress (150 goals per
doctor) and supervision records are generated only if their models exist in this installation;
otherwise the script says so. Prints numbers; asserts nothing.
"""

import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alis.settings.base")
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="alis-bench-"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django_scopes import scope, scopes_disabled  # noqa: E402

from municipalities.models import Municipality  # noqa: E402
from offices.models import Office  # noqa: E402
from plans.rules import add_months  # noqa: E402
from positions.models import Position  # noqa: E402
from reports.models import Kind, Report  # noqa: E402
from reports.national import national_figures  # noqa: E402
from reports.services import report_build  # noqa: E402
from trainees.models import (  # noqa: E402
    ServicePeriod,
    SupervisionGroup,
    Supervisor,
    SupervisorAssignment,
    Trainee,
)

DOCTORS_PER_OFFICE = 400
ON = date(2026, 6, 1)
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


def main() -> None:
    assert connection.vendor == "postgresql", "Sett DATABASE_URL til en PostgreSQL-database."
    call_command("migrate", verbosity=0)
    # A benchmark script, not app code: it writes every office's rows, so the scope is off.
    with scopes_disabled():
        if Trainee.objects.exists():
            sys.exit("Databasen har allerede ALIS-leger: bruk en ny database (se toppen av fila).")
        started = time.perf_counter()
        counts = generate()
        print(f"Data generated in {time.perf_counter() - started:.1f} s: {counts}")
        print(f"Municipalities: {Municipality.objects.count()}, offices: {Office.objects.count()}")

    import weasyprint  # noqa: F401  (warm the ~0.6 s import, as a worker process would be)

    figures = timed(lambda: national_figures(ON))
    coordinating = Office.objects.coordinating_on(ON).get()

    def full_report():
        with scope(office=coordinating):
            report = Report.objects.create(office=coordinating, kind=Kind.NATIONAL, period=ON)
            report_build(report=report)

    full = timed(full_report)
    print(
        f"National figures (queries only): median {statistics.median(figures):.3f} s "
        f"{[round(t, 3) for t in figures]}"
    )
    print(
        f"National report (figures + Excel + PDF): median {statistics.median(full):.3f} s "
        f"{[round(t, 3) for t in full]}"
    )


if __name__ == "__main__":
    main()
