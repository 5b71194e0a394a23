from django.core.management.base import BaseCommand, CommandError

from confirmations.pki import configured_pki, issue_office_certificate
from offices.models import Office


def issue_missing(pki, offices, *, renew: bool = False) -> list[str]:
    issued = []
    for office in offices:
        if renew or not pki.office_p12(office.slug).is_file():
            issue_office_certificate(pki, slug=office.slug, name=office.name)
            issued.append(office.slug)
    return issued


class Command(BaseCommand):
    help = (
        "Utsteder nøkkel og signeringssertifikat fra CA-en i ALIS_PKI_DIR for hvert ALIS-kontor "
        "som mangler et (eller for kontorene som er nevnt)."
    )

    def add_arguments(self, parser):
        parser.add_argument("kontor", nargs="*", help="Kontorets kortnavn (slug), f.eks. vest")
        parser.add_argument(
            "--forny", action="store_true", help="Lag nye nøkler også der de finnes"
        )

    def handle(self, *args, kontor=(), forny=False, **options):
        offices = Office.objects.order_by("slug")
        if kontor:
            offices = offices.filter(slug__in=kontor)
            unknown = set(kontor) - set(offices.values_list("slug", flat=True))
            if unknown:
                raise CommandError(f"Ukjent kontor: {', '.join(sorted(unknown))}")
        issued = issue_missing(configured_pki(), offices, renew=forny)
        for slug in issued:
            self.stdout.write(self.style.SUCCESS(f"Signeringssertifikat for {slug}"))
        if not issued:
            self.stdout.write("Alle kontorene har sertifikat.")
