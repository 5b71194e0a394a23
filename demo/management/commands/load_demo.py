from django.core.management.base import BaseCommand

from demo.seed import (
    DEMO_PASSWORD,
    DEMO_USERS,
    load_demo_agreements,
    load_demo_contacts,
    load_demo_education_units,
    load_demo_goal_progress,
    load_demo_grants,
    load_demo_hospital,
    load_demo_plans_and_supervision,
    load_demo_positions,
    load_demo_record,
    load_demo_status_survey,
    load_demo_trainees,
    load_demo_users,
)
from events.demo_data import load_demo_events
from goals.sample_catalogue import load_sample_catalogue
from intake.demo_data import load_demo_intake
from national.demo_data import load_demo_national
from plans.stored import invalidate_all


class Command(BaseCommand):
    help = "Laster demodata med innlogginger for hver rolle (kan kjøres flere ganger)."

    def handle(self, *args, **options):
        load_demo_users()
        load_sample_catalogue()  # clearly labelled sample, not the official lists
        made = load_demo_positions()
        self.stdout.write(f"ALIS-stillinger laget: {made}")
        units = load_demo_education_units()
        load_demo_contacts()
        load_demo_trainees()
        load_demo_plans_and_supervision()
        load_demo_agreements()
        load_demo_grants()
        load_demo_goal_progress()
        load_demo_events()
        load_demo_hospital()
        self.stdout.write(load_demo_intake())
        load_demo_national()
        load_demo_status_survey()
        self.stdout.write(load_demo_record())
        # The demo writes some dates straight to the database (a doctor who began years ago):
        # no stored standing may outlive them (plans.stored).
        invalidate_all()
        self.stdout.write(self.style.SUCCESS(f"Demodata lastet. Passord for alle: {DEMO_PASSWORD}"))
        for email, *_rest in DEMO_USERS:
            self.stdout.write(f"  {email}")
        self.stdout.write(
            f"{units} registreringer som utdanningsvirksomhet; søkerne logger inn som "
            "helsesjef.<kommunenummer>@demo.alis.no"
        )
        self.stdout.write(
            "Eksempelfil for import av stillinger: positions/data/eksempel_stillinger.csv"
        )
