"""Benchmark: time to render and sign a 150-goal confirmation (median of several runs).

Run: .venv/bin/python benchmarks/confirmation_render_sign.py [runs]
Prints numbers; asserts nothing. Uses a throw-away development CA in a temporary folder and an
unsaved Confirmation object, so it needs no database rows.
"""

import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alis.settings.base")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

django.setup()

from confirmations.models import Confirmation  # noqa: E402
from confirmations.pki import Pki, create_ca, issue_office_certificate  # noqa: E402
from confirmations.rendering import render_pdf  # noqa: E402
from confirmations.signing import check_pdf, sign_pdf  # noqa: E402


def main(runs: int) -> None:
    folder = Path(tempfile.mkdtemp())
    pki = Pki(folder, b"bench")
    create_ca(pki)
    signer_p12 = issue_office_certificate(pki, slug="bench", name="Benchmark-kontoret")
    goals = [
        {
            "code": f"ALM-{i:03d}",
            "title": f"Læringsmål {i}: en realistisk lang tittel om "
            "allmennmedisinsk kompetanse i praksis",
            "approved_on": str(date(2023, 1, 2) + timedelta(days=i)),
            "approved_by": "Liv Lunde",
            "veileder_advice": "Anbefalt",
            "supervisor_advice": "Anbefalt",
        }
        for i in range(1, 151)
    ]
    c = Confirmation(
        serial="ALIS-BENCH-2026-00001",
        code="ABCDEFGHJKMNPQRS",
        goals=goals,
        signer_name="Liv Lunde",
        facts={
            "doctor": "Anna Aase",
            "hpr": "001234567",
            "municipality": "Masfjorden",
            "municipality_number": "4634",
            "period_from": "2023-01-03",
            "period_to": "2023-06-01",
            "goal_count": 150,
        },
    )
    render_pdf(c)  # warm-up: imports and font loading happen once per worker process
    render_times, sign_times, sizes = [], [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        pdf = render_pdf(c)
        t1 = time.perf_counter()
        signed = sign_pdf(
            pdf,
            p12=signer_p12,
            password=pki.password,
            signer_name="Liv Lunde",
            location="Masfjorden",
        )
        t2 = time.perf_counter()
        render_times.append(t1 - t0)
        sign_times.append(t2 - t1)
        sizes.append(len(signed))
    assert check_pdf(signed, pki.ca_cert).ok
    total = [r + s for r, s in zip(render_times, sign_times, strict=True)]
    print(f"150-goal confirmation, {runs} runs (warm process):")
    print(f"  render  median {statistics.median(render_times) * 1000:7.0f} ms")
    print(f"  sign    median {statistics.median(sign_times) * 1000:7.0f} ms")
    print(
        f"  total   median {statistics.median(total) * 1000:7.0f} ms "
        f"(min {min(total) * 1000:.0f}, max {max(total) * 1000:.0f})"
    )
    print(f"  size    {sizes[-1] / 1024:.0f} KiB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
