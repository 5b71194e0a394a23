from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from offices.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Tar sikkerhetskopi av hele installasjonen til én fil: databasen (pg_dump, custom-format) "
        "og alle lagrede filer (bekreftelser, avtaler, rapporter, vedlegg)."
    )

    def add_arguments(self, parser):
        parser.add_argument("fil", help="Arkivet som skal skrives, f.eks. alis-2026-11-30.tar")

    def handle(self, *args, fil, **options):
        try:
            manifest = backup_create(path=Path(fil))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Sikkerhetskopi skrevet til {fil}: databasen og {len(manifest['files'])} filer."
            )
        )
