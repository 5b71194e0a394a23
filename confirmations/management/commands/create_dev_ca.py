from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from confirmations.pki import create_dev_pki


class Command(BaseCommand):
    help = (
        "Lager en lokal sertifikatutsteder (CA) og et signeringssertifikat for utvikling og "
        "demo, der innstillingene ALIS_SIGNING_* peker. Ikke for produksjon."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--hvis-mangler",
            action="store_true",
            help="Gjør ingenting hvis sertifikatet allerede finnes",
        )

    def handle(self, *args, hvis_mangler=False, **options):
        p12 = Path(settings.ALIS_SIGNING_P12)
        if hvis_mangler and p12.exists():
            self.stdout.write(f"Signeringssertifikat finnes: {p12}")
            return
        create_dev_pki(
            p12_path=p12,
            root_path=Path(settings.ALIS_SIGNING_TRUST_ROOT),
            password=settings.ALIS_SIGNING_PASSWORD.encode(),
            signer_name="ALIS-kontorene – bekreftelser (utvikling)",
        )
        self.stdout.write(self.style.SUCCESS(f"Lagde utviklings-CA og sertifikat i {p12.parent}"))
