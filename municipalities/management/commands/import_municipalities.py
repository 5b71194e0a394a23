from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from municipalities.services import municipalities_import
from offices.models import Office
from offices.reference import read_municipality_csv


class Command(BaseCommand):
    help = (
        "Importerer en oppdatert kommuneliste (CSV som referansefilen: "
        "kommunenummer;kommunenavn;fylke). Alt eller ingenting."
    )

    def add_arguments(self, parser):
        parser.add_argument("csv", type=Path)
        parser.add_argument(
            "--kontor",
            help="Kortnavn på kontoret nye kommuner skal til (ellers etter fylkesnummer)",
        )
        parser.add_argument(
            "--behold-manglende",
            action="store_true",
            help="Ikke merk kommuner som mangler i filen som inaktive",
        )
        parser.add_argument(
            "--tørrkjøring",
            dest="dry_run",
            action="store_true",
            help="Vis hva som ville blitt endret, uten å lagre",
        )

    def handle(self, *args, csv: Path, kontor=None, behold_manglende=False, dry_run=False, **kw):
        if not csv.exists():
            raise CommandError(f"Finner ikke filen {csv}.")
        try:
            rows = read_municipality_csv(csv)
        except (KeyError, UnicodeDecodeError) as error:
            raise CommandError(
                f"Filen kan ikke leses som kommuneliste ({error}). Forventet "
                "kolonnene kommunenummer;kommunenavn;fylke i UTF-8."
            ) from error
        office = None
        if kontor:
            office = Office.objects.filter(slug=kontor).first()
            if office is None:
                raise CommandError(f"Ukjent kontor «{kontor}».")
        try:
            report = municipalities_import(
                rows=rows,
                default_office=office,
                deactivate_missing=not behold_manglende,
                dry_run=dry_run,
            )
        except ValidationError as error:
            raise CommandError("Ingenting er endret:\n" + "\n".join(error.messages)) from error
        prefix = "Tørrkjøring – ville ha " if dry_run else ""
        self.stdout.write(
            f"{prefix}opprettet {len(report.created)}, endret {len(report.changed)}, "
            f"merket inaktive {len(report.deactivated)}, uendret {report.unchanged}."
        )
        for label, numbers in [
            ("Nye", report.created),
            ("Endret", report.changed),
            ("Inaktive", report.deactivated),
        ]:
            if numbers:
                self.stdout.write(f"  {label}: {', '.join(numbers)}")
