"""Run as a program (tests/test_events_sqlite.py starts it): concurrent sign-ups for one event
against a SQLite file database with the demo's settings. Prints the statuses and errors as
JSON. Usage: DATABASE_URL=sqlite:///…/db.sqlite3 python tests/sqlite_signups.py PEOPLE PLACES"""

import json
import os
import sys
import threading
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alis.settings.base")


def main(people: int, places: int) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone
    from django_scopes import scope

    from accounts.models import User
    from events import services
    from events.models import Signup
    from offices.models import Office

    call_command("migrate", verbosity=0)
    vest = Office.objects.get(slug="vest")
    activity = services.activity_save(
        office=vest, acting_user=None, title="Grunnkurs A", kind="kurs", course_kind="A"
    )
    start = timezone.now() + timedelta(days=30)
    event = services.event_create(
        office=vest,
        acting_user=None,
        activity=activity,
        starts_at=start,
        ends_at=start + timedelta(hours=7),
        capacity=places,
        signup_deadline=start - timedelta(days=7),
        cancel_deadline=start - timedelta(days=3),
        price=Decimal("0"),
        payer="gratis",
    )
    users = [
        User.objects.create_user(email=f"p{i}@example.no", password=None) for i in range(people)
    ]
    barrier = threading.Barrier(people)
    errors: list[str] = []

    def press(user):
        try:
            barrier.wait()
            services.signup_create(office=vest, acting_user=user, event=event, user=user)
        except Exception as error:  # noqa: BLE001 — reported to the test
            errors.append(f"{type(error).__name__}: {error}")
        finally:
            connection.close()

    threads = [threading.Thread(target=press, args=(u,)) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with scope(office=vest):
        statuses = list(Signup.objects.filter(event=event).values_list("status", flat=True))
    mode = connection.cursor().execute("PRAGMA journal_mode").fetchone()[0]
    return {"statuses": statuses, "errors": errors, "journal_mode": mode}


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]), int(sys.argv[2]))))
