from django.core.management.base import BaseCommand

from goals.sample_catalogue import SAMPLE_NAME, load_sample_catalogue, write_v2_xlsx


class Command(BaseCommand):
    help = (
        "Laster eksempelkatalogen over læringsmål (ALM og FKM) for demo og test – ikke den "
        "offisielle listen. Kan kjøres flere ganger."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--skriv-v2",
            action="store_true",
            help="Skriv plans/data/eksempel_alm_v2.xlsx på nytt fra eksempeldataene.",
        )

    def handle(self, *args, **options):
        if options["skriv_v2"]:
            self.stdout.write(f"Skrev {write_v2_xlsx()}")
        for catalogue in load_sample_catalogue():
            self.stdout.write(f"{SAMPLE_NAME}: {catalogue.kind} {catalogue.goals.count()} mål")
