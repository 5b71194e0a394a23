from django.core.management.base import BaseCommand

from offices.demo import DEMO_PASSWORD, DEMO_USERS, load_demo_trainees, load_demo_users


class Command(BaseCommand):
    help = "Laster demodata med innlogginger for hver rolle (kan kjøres flere ganger)."

    def handle(self, *args, **options):
        load_demo_users()
        load_demo_trainees()
        self.stdout.write(self.style.SUCCESS(f"Demodata lastet. Passord for alle: {DEMO_PASSWORD}"))
        for email, *_rest in DEMO_USERS:
            self.stdout.write(f"  {email}")
