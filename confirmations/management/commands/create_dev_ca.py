from django.core.management.base import BaseCommand

from confirmations.pki import configured_pki, create_ca
from offices.models import Office

from .issue_office_certificates import issue_missing


class Command(BaseCommand):
    help = (
        "Lager en lokal sertifikatutsteder (CA) for utvikling og demo i ALIS_PKI_DIR (utenfor "
        "prosjektmappen), og et signeringssertifikat for hvert ALIS-kontor. Ikke for produksjon."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--hvis-mangler",
            action="store_true",
            help="Lag bare det som mangler (behold en CA som finnes)",
        )

    def handle(self, *args, hvis_mangler=False, **options):
        pki = configured_pki()
        if hvis_mangler and pki.ca_cert.is_file():
            self.stdout.write(f"Sertifikatutsteder finnes: {pki.directory}")
        else:
            for old in pki.directory.glob("kontorer/*.p12"):
                old.unlink()  # certificates of an old CA would no longer be trusted
            create_ca(pki, name="ALIS utviklings-CA")
            self.stdout.write(self.style.SUCCESS(f"Lagde utviklings-CA i {pki.directory}"))
        for slug in issue_missing(pki, Office.objects.order_by("slug")):
            self.stdout.write(f"Signeringssertifikat for {slug}")
