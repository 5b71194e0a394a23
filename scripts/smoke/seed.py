"""Data for the production smoke test (scripts/smoke/run), loaded through the app's own code.

A subset of the demo (users, sample catalogue, doctors, the Masfjorden doctor's goals), plus:
TOTP for the Vest coordinator (production requires it), an education-unit registration that
has waited 8 days (something to remind about), and a beat entry that runs the reminder sweep
every few seconds, so beat → worker → e-mail is exercised, twice. Prints JSON for the client.
"""

import json
import os
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alis.settings.production")

import django  # noqa: E402

django.setup()

from allauth.mfa.totp.internal.auth import TOTP  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_celery_beat.models import IntervalSchedule, PeriodicTask  # noqa: E402
from django_scopes import scope  # noqa: E402

from accounts.models import User  # noqa: E402
from demo.seed import (  # noqa: E402
    load_demo_goal_progress,
    load_demo_trainees,
    load_demo_users,
)
from goals.sample_catalogue import load_sample_catalogue  # noqa: E402
from municipalities.models import Municipality  # noqa: E402
from municipalities.services import unit_registration_submit  # noqa: E402
from trainees.models import Trainee  # noqa: E402

TOTP_SECRET = os.environ["SMOKE_TOTP_SECRET"]

load_demo_users()
load_sample_catalogue()
load_demo_trainees()
load_demo_goal_progress()

coordinator = User.objects.get(email="koordinator.vest@demo.alis.no")
TOTP.activate(coordinator, TOTP_SECRET)

masfjorden = Municipality.objects.get(number="4634")
applicant, _ = User.objects.get_or_create(email="helsesjef.4601@smoke.alis.no")
registration = unit_registration_submit(
    acting_user=applicant,
    municipality=Municipality.objects.get(number="4601"),
    org_number="964338442",
    leader_name="Liv Lunde",
    leader_title="Kommuneoverlege",
    leader_email="liv@smoke.alis.no",
    contact_name="Kari Kvam",
    contact_email="kari@smoke.alis.no",
    contact_phone="12345678",
)
with scope(office=masfjorden.office):
    type(registration).objects.filter(pk=registration.pk).update(
        submitted_at=timezone.now() - timedelta(days=8)
    )
    doctor = Trainee.objects.get(
        office=masfjorden.office, user__email="alis.masfjorden@demo.alis.no"
    )

every_3s, _ = IntervalSchedule.objects.get_or_create(every=3, period=IntervalSchedule.SECONDS)
PeriodicTask.objects.update_or_create(
    name="smoke: påminnelser hvert 3. sekund",
    defaults={"task": "notifications.tasks.sweep_all_offices", "interval": every_3s},
)

print(json.dumps({"trainee_id": doctor.pk, "registration_municipality": "Bergen"}))
