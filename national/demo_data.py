"""Demo data for the national workspace: a joint meeting with minutes, decisions and action items,
a meeting with the Directorate of Health, a few national tasks and two routines with versions.
Written through the services as the coordinating office's national coordinator; safe to run
again (nothing is added when the meeting exists)."""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django_scopes import scope

from accounts.models import User
from offices import clock
from offices.models import Office
from positions.models import Position, Status

from . import services
from .models import Meeting

MEETING_TITLE = "Fellesmøte for ALIS-kontorene"


@transaction.atomic
def load_demo_national(coordinator_email: str = "nasjonal@demo.alis.no") -> int:
    today = clock.today()
    coordinating = Office.objects.coordinating_on(today).first()
    if coordinating is None or Meeting.objects.filter(title=MEETING_TITLE).exists():
        return 0
    user = User.objects.filter(email=coordinator_email).first()
    # Four eyes: versions are approved by someone other than their author; Vest writes the
    # draft of the routine it owns (as the minutes say).
    approver = User.objects.filter(email=f"koordinator.{coordinating.slug}@demo.alis.no").first()
    vest_writer = User.objects.filter(email="koordinator.vest@demo.alis.no").first()
    offices = {o.slug: o for o in Office.objects.all()}
    at = lambda days, hour: timezone.make_aware(  # noqa: E731
        datetime.combine(today + timedelta(days=days), time(hour, 0))
    )
    past = services.meeting_create(
        office=coordinating,
        acting_user=user,
        title=MEETING_TITLE,
        starts_at=at(-14, 10),
        place="Teams",
        chair="Nina Nasjonal",
        agenda=(
            "1. Felles rutine for sykehustjenesten\n"
            "2. Veilederkurs våren\n"
            "3. Ny nettside for ALIS-stillinger\n"
            "4. Eventuelt"
        ),
    )
    services.meeting_record_minutes(
        office=coordinating,
        acting_user=user,
        meeting=past,
        chair="Nina Nasjonal",
        minutes=(
            "## Sak 1: Sykehustjenesten\n\n"
            "Kontorene ble enige om å bruke **én felles rutine**. ALIS Vest skriver utkast.\n\n"
            "## Sak 2: Veilederkurs\n\n"
            "ALIS Midt arrangerer kurset i april.\n\n"
            "## Sak 3: Nettsiden\n\n"
            "Stillingene vises på den åpne siden når kontoret har lagt inn utlysningen."
        ),
        attendance={o.pk: (True, "") for o in offices.values()},
    )
    services.decision_add(
        office=coordinating,
        acting_user=user,
        meeting=past,
        text="Felles rutine for sykehustjenesten sendes på høring til alle kontorene.",
    )
    for slug, text, days in (
        ("vest", "Skriv utkast til felles rutine for sykehustjenesten", 21),
        ("midt", "Sett opp program for veilederkurset i april", 35),
        ("nord", "Send referatet til Helsedirektoratet", -2),
    ):
        services.action_item_add(
            office=coordinating,
            acting_user=user,
            meeting=past,
            text=text,
            owner_office=offices[slug],
            due=today + timedelta(days=days),
        )
    services.meeting_create(
        office=coordinating,
        acting_user=user,
        kind="ekstern",
        counterpart="helsedirektoratet",
        title="Kvartalsmøte med Helsedirektoratet",
        starts_at=at(21, 13),
        place="Helsedirektoratet, Oslo",
        agenda="1. Tilskuddsordningen 2027\n2. Rapportering fra kontorene",
    )
    for slug, title, days in (
        ("sor", "Kartlegg veilederkapasiteten i alle regionene", 45),
        ("ost", "Oppdater den felles malen for ALIS-avtaler", 60),
        ("vest", "Samle erfaringer med redusert liste", 30),
    ):
        services.task_assign(
            office=coordinating,
            acting_user=user,
            title=title,
            responsible_office=offices[slug],
            deadline=today + timedelta(days=days),
        )
    first = services.routine_create(
        office=coordinating,
        acting_user=user,
        title="Rutine for sykehustjeneste i ALIS-løpet",
        owner_office=offices["vest"],
        review_due=today + timedelta(days=20),
        is_public=True,
        body=(
            "## Formål\n\nAlle ALIS-leger skal ha sykehustjeneste i minst seks måneder.\n\n"
            "## Ansvar\n\n- Kommunen melder behovet til ALIS-kontoret.\n"
            "- ALIS-kontoret avtaler plassen med helseforetaket."
        ),
    )
    services.routine_version_approve(
        office=coordinating,
        acting_user=approver,
        version=first.versions.get(),
        review_due=today + timedelta(days=20),
    )
    services.routine_version_add(
        office=offices["vest"],
        acting_user=vest_writer,
        routine=first,
        body=(
            "## Formål\n\nAlle ALIS-leger skal ha sykehustjeneste i minst seks måneder.\n\n"
            "## Ansvar\n\n- Kommunen melder behovet til ALIS-kontoret **et år før**.\n"
            "- ALIS-kontoret avtaler plassen med helseforetaket.\n"
            "- Veilederen følger opp læringsmålene ALM-055 og ALM-085."
        ),
        change_note="Frist for å melde behov, og læringsmålene",
    )
    second = services.routine_create(
        office=coordinating,
        acting_user=user,
        title="Prosedyre for veiledningsgrupper",
        owner_office=coordinating,
        review_due=today + timedelta(days=200),
        body=(
            "Veiledningsgruppene har 6–8 deltakere og møtes jevnlig i to år (120 timer). "
            "Gruppeveilederen fører oppmøte."
        ),
    )
    services.routine_version_approve(
        office=coordinating,
        acting_user=approver,
        version=second.versions.get(),
        review_due=today + timedelta(days=200),
    )
    _demo_advertisements(today)
    return 1


def _demo_advertisements(today) -> None:
    """Advertisement details for the demo's advertised positions (example addresses)."""
    for office in Office.objects.all():
        with scope(office=office):
            positions = list(Position.objects.filter(office=office, status=Status.ADVERTISED))
        for position in positions:
            services.advertisement_save(
                office=office,
                acting_user=None,
                position=position,
                url=f"https://www.example.no/ledige-stillinger/alis-{position.pk}",
                deadline=today + timedelta(days=30),
                description="Eksempel: fast stilling med ALIS-avtale, veileder og utdanningsplan.",
            )
