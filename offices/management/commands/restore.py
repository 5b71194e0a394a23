from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from offices.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Gjenoppretter en sikkerhetskopi laget med `backup` til en tom installasjon "
        "(tom database uten tabeller, tomt fillager). Kjør ikke migrate først."
    )

    def add_arguments(self, parser):
        parser.add_argument("fil", help="Arkivet laget med `manage.py backup`")

    def handle(self, *args, fil, **options):
        if not Path(fil).is_file():
            raise CommandError(f"Finner ikke filen {fil}.")
        try:
            manifest = backup_restore(path=Path(fil))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Gjenopprettet databasen og {len(manifest['files'])} filer "
                f"fra {fil} (tatt {manifest['created_at']})."
            )
        )
