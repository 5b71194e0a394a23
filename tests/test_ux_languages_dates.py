"""Issue 14, the rest: e-mails and documents made outside a request in the recipient's language,
one date style everywhere, and the wording details (placeholders, plurals, greeting, names)."""

import re
import subprocess
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_scopes import scope

from accounts.models import Invitation
from accounts.services import invitation_create
from confirmations.services import AchievedGoal, confirmation_request
from notifications.reminders import run_sweep
from offices import clock
from offices.permissions import Role
from plans.models import IndividualPlan, PlanVersion
from reports.services import report_request
from trainees.models import Trainee

from .conftest import member
from .conftest import waiting_registration as make_waiting_registration

ROOT = Path(__file__).resolve().parent.parent
OSLO = ZoneInfo("Europe/Oslo")
ISO_DATE = re.compile(r"\b20\d\d-[01]\d-[0-3]\d\b")


def pdf_text(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def speaker(office, role, language, email, municipality=None):
    user = member(office, role, municipality, email=email)
    user.language = language
    user.save(update_fields=["language"])
    return user


# --- The recipient's language ---------------------------------------------------------------------


def test_invitation_reads_in_the_language_of_the_account_it_is_sent_to(
    vest, masfjorden, leader_masfjorden, django_capture_on_commit_callbacks
):
    speaker(vest, Role.VEILEDER, "en", "english@example.no", masfjorden)
    speaker(vest, Role.VEILEDER, "nn", "nynorsk@example.no", masfjorden)
    with django_capture_on_commit_callbacks(execute=True):
        for email in ("english@example.no", "nynorsk@example.no", "ny@example.no"):
            invitation_create(
                office=vest,
                acting_user=leader_masfjorden,
                email=email,
                role=Role.SUPERVISOR,
                municipality=masfjorden,
            )
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert "Regards, the ALIS offices" in bodies["english@example.no"]
    assert "Helsing ALIS-kontora" in bodies["nynorsk@example.no"]
    assert "Hilsen ALIS-kontorene" in bodies["ny@example.no"]  # no account yet: bokmål


@pytest.mark.dates
def test_reminders_go_out_in_each_coordinators_language_with_its_date_style(
    vest, masfjorden, django_capture_on_commit_callbacks
):
    today = clock.today()
    if today.month == 7:  # quiet July holds the reminder; look at 30 June instead
        today = date(today.year, 6, 30)
    registration = make_waiting_registration(masfjorden, days=8)
    submitted = datetime.combine(today - timedelta(days=8), time(10), tzinfo=OSLO)
    with scope(office=vest):
        type(registration).objects.filter(pk=registration.pk).update(submitted_at=submitted)
    mail.outbox.clear()
    speaker(vest, Role.COORDINATOR, "en", "en@vest.example.no")
    speaker(vest, Role.COORDINATOR, "nn", "nn@vest.example.no")
    speaker(vest, Role.COORDINATOR, "", "nb@vest.example.no")
    with django_capture_on_commit_callbacks(execute=True):
        assert run_sweep(office=vest, today=today) == 3
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert subjects["nb@vest.example.no"] == "Registrering venter: Masfjorden"
    assert subjects["en@vest.example.no"] == "Registration waiting: Masfjorden"
    assert subjects["nn@vest.example.no"] == "Registrering ventar: Masfjorden"
    assert "8 days ago" in bodies["en@vest.example.no"]
    assert "for 8 dagar sidan" in bodies["nn@vest.example.no"]


@pytest.fixture
def doctor(vest, masfjorden):
    user = speaker(vest, Role.ALIS, "en", "doctor.en@example.no", masfjorden)
    with scope(office=vest):
        return Trainee.objects.create(
            office=vest,
            municipality=masfjorden,
            user=user,
            first_name="Ann",
            last_name="English",
            email=user.email,
            hpr_number="001234567",
            specialisation_start=date(2022, 9, 1),
        )


def test_confirmation_pdf_is_in_the_doctors_language_with_no_iso_dates(
    signing_settings, vest, leader_masfjorden, doctor, django_capture_on_commit_callbacks
):
    goals = [
        AchievedGoal(
            code="ALM-001",
            title="Et læringsmål",
            approved_on=date(2023, 1, 10),
            approved_by="Liv Lunde",
            veileder_advice="Anbefalt",
            supervisor_advice="Anbefalt",
        ),
        AchievedGoal(
            code="ALM-002",
            title="Et annet læringsmål",
            approved_on=date(2023, 12, 1),
            approved_by="Liv Lunde",
            veileder_advice="Anbefalt",
            supervisor_advice="Anbefalt",
        ),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        c = confirmation_request(
            office=vest,
            acting_user=leader_masfjorden,
            trainee=doctor,
            goals=goals,
            signer_name="Liv Lunde",
            organisation_number="964338442",
        )
    with scope(office=vest):
        c.refresh_from_db()
    with c.pdf.open("rb") as fh:
        text = pdf_text(fh.read())
    assert "Confirmation of achieved learning goals" in text
    assert "10 Jan 2023" in text and "1 Dec 2023" in text  # the period, English style
    assert not ISO_DATE.findall(text)


def test_report_pdf_is_in_the_language_of_who_asked_for_it(
    vest, django_capture_on_commit_callbacks
):
    nynorsk = speaker(vest, Role.COORDINATOR, "nn", "nn.rapport@vest.example.no")
    with scope(office=vest), django_capture_on_commit_callbacks(execute=True):
        report = report_request(office=vest, acting_user=nynorsk, period=date(2026, 12, 1))
    with scope(office=vest):
        report.refresh_from_db()
        text = pdf_text(report.pdf.read())
    assert "Statusrapport for ALIS Vest per 01.12.2026" in text
    assert "Side 1 av" in text or "Side 1 av" in text.replace("\u00a0", " ")
    assert not ISO_DATE.findall(text)


# --- One date style -------------------------------------------------------------------------------

# Formats that spell out a day; named formats (SHORT_DATE_FORMAT, …) and "F Y", "Y", "H:i" are fine.
STRAY_TEMPLATE = re.compile(r'\|date:"(?![A-Z_]+")[^"]*[djn][^"]*"')
STRAY_PYTHON = re.compile(
    r'%d\.%m\.%Y|strftime\("%d|date_format\([^)]*"(?:j\.n\.Y|d\.m\.Y|j\. F Y)"|'
    r"\{[^{}]+:%d\.%m|\.day\}\.\{"
)
# Parsing typed input and the signature stamp's timestamp are not shown dates.
ALLOWED_PYTHON = {"plans/resources.py", "confirmations/signing.py"}


def _sources(pattern: str):
    for path in ROOT.glob(pattern):
        parts = path.relative_to(ROOT).parts
        if parts[0] in {".venv", "node_modules", "staticfiles", "tests", "alis", "benchmarks"}:
            continue
        if "migrations" in parts:
            continue
        yield path


def test_templates_use_the_languages_date_format_not_their_own():
    stray = [
        f"{p.relative_to(ROOT)}: {m.group(0)}"
        for p in _sources("templates/**/*.*")
        for m in STRAY_TEMPLATE.finditer(p.read_text(encoding="utf-8"))
    ]
    assert not stray, 'Use |date:"SHORT_DATE_FORMAT":\n' + "\n".join(stray)


def test_python_formats_dates_through_offices_dates():
    stray = [
        f"{p.relative_to(ROOT)}: {m.group(0)}"
        for p in _sources("**/*.py")
        if str(p.relative_to(ROOT)) not in ALLOWED_PYTHON
        for m in STRAY_PYTHON.finditer(p.read_text(encoding="utf-8"))
    ]
    assert not stray, "Use offices.dates.short_date:\n" + "\n".join(stray)


def test_a_date_reads_the_same_in_bokmal_and_nynorsk_and_unambiguously_in_english():
    from django.utils import translation

    from offices.dates import short_date

    day = date(2026, 12, 1)
    with translation.override("nb"):
        assert short_date(day) == "01.12.2026"
    with translation.override("nn"):
        assert short_date(day) == "01.12.2026"
    with translation.override("en"):
        assert short_date(day) == "1 Dec 2026"


# --- Wording --------------------------------------------------------------------------------------


def test_empty_choice_says_velg_not_dashes(client_for, coordinator_vest):
    html = client_for(coordinator_vest).get(reverse("trainee_create", args=["vest"]))
    text = html.content.decode()
    assert "---------" not in text
    assert "Velg …" in text


def test_sign_up_asks_for_the_name_and_keeps_it(client, db, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "none"
    page = client.get(reverse("account_signup")).content.decode()
    assert 'name="first_name"' in page and 'name="last_name"' in page
    response = client.post(
        reverse("account_signup"),
        {
            "first_name": "Siri",
            "last_name": "Sjef",
            "email": "siri@example.no",
            "password1": "Et-langt-passord-2026",
            "password2": "Et-langt-passord-2026",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    from accounts.models import User

    assert str(User.objects.get(email="siri@example.no")) == "Siri Sjef"


def test_allauth_mail_greets_from_the_product_not_the_host(client, db):
    response = client.post(
        reverse("account_signup"),
        {
            "first_name": "Siri",
            "last_name": "Sjef",
            "email": "siri2@example.no",
            "password1": "Et-langt-passord-2026",
            "password2": "Et-langt-passord-2026",
        },
    )
    assert response.status_code == 302
    [message] = mail.outbox
    assert "Hei fra ALIS-kontorene!" in message.body
    assert "Hei fra 127.0.0.1" not in message.body


def test_front_page_leads_to_registration_and_verification(client, db):
    text = client.get("/").content.decode()
    assert f'href="{reverse("unit_registration")}"' in text
    assert f'href="{reverse("verify_start")}"' in text


# --- Coordinators invite doctors; leaders have a plan queue ---------------------------------------


def test_coordinator_may_invite_a_doctor(
    client_for, coordinator_vest, masfjorden, vest, django_capture_on_commit_callbacks
):
    client = client_for(coordinator_vest)
    page = client.get(reverse("invite", args=["vest"])).content.decode()
    assert 'value="alis"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("invite", args=["vest"]),
            {"email": "ny.lege@example.no", "role": "alis", "municipality": masfjorden.pk},
        )
    assert response.status_code == 302
    with scope(office=vest):
        assert Invitation.objects.get(email="ny.lege@example.no").role == Role.ALIS
    assert [m.to for m in mail.outbox] == [["ny.lege@example.no"]]


def test_leader_finds_acknowledged_plans_in_their_queue_from_the_inbox(
    client_for, vest, masfjorden, leader_masfjorden, alis_masfjorden
):
    with scope(office=vest):
        trainee = Trainee.objects.create(
            office=vest,
            municipality=masfjorden,
            user=alis_masfjorden,
            first_name="Pia",
            last_name="Plan",
            hpr_number="7654321",
            specialisation_start=date(2025, 9, 1),
        )
        plan = IndividualPlan.objects.create(office=vest, trainee=trainee)
        PlanVersion.objects.create(office=vest, plan=plan, number=1, acknowledged_at=clock.now())
        PlanVersion.objects.create(office=vest, plan=plan, number=2)  # not acknowledged yet
    client = client_for(leader_masfjorden)
    inbox = client.get(reverse("inbox", args=["vest"])).content.decode()
    queue_url = reverse("plan_approval_queue", args=["vest"])
    assert f'href="{queue_url}"' in inbox
    text = client.get(queue_url).content.decode()
    assert "1 plan venter på godkjenning." in text
    assert "Pia Plan" in text
    assert reverse("plan_version_detail", args=["vest", trainee.pk, 1]) in text
    assert reverse("plan_version_detail", args=["vest", trainee.pk, 2]) not in text


def test_plan_queue_is_for_leaders(client_for, coordinator_vest, alis_masfjorden):
    url = reverse("plan_approval_queue", args=["vest"])
    assert client_for(coordinator_vest).get(url).status_code == 403
    other = Client()
    other.force_login(alis_masfjorden)
    assert other.get(url).status_code == 403
