from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from municipalities.services import municipalities_move
from offices.models import Office


class Command(BaseCommand):
    help = (
        "Flytter kommuner til et annet ALIS-kontor og beholder historikken. "
        "Eksempel: move_municipalities --til oslo 0301"
    )

    def add_arguments(self, parser):
        parser.add_argument("numbers", nargs="+", help="Kommunenummer")
        parser.add_argument("--til", required=True, help="Kortnavn på kontoret de flyttes til")
        parser.add_argument(
            "--fra-dato",
            type=date.fromisoformat,
            default=None,
            help="Gjelder fra (ÅÅÅÅ-MM-DD), standard i dag",
        )
        parser.add_argument("--merknad", default="")

    def handle(self, *args, numbers, til, fra_dato, merknad, **options):
        office = Office.objects.filter(slug=til).first()
        if office is None:
            raise CommandError(f"Ukjent kontor «{til}». Opprett kontoret først (admin).")
        try:
            moved = municipalities_move(
                numbers=numbers, to_office=office, on=fra_dato, note=merknad
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            f"Flyttet {len(moved)} kommune(r) til {office.name}: "
            + ", ".join(str(m) for m in moved)
        )
