"""National cooperation (issue 18): joint meetings with minutes and action items followed up on
each office's home page, national tasks, shared routines with versions, approval, search and a
review reminder, the coordinating role passing on its date, and experience shared anonymised.

The suite's clock stands on 23 November 2026: ALIS Nord coordinates (2025–2026), ALIS Midt
takes over on 1 January 2027 (offices.reference.COORDINATING_PERIODS)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django_scopes import scope, scopes_disabled

from national import selectors, services
from national.models import ActionItem, Meeting, NationalTask, Routine, TaskStatus
from national.rendering import render_markdown
from notifications.models import Outbox
from offices.models import Office
from offices.permissions import Role

from .agreement_helpers import make_agreement, make_trainee
from .conftest import member

OSLO = ZoneInfo("Europe/Oslo")


@pytest.fixture
def midt(db):
    return Office.objects.get(slug="midt")


@pytest.fixture
def coordinator_midt(midt):
    return member(midt, Role.COORDINATOR, email="koordinator@midt.example.no")


def _meeting(nord, user, **kwargs):
    data = {
        "title": "Fellesmøte desember",
        "starts_at": datetime(2026, 12, 8, 10, 0, tzinfo=OSLO),
        "place": "Teams",
        "agenda": "# Saker\n\n1. Nasjonal rutine for sykehustjeneste\n2. Eventuelt",
        **kwargs,
    }
    return services.meeting_create(office=nord, acting_user=user, **data)


# --- Meetings: notice, minutes, action items on the owner office's home ----------------------


def test_meeting_notice_minutes_and_action_item_on_the_responsible_offices_home(
    client_for, nord, vest, coordinator_nord, coordinator_vest, django_capture_on_commit_callbacks
):
    client = client_for(coordinator_nord)
    response = client.post(
        "/nord/nasjonalt/moter/ny/",
        {
            "kind": "felles",
            "title": "Fellesmøte desember",
            "starts_at": "2026-12-08T10:00",
            "place": "Teams",
            "agenda": "# Saker\n\n1. Rutine for sykehustjeneste\n2. Eventuelt",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert meeting.secretary_office == nord
    assert meeting.attendances.count() == 5

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/nord/nasjonalt/moter/{meeting.pk}/innkalling/")
    with scopes_disabled():
        notices = list(Outbox.objects.filter(kind="nasjonalt_mote"))
    # One notice to each office's coordinator (Nord and Vest have one here), in their office.
    assert sorted((n.recipient, n.office.slug) for n in notices) == [
        ("koordinator@nord.example.no", "nord"),
        ("koordinator@vest.example.no", "vest"),
    ]
    assert "Rutine for sykehustjeneste" in notices[0].body
    assert "08.12.2026 10:00" in notices[0].body
    # A second click sends nothing new (the outbox key: person, meeting, time).
    client.post(f"/nord/nasjonalt/moter/{meeting.pk}/innkalling/")
    with scopes_disabled():
        assert Outbox.objects.filter(kind="nasjonalt_mote").count() == 2

    client.post(
        f"/nord/nasjonalt/moter/{meeting.pk}/referat/",
        {
            "chair": "Nina Nasjonal",
            "minutes": "Kontorene ble enige om en felles rutine.\n\n<script>alert(1)</script>",
            f"present-{nord.pk}": "on",
            f"names-{nord.pk}": "Nina",
            f"present-{vest.pk}": "on",
        },
    )
    client.post(
        f"/nord/nasjonalt/moter/{meeting.pk}/vedtak/",
        {"text": "Rutinen sendes på høring til alle kontorene."},
    )
    client.post(
        f"/nord/nasjonalt/moter/{meeting.pk}/oppfolging/",
        {"text": "Skriv utkast til rutine", "owner_office": vest.pk, "due": "2027-01-15"},
    )
    page = client.get(f"/nord/nasjonalt/moter/{meeting.pk}/").content.decode()
    assert "Kontorene ble enige om en felles rutine." in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page
    assert "Rutinen sendes på høring til alle kontorene." in page
    assert "ALIS Vest: møtte" in page

    # Vest's coordinator sees it on Vest's home page and in the national overview, and marks
    # it done; Nord's home shows nothing for Nord.
    vest_client = client_for(coordinator_vest)
    home = vest_client.get("/vest/innboks/").content.decode()
    assert "Oppfølgingspunkter fra nasjonale møter" in home
    assert "1 punkt fra fellesmøtene" in home
    overview = vest_client.get("/vest/nasjonalt/").content.decode()
    assert "Skriv utkast til rutine" in overview and "15.01.2027" in overview
    item = ActionItem.objects.get()
    vest_client.post(f"/vest/nasjonalt/oppfolging/{item.pk}/utfort/", {"next": "home"})
    item.refresh_from_db()
    assert item.done_at is not None and item.done_by == coordinator_vest


def test_a_non_coordinating_office_cannot_call_meetings_or_write_minutes(
    client_for, nord, vest, coordinator_nord, coordinator_vest
):
    meeting = _meeting(nord, coordinator_nord)
    client = client_for(coordinator_vest)
    assert client.get("/vest/nasjonalt/moter/ny/").status_code == 403
    assert client.post(f"/vest/nasjonalt/moter/{meeting.pk}/referat/", {}).status_code == 403
    assert client.post(f"/vest/nasjonalt/moter/{meeting.pk}/innkalling/").status_code == 403
    # …but reads the meeting, without the coordinator's buttons.
    page = client.get(f"/vest/nasjonalt/moter/{meeting.pk}/").content.decode()
    assert "Fellesmøte desember" in page
    assert "Send innkalling" not in page
    with pytest.raises(ValidationError, match="Bare det koordinerende kontoret"):
        _meeting(vest, coordinator_vest)
    assert Meeting.objects.count() == 1


def test_an_office_marks_only_its_own_action_items_done(
    client_for, nord, vest, midt, coordinator_nord, coordinator_midt
):
    meeting = _meeting(nord, coordinator_nord)
    item = services.action_item_add(
        office=nord,
        acting_user=coordinator_nord,
        meeting=meeting,
        text="Kartlegg veiledere",
        owner_office=vest,
        due=date(2027, 2, 1),
    )
    client_for(coordinator_midt).post(f"/midt/nasjonalt/oppfolging/{item.pk}/utfort/")
    item.refresh_from_db()
    assert item.done_at is None


def test_an_external_meeting_needs_its_counterpart(nord, coordinator_nord):
    with pytest.raises(ValidationError) as error:
        _meeting(nord, coordinator_nord, kind="ekstern", title="Møte med Hdir")
    assert "Velg hvem møtet er med." in str(error.value)
    meeting = _meeting(
        nord, coordinator_nord, kind="ekstern", counterpart="helsedirektoratet", title="Hdir"
    )
    assert meeting.counterpart_label == "Helsedirektoratet"


# --- Tasks -----------------------------------------------------------------------------------


def test_the_coordinator_assigns_a_task_and_each_office_sees_its_own(
    client_for, nord, vest, midt, coordinator_nord, coordinator_vest, coordinator_midt
):
    client_for(coordinator_nord).post(
        "/nord/nasjonalt/oppgaver/ny/",
        {
            "title": "Oppdater veilederkurset",
            "responsible_office": vest.pk,
            "deadline": "2027-03-01",
        },
    )
    task = NationalTask.objects.get()
    assert task.assigned_by_office == nord

    vest_client = client_for(coordinator_vest)
    assert (
        "Oppdater veilederkurset" in vest_client.get("/vest/nasjonalt/oppgaver/").content.decode()
    )
    vest_client.post(
        f"/vest/nasjonalt/oppgaver/{task.pk}/", {"status": "pagar", "status_note": "Utkast klart"}
    )
    task.refresh_from_db()
    assert (task.status, task.status_note) == (TaskStatus.IN_PROGRESS, "Utkast klart")

    midt_client = client_for(coordinator_midt)
    assert (
        "Oppdater veilederkurset"
        not in midt_client.get("/midt/nasjonalt/oppgaver/").content.decode()
    )
    assert (
        "Oppdater veilederkurset"
        in midt_client.get("/midt/nasjonalt/oppgaver/?vis=alle").content.decode()
    )
    assert (
        midt_client.post(f"/midt/nasjonalt/oppgaver/{task.pk}/", {"status": "ferdig"}).status_code
        == 404
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS


def test_the_responsible_office_cannot_move_its_task_to_another_office(
    nord, vest, midt, coordinator_nord, coordinator_vest
):
    task = services.task_assign(
        office=nord,
        acting_user=coordinator_nord,
        title="Kartlegg kapasitet",
        responsible_office=vest,
        deadline=date(2027, 3, 1),
    )
    with pytest.raises(ValidationError, match="Bare det koordinerende kontoret"):
        services.task_update(
            office=vest,
            acting_user=coordinator_vest,
            task=task,
            status="ny",
            responsible_office=midt,
        )
    task.refresh_from_db()
    assert task.responsible_office == vest


# --- Routines --------------------------------------------------------------------------------


def _routine(nord, user, **kwargs):
    data = {
        "title": "Rutine for sykehustjeneste",
        "owner_office": nord,
        "review_due": date(2027, 6, 1),
        "body": "Veiledere avtaler sykehusperioden med helseforetakene.",
        **kwargs,
    }
    return services.routine_create(office=nord, acting_user=user, **data)


def test_versioned_routine_with_approval_and_archive(
    client_for, nord, vest, coordinator_nord, coordinator_vest
):
    routine = _routine(nord, coordinator_nord, owner_office=vest)
    first = routine.versions.get()
    with pytest.raises(ValidationError, match="En annen koordinator må godkjenne den"):
        services.routine_version_approve(  # four eyes: not the author
            office=nord, acting_user=coordinator_nord, version=first, review_due=date(2027, 11, 1)
        )
    text = client_for(coordinator_nord).get(f"/nord/nasjonalt/rutiner/{routine.pk}/").content
    assert "Du skrev dette utkastet selv" in text.decode()
    assert "Godkjenn versjon 1" not in text.decode()
    colleague = member(nord, Role.COORDINATOR, email="kollega@nord.example.no")
    services.routine_version_approve(
        office=nord, acting_user=colleague, version=first, review_due=date(2027, 11, 1)
    )
    # The owner office (Vest) writes version 2; only the coordinating office approves it.
    second = services.routine_version_add(
        office=vest,
        acting_user=coordinator_vest,
        routine=routine,
        body="Veiledere og **kommunene** avtaler sykehusperioden.",
        change_note="Kommunene er med",
    )
    with pytest.raises(ValidationError, match="Bare det koordinerende kontoret"):
        services.routine_version_approve(
            office=vest, acting_user=coordinator_vest, version=second, review_due=date(2028, 1, 1)
        )
    page = client_for(coordinator_vest).get(f"/vest/nasjonalt/rutiner/{routine.pk}/")
    text = page.content.decode()
    assert "Gjeldende versjon (1)" in text
    assert "Utkast til versjon 2 venter på godkjenning" in text
    # Cold-user finding: Vest's draft said «Skrevet av ALIS Nord»; it names its author and office.
    assert f"Skrevet av {coordinator_vest.get_full_name()} (ALIS Vest) 23.11.2026." in text
    assert "Godkjenn versjon 2" not in text  # Vest cannot approve

    client = client_for(coordinator_nord)
    client.post(
        f"/nord/nasjonalt/rutiner/{routine.pk}/versjoner/{second.pk}/godkjenn/",
        {"review_due": "2027-12-01"},
    )
    text = client.get(f"/nord/nasjonalt/rutiner/{routine.pk}/").content.decode()
    assert "Gjeldende versjon (2)" in text
    assert "<strong>kommunene</strong>" in text
    # The archive keeps both versions and who approved each.
    assert text.count("(ALIS Nord), 23.11.2026") == 3  # two approvals and the first author
    routine.refresh_from_db()
    assert routine.review_due == date(2027, 12, 1)


def test_approving_keeps_the_review_date_unless_the_approver_changes_it(
    client_for, nord, coordinator_nord
):
    """Cold-user finding: approving without touching «Neste gjennomgang» moved 1.6.2027 to a
    year from today. The form proposes the routine's own date; an overdue date proposes a year."""
    routine = _routine(nord, coordinator_nord, review_due=date(2027, 6, 1))
    approver = member(nord, Role.COORDINATOR, email="kollega@nord.example.no")
    client = client_for(approver)
    page = client.get(f"/nord/nasjonalt/rutiner/{routine.pk}/").content.decode()
    assert 'value="2027-06-01"' in page
    draft = routine.versions.get()
    client.post(
        f"/nord/nasjonalt/rutiner/{routine.pk}/versjoner/{draft.pk}/godkjenn/",
        {"review_due": "2027-06-01"},  # what the form proposed, untouched
    )
    routine.refresh_from_db()
    assert routine.review_due == date(2027, 6, 1)
    assert routine.versions.get().is_approved
    # A routine whose review date has passed gets a year from today (23.11.2026) proposed.
    routine.review_due = date(2026, 11, 1)
    assert selectors.approval_review_default(routine, date(2026, 11, 23)) == date(2027, 11, 23)


def test_a_pdf_attachment_is_checked_by_content(client_for, nord, coordinator_nord):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_for(coordinator_nord).post(
        "/nord/nasjonalt/rutiner/ny/",
        {
            "title": "Rutine som PDF",
            "owner_office": nord.pk,
            "review_due": "2027-06-01",
            "attachment": SimpleUploadedFile("rutine.pdf", b"<html>ikke pdf</html>"),
        },
    )
    assert response.status_code == 200
    assert "Vedlegget må være en PDF-fil" in response.content.decode()
    assert "Rutine som PDF" in response.content.decode()  # what was typed is kept
    assert not Routine.objects.exists()


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_search_finds_inflected_norwegian_words(nord, coordinator_nord):
    _routine(nord, coordinator_nord)
    _routine(
        nord,
        coordinator_nord,
        title="Tilskudd til veiledning",
        body="Kommunen søker om tilskuddet etter at året er omme.",
    )
    titles = lambda q: [r.title for r in selectors.routines(q)]  # noqa: E731
    # «veilederen» (definite) finds «Veiledere»; «tilskuddene» finds «tilskuddet»/«Tilskudd».
    assert titles("veilederen") == ["Rutine for sykehustjeneste"]
    assert titles("tilskuddene") == ["Tilskudd til veiledning"]
    assert titles("sykehusperiodene") == ["Rutine for sykehustjeneste"]
    assert titles("legevakt") == []


def test_search_falls_back_to_stem_matching_on_sqlite(nord, coordinator_nord, monkeypatch):
    _routine(nord, coordinator_nord)
    monkeypatch.setattr(connection, "vendor", "sqlite")
    assert [r.title for r in selectors.routines("sykehus")] == ["Rutine for sykehustjeneste"]
    # Cold-user finding: the demo's search missed inflected words; a crude stem now matches.
    assert [r.title for r in selectors.routines("avtalene")] == ["Rutine for sykehustjeneste"]
    assert [r.title for r in selectors.routines("veilederen")] == ["Rutine for sykehustjeneste"]
    assert list(selectors.routines("legevakta")) == []


def test_the_sqlite_fallback_cuts_one_common_ending_and_keeps_four_letters():
    assert selectors.crude_stem("Avtalene") == "avtal"
    assert selectors.crude_stem("avtaler") == "avtal"
    assert selectors.crude_stem("veilederen") == "veileder"
    assert selectors.crude_stem("rutinane") == "rutin"
    assert selectors.crude_stem("huset") == "huset"  # «hus» would be shorter than four
    assert selectors.crude_stem("plan") == "plan"


def test_review_reminder_goes_to_the_owner_office_once(
    nord, vest, coordinator_nord, coordinator_vest, django_capture_on_commit_callbacks
):
    _routine(nord, coordinator_nord, owner_office=vest, review_due=date(2026, 12, 15))
    _routine(nord, coordinator_nord, title="Ikke snart", review_due=date(2027, 6, 1))
    with django_capture_on_commit_callbacks(execute=False):
        assert services.review_reminders_send(today=date(2026, 11, 23)) == 1
        assert services.review_reminders_send(today=date(2026, 11, 24)) == 0
    with scope(office=vest):
        row = Outbox.objects.get(kind="rutine_gjennomgang")
    assert row.recipient == "koordinator@vest.example.no"
    assert "15.12.2026" in row.subject


# --- The coordinating role passes on its date -------------------------------------------------


def test_the_coordinating_role_passes_to_midt_on_1_january_and_everything_stays(
    client_for, nord, midt, coordinator_nord, coordinator_midt
):
    meeting = _meeting(nord, coordinator_nord)
    with time_machine.travel(datetime(2026, 12, 31, 23, 0, tzinfo=OSLO), tick=False):
        assert client_for(coordinator_midt).get("/midt/nasjonalt/moter/ny/").status_code == 403
        assert client_for(coordinator_nord).get("/nord/nasjonalt/moter/ny/").status_code == 200
    with time_machine.travel(datetime(2027, 1, 1, 8, 0, tzinfo=OSLO), tick=False):
        assert client_for(coordinator_nord).get("/nord/nasjonalt/moter/ny/").status_code == 403
        midt_client = client_for(coordinator_midt)
        assert midt_client.get("/midt/nasjonalt/moter/ny/").status_code == 200
        # Nord's meeting is still there, and Midt writes its minutes now.
        midt_client.post(
            f"/midt/nasjonalt/moter/{meeting.pk}/referat/", {"minutes": "Referat fra Midt"}
        )
        page = midt_client.get("/midt/nasjonalt/").content.decode()
        assert "Koordinerende kontor: ALIS Midt" in page
    meeting.refresh_from_db()
    assert meeting.minutes == "Referat fra Midt"
    assert meeting.secretary_office == nord


# --- Experience shared nationally, anonymised ------------------------------------------------


def test_experience_is_shared_without_the_municipality_below_five(
    client_for, vest, masfjorden, coordinator_nord
):
    from agreements.models import MeasureExperience

    agreement = make_agreement(make_trainee(vest, masfjorden))
    with scope(office=vest):
        MeasureExperience.objects.create(
            office=vest,
            agreement=agreement,
            measure="ekstra_veiledning",
            rating=5,
            notes="Ekstra veiledning holdt legen i kommunen.",
        )
    page = client_for(coordinator_nord).get("/nord/nasjonalt/erfaringer/?measure=ekstra_veiledning")
    text = page.content.decode()
    assert "Ekstra veiledning holdt legen i kommunen." in text
    assert "ALIS Vest" in text
    assert "Masfjorden" not in text
    assert 'id="tiltak-redusert_liste"' not in text  # filtered by measure type


# --- Rendering user text ---------------------------------------------------------------------


def test_markdown_is_rendered_without_raw_html_images_or_script_links():
    html = render_markdown(
        "# Tittel\n\n<img src=x onerror=alert(1)> [a](javascript:alert(1)) "
        "![b](https://sporing.example/p.png) [c](https://helsedirektoratet.no)"
    )
    assert "<h3>Tittel</h3>" in html
    assert "<img" not in html and "&lt;img" in html
    assert 'href="javascript' not in html
    assert '<a href="https://helsedirektoratet.no" rel="nofollow noopener">c</a>' in html


def test_workspace_pages_run_the_same_queries_for_more_rows(
    client_for, nord, vest, coordinator_nord
):
    from django.test.utils import CaptureQueriesContext

    client = client_for(coordinator_nord)
    urls = [
        "/nord/nasjonalt/",
        "/nord/nasjonalt/moter/",
        "/nord/nasjonalt/oppgaver/?vis=alle",
        "/nord/nasjonalt/rutiner/",
        "/nord/innboks/",
    ]

    def counts():
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            result.append(len(queries))
        return result

    def add(n):
        meeting = _meeting(nord, coordinator_nord, title=f"Møte {n}")
        services.action_item_add(
            office=nord,
            acting_user=coordinator_nord,
            meeting=meeting,
            text=f"Punkt {n}",
            owner_office=nord,
            due=date(2027, 1, n),
        )
        services.task_assign(
            office=nord,
            acting_user=coordinator_nord,
            title=f"Oppgave {n}",
            responsible_office=nord,
            deadline=date(2027, 2, n),
        )
        _routine(nord, coordinator_nord, title=f"Rutine {n}", review_due=date(2026, 12, n))

    add(1)
    few = counts()
    for n in range(2, 6):
        add(n)
    assert counts() == few


def test_beat_runs_the_review_reminder_every_morning(
    settings, nord, vest, coordinator_nord, coordinator_vest, django_capture_on_commit_callbacks
):
    from national.tasks import send_review_reminders

    entry = settings.CELERY_BEAT_SCHEDULE["nasjonale-rutiner-gjennomgang"]
    assert entry["task"] == "national.tasks.send_review_reminders"
    _routine(nord, coordinator_nord, owner_office=vest, review_due=date(2026, 12, 1))
    with django_capture_on_commit_callbacks(execute=False):
        assert send_review_reminders.delay().get() == 1
