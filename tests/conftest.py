"""Personas that read like a story: a coordinator in Vest, a municipal leader in Masfjorden, an
ALIS doctor and a veileder there, and the same roles in Nord (Vadsø)."""

import os
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import polib
import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.utils import translation

from confirmations.pki import Pki, create_ca
from municipalities.models import Municipality
from municipalities.reference_areas import seed_health_trust_areas
from offices.models import Office
from offices.permissions import Role
from offices.reference import seed_reference_data

from .factories import MembershipFactory, UserFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config):
    """The .mo files are built, not committed (scripts/install runs compilemessages): rebuild any
    that is missing or older than its catalogue, so a fresh clone or a pulled .po is served.
    Only the controlling process writes (xdist workers have `workerinput`)."""
    if hasattr(config, "workerinput"):
        return
    for po in (Path(__file__).resolve().parent.parent / "locale").glob("*/LC_MESSAGES/*.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            polib.pofile(str(po)).save_as_mofile(str(mo))


# The suite's clock. Every test starts at this moment (the clock then ticks), so a test never
# depends on the day it runs; CI runs the suite again with ALIS_TEST_NOW moved to 29 February,
# 31 December and a July day. Tests that need another day travel there themselves.
TEST_NOW = datetime.fromisoformat(os.environ.get("ALIS_TEST_NOW", "2026-11-23T10:00")).replace(
    tzinfo=ZoneInfo("Europe/Oslo")
)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(TEST_NOW, tick=True):
        yield


@pytest.fixture(autouse=True)
def _language():
    """Every test starts in bokmål: a request in another language (LocaleMiddleware activates
    it for the thread) must not carry over into the next test's messages."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Transactional tests flush the database afterwards, taking the migrated reference data
    with them; put it back for the tests that run after."""
    names = request.fixturenames
    if "transactional_db" in names or "live_server" in names:
        request.getfixturevalue("transactional_db")
        seed_reference_data(apps)
        seed_health_trust_areas(apps)


@pytest.fixture
def vest(db):
    return Office.objects.get(slug="vest")


@pytest.fixture
def nord(db):
    return Office.objects.get(slug="nord")


@pytest.fixture
def masfjorden(db):
    return Municipality.objects.get(number="4634")


@pytest.fixture
def vadso(db):
    return Municipality.objects.get(number="5607")


def member(office, role, municipality=None, **user_kwargs):
    return MembershipFactory(
        office=office, role=role, municipality=municipality, user=UserFactory(**user_kwargs)
    ).user


@pytest.fixture
def coordinator_vest(vest):
    return member(vest, Role.COORDINATOR, email="koordinator@vest.example.no")


@pytest.fixture
def coordinator_nord(nord):
    return member(nord, Role.COORDINATOR, email="koordinator@nord.example.no")


@pytest.fixture
def leader_masfjorden(vest, masfjorden):
    return member(vest, Role.MUNICIPAL_LEADER, masfjorden, email="leder@masfjorden.example.no")


@pytest.fixture
def alis_masfjorden(vest, masfjorden):
    return member(vest, Role.ALIS, masfjorden, email="alis@masfjorden.example.no")


@pytest.fixture
def veileder_masfjorden(vest, masfjorden):
    return member(vest, Role.VEILEDER, masfjorden, email="veileder@masfjorden.example.no")


@pytest.fixture
def leader_vadso(nord, vadso):
    return member(nord, Role.MUNICIPAL_LEADER, vadso, email="leder@vadso.example.no")


@pytest.fixture
def alis_vadso(nord, vadso):
    return member(nord, Role.ALIS, vadso, email="alis@vadso.example.no")


@pytest.fixture
def client_for(client):
    """`client_for(user)` logs the user in and returns the client."""

    def login(user):
        client.force_login(user)
        return client

    return login


# --- Education units -----------------------------------------------------------------------------

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

REGISTRATION_DATA = {
    "org_number": "964338531",
    "leader_name": "Liv Lunde",
    "leader_title": "Kommuneoverlege",
    "leader_email": "liv.lunde@masfjorden.example.no",
    "contact_name": "Kari Kontakt",
    "contact_email": "kari.kontakt@masfjorden.example.no",
    "contact_phone": "56 16 62 00",
}


def pdf_upload(name="avtale.pdf", content=PDF_BYTES):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def masfjorden_unit(vest, masfjorden, coordinator_vest, django_capture_on_commit_callbacks):
    """Masfjorden as an approved education unit with a cooperation agreement with Helse Bergen
    and version 1 of its general plan: real Vest objects for every education-unit URL."""
    # Only the municipality's active leader (if it has one) may register it (issue 10).
    from accounts.models import Membership
    from municipalities import services

    leader = Membership.objects.filter(
        municipality=masfjorden, role=Role.MUNICIPAL_LEADER, is_active=True
    ).first()
    applicant = (
        leader.user if leader else UserFactory(email="kommuneoverlege@masfjorden.example.no")
    )
    with django_capture_on_commit_callbacks(execute=False):
        registration = services.unit_registration_submit(
            acting_user=applicant, municipality=masfjorden, **REGISTRATION_DATA
        )
        registration = services.unit_registration_approve(
            office=vest, acting_user=coordinator_vest, registration=registration
        )
        agreement = services.cooperation_agreement_create(
            office=vest,
            acting_user=coordinator_vest,
            municipality=masfjorden,
            counterparty_type="helseforetak",
            counterparty_name="Helse Bergen HF",
            arena_types=["institusjon"],
            start=date(2025, 1, 1),
            document=pdf_upload(),
        )
        plan = services.education_plan_create_version(
            office=vest,
            acting_user=coordinator_vest,
            municipality=masfjorden,
            arenas=[
                {
                    "arena_type": "allmennpraksis",
                    "name": "Masfjorden legekontor",
                    "goal_codes": ["ALM-001", "FKM-12"],
                },
                {
                    "arena_type": "institusjon",
                    "name": "Haukeland universitetssjukehus",
                    "agreement": agreement,
                    "goal_codes": ["ALM-055", "ALM-085"],
                },
            ],
        )
    return {
        "registration": registration,
        "agreement": agreement,
        "plan": plan,
        "applicant": applicant,
    }


def waiting_registration(municipality, *, days: int, email: str = "sjef@example.no"):
    """A pending education-unit registration submitted `days` days ago."""
    from datetime import timedelta

    from django.utils import timezone
    from django_scopes import scope

    from municipalities.services import unit_registration_submit

    registration = unit_registration_submit(
        acting_user=UserFactory(email=email),
        municipality=municipality,
        org_number="964338442",
        leader_name="Liv Lunde",
        leader_title="Kommuneoverlege",
        leader_email="liv@example.no",
        contact_name="Kari",
        contact_email="k@example.no",
        contact_phone="12345678",
    )
    with scope(office=municipality.office):
        type(registration).objects.filter(pk=registration.pk).update(
            submitted_at=timezone.now() - timedelta(days=days)
        )
    return registration


@pytest.fixture(scope="session")
def dev_pki(tmp_path_factory):
    """A throw-away CA (outside the project tree); offices get their keys from it on first use."""
    from confirmations.pki import Pki, create_ca

    # Made on the suite's clock (a session fixture runs before the per-test clock), so the
    # certificates are valid on every day the tests travel to, not from the real today on.
    pki = Pki(tmp_path_factory.mktemp("pki"), b"test-passord")
    with time_machine.travel(TEST_NOW - timedelta(days=400), tick=False):
        create_ca(pki, name="ALIS test-CA")
    return pki


@pytest.fixture
def signing_settings(settings, dev_pki):
    settings.ALIS_PKI_DIR = dev_pki.directory
    settings.ALIS_SIGNING_PASSWORD = dev_pki.password.decode()
    return dev_pki


def production_env(tmp_path) -> dict:
    """The environment `alis.settings.production` needs to start (for a subprocess): a CA made
    in tmp_path, a secret key, a host and an SQLite database there."""
    create_ca(Pki(tmp_path / "pki", b"produksjonspassord"))
    return {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "alis.settings.production",
        "SECRET_KEY": "x7Hq2LmP9vRt4WsYb8NcKd3Fg6JzQe1Ua5Xo0Iy-TnMr_Vh%Pl+Ck#Sj!Dw",
        "ALLOWED_HOSTS": "alis.example.no",
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        "ALIS_PKI_DIR": str(tmp_path / "pki"),
        "ALIS_SIGNING_PASSWORD": "produksjonspassord",
    }
