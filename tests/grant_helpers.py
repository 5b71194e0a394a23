"""Building blocks for grant tests: schemes by name, a receipt, a claim in each state."""

from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scope

from grants import services
from grants.models import Scheme
from grants.reference import NATIONAL_AGREEMENTS, NATIONAL_SUPERVISION, NORD, VEST_PILOT

from .agreement_helpers import add_service, make_agreement, make_trainee

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
PDF = b"%PDF-1.4\n%%EOF\n"


def scheme(name) -> Scheme:
    return Scheme.objects.get(name=name)


def vest_pilot() -> Scheme:
    return scheme(VEST_PILOT)


def nord_scheme() -> Scheme:
    return scheme(NORD)


def national_agreements() -> Scheme:
    return scheme(NATIONAL_AGREEMENTS)


def national_supervision() -> Scheme:
    return scheme(NATIONAL_SUPERVISION)


def receipt(name="kvittering.png", content=PNG, content_type="image/png"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def signed_doctor(office, municipality, *, hpr="1234567", first="Anna", **terms):
    """A doctor in full-time service from 1 Aug 2024 with an agreement signed 15 Aug 2024."""
    trainee = make_trainee(office, municipality, hpr=hpr, first=first)
    add_service(trainee)
    make_agreement(trainee, signed_on=date(2024, 8, 15), **terms)
    return trainee


def invoice_profile(office, user=None):
    return services.invoice_profile_save(
        office=office,
        acting_user=user,
        invoice_name=f"{office.name} (vertskommune)",
        org_number="964338531",
        address="Postboks 1, 5020 Bergen",
        account_number="1234.56.78903",
        payment_days=30,
    )


def pilot_claim(office, user, trainee, *, year=2025, expenses=((date(2025, 3, 1), "12000"),)):
    """A draft Vest pilot claim with expense lines (date, amount)."""
    claim = services.claim_create(
        office=office, acting_user=user, trainee=trainee, scheme=vest_pilot(), year=year
    )
    for day, amount in expenses:
        services.expense_add(
            office=office,
            acting_user=user,
            claim=claim,
            category="kurs",
            day=day,
            amount=Decimal(amount),
            description=f"Kurs {day:%d.%m}",
            receipt=receipt(),
        )
    return claim


def vest_grant_objects(office, user, municipality):
    """A submitted Vest pilot claim with an expense and an invoice: ids for every grant URL."""
    trainee = signed_doctor(office, municipality, hpr="7654399", first="Gro")
    claim = pilot_claim(office, user, trainee)
    services.claim_submit(office=office, acting_user=user, claim=claim)
    invoice_profile(office, user)
    invoice = services.invoice_create(office=office, acting_user=user, claim=claim)
    with scope(office=office):
        claim.refresh_from_db()
        expense = claim.expenses.get()
    return {"scheme": claim.scheme, "claim": claim, "expense": expense, "invoice": invoice}
