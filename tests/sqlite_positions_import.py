"""Run as a program (tests/test_positions_sqlite.py starts it): apply the messy Nord position
table (positions/data/eksempel_rekruttering_nord.csv) on a SQLite file database with the demo's
settings, and report the audit-trail (simple-history) rows written, as JSON.
Usage: DATABASE_URL=sqlite:///…/db.sqlite3 python tests/sqlite_positions_import.py"""

import json
import os
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alis.settings.base")


def main() -> dict:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django_scopes import scope

    from accounts.models import User
    from municipalities.models import Municipality
    from offices.models import Office
    from positions import imports
    from positions.models import Position
    from positions.services import medical_office_create, position_create

    call_command("migrate", verbosity=0)
    nord = Office.objects.get(slug="nord")
    coordinator = User.objects.create_user(email="koordinator@nord.example.no", password=None)
    bodo = Municipality.objects.get(number="1804")
    planned = position_create(
        office=nord,
        acting_user=coordinator,
        municipality=bodo,
        medical_office=medical_office_create(
            office=nord,
            acting_user=coordinator,
            municipality=bodo,
            name="Bodø legevakt",
            ownership="kommunal",
        ),
        list_ceiling=1100,
        employment_form="fastlonn",
        scheme="ny",
        applicants=2,
        status_date=date(2026, 3, 1),
    )
    content = (
        Path(settings.BASE_DIR) / "positions/data/eksempel_rekruttering_nord.csv"
    ).read_bytes()
    headers, rows = imports.read_spreadsheet("rekruttering.csv", content)
    imports.positions_import(office=nord, acting_user=coordinator, headers=headers, rows=rows)
    with scope(office=nord):
        ids = list(Position.objects.values_list("pk", flat=True))
        history = Position.history.model.objects
        written = sorted(
            (h.id, h.history_type, h.history_user_id == coordinator.pk, h.status)
            for h in history.exclude(history_type="+", id=planned.pk)
        )
        # More ids than one statement takes on SQLite: chunked, each real one written once.
        before = history.count()
        imports._history([*ids, *range(10**6, 10**6 + 1500)], "~", coordinator)
        chunked = history.count() - before
    return {
        "vendor": connection.vendor,
        "positions": len(ids),
        "history": written,
        "chunked": chunked,
        "planned": planned.pk,
    }


if __name__ == "__main__":
    print(json.dumps(main()))
