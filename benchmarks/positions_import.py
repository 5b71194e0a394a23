"""Benchmark: applying a 1,000-row positions import against a raw bulk_create of the same rows.

Run against PostgreSQL (the script migrates the database it is given):

    createdb -h 127.0.0.1 -U postgres alis_bench   # if missing
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alis_bench \
        .venv/bin/python benchmarks/positions_import.py [rows] [runs]

The rows are written the way coordinators write them (sums of applicants, «Næring?»,
«Fastlønn (1/1-20)», group supervision / veileder / IP facts) for the medical offices of ALIS
Nord, which exist beforehand, so both sides insert the same positions. Each run happens in a
transaction that is rolled back afterwards; only the apply is timed (the import's own
re-planning and checking included), not the rollback. Prints medians and the ratio; asserts
nothing. Target (issue 21): the import within 5x the raw bulk_create.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alis.settings.base")
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="alis-bench-"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django_scopes import scope  # noqa: E402

from accounts.models import User  # noqa: E402
from municipalities.models import Municipality  # noqa: E402
from offices.models import Office  # noqa: E402
from positions.imports import positions_import  # noqa: E402
from positions.models import MedicalOffice, OfficeRules, Position  # noqa: E402

HEADERS = [
    "Kommune",
    "Antall søkere",
    "Legekontor",
    "Listetak",
    "Driftsform ved ansettelse",
    "Ny eller gammel ordning",
    "Gruppeveiledning",
    "Individuell veileder",
    "IP",
]
EMPLOYMENT = ["Fastlønn", "Næring?", "Fastlønn (1/1-20)", "Søker velger"]
FACTS = ["Ja", "Nei", "Ferdig", ""]


class Rollback(Exception):
    pass


def setup(n: int):
    office = Office.objects.get(slug="nord")
    user, _ = User.objects.get_or_create(
        email="benchmark@nord.example.no", defaults={"first_name": "Bench", "last_name": "Mark"}
    )
    municipalities = list(Municipality.objects.filter(office=office, is_active=True))
    with scope(office=office):
        OfficeRules.objects.update_or_create(
            office=office, defaults={"max_positions_per_municipality": 1000}
        )
        Position.objects.filter(office=office).delete()
        offices = []
        for i in range(n):
            m = municipalities[i % len(municipalities)]
            mo, _ = MedicalOffice.objects.get_or_create(
                office=office, municipality=m, name=f"Legekontor {i:04d}"
            )
            offices.append(mo)
    rows, objects = [], []
    for i, mo in enumerate(offices):
        employment = EMPLOYMENT[i % len(EMPLOYMENT)]
        rows.append(
            dict(
                zip(
                    HEADERS,
                    [
                        mo.municipality.number,
                        f"{i % 3} + {i % 5}",
                        mo.name,
                        str(600 + i % 500),
                        employment,
                        "Gammel" if i % 7 == 0 else "Ny",
                        FACTS[i % 4],
                        FACTS[(i + 1) % 4],
                        FACTS[(i + 2) % 4],
                    ],
                    strict=True,
                )
            )
        )
        objects.append(
            dict(
                office=office,
                municipality=mo.municipality,
                medical_office=mo,
                list_ceiling=600 + i % 500,
                employment_form="naering" if employment == "Næring?" else "fastlonn",
                scheme="gammel" if i % 7 == 0 else "ny",
                applicants=i % 3 + i % 5,
            )
        )
    return office, user, rows, objects


def timed(action) -> tuple[float, int]:
    connection.queries_log.clear()
    try:
        with transaction.atomic():
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                action()
                elapsed = time.perf_counter() - start
            raise Rollback  # after the capture has closed, so its count is kept
    except Rollback:
        pass
    return elapsed, len(queries)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    if connection.vendor != "postgresql":
        sys.exit("Kjør mot PostgreSQL: sett DATABASE_URL=postgres://…")
    call_command("migrate", verbosity=0)
    office, user, rows, objects = setup(n)

    def raw():
        with scope(office=office):
            Position.objects.bulk_create([Position(**o) for o in objects])

    def apply():
        positions_import(office=office, acting_user=user, headers=HEADERS, rows=rows)

    raw_times, import_times = [], []
    for _ in range(runs):
        raw_times.append(timed(raw))
        import_times.append(timed(apply))
    raw_s = statistics.median(t for t, _q in raw_times)
    import_s = statistics.median(t for t, _q in import_times)
    print(f"rows: {n}, runs: {runs} (medians)")
    print(f"raw bulk_create:  {raw_s:.3f} s, {raw_times[0][1]} queries")
    print(f"import apply:     {import_s:.3f} s, {import_times[0][1]} queries")
    print(f"ratio:            {import_s / raw_s:.1f}x (target: at most 5x)")


if __name__ == "__main__":
    main()
