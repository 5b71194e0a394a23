from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from intake.reference import population_import


class Command(BaseCommand):
    help = "Leser folketall per kommune (kommunenummer;år;folketall;kilde) fra en CSV-fil."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--eksempel", action="store_true", help="Tallene er eksempler, ikke fra kilden."
        )

    def handle(self, *args, file, eksempel, **options):
        try:
            loaded = population_import(Path(file).read_text("utf-8-sig"), is_example=eksempel)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Folketall lest: {loaded}"))
