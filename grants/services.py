"""Writes for grants: claims and their expense lines, decisions, invoices, settlements."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django_scopes import scope

from accounts.models import User
from offices import clock
from offices.dates import short_date
from offices.models import Office
from offices.owned import ensure_same_office
from offices.uploads import validate_content
from trainees.models import Trainee

from . import selectors
from .calculation import Kind
from .models import (
    DECIDED,
    Claim,
    ClaimStatus,
    ExpenseLine,
    InvoiceProfile,
    Scheme,
    Settlement,
    ShareInvoice,
)

RECEIPT_KINDS = ("pdf", "png", "jpeg")
MAX_RECEIPT_BYTES = 10 * 1024 * 1024


def _locked(office: Office, claim: Claim) -> Claim:
    ensure_same_office(office, claim)
    return Claim.objects.select_for_update().get(pk=claim.pk, office=office)


@transaction.atomic
def claim_create(
    *, office: Office, acting_user: User | None, trainee: Trainee, scheme: Scheme, year: int
) -> Claim:
    """A draft claim for one doctor, scheme and grant year (the year it starts in)."""
    ensure_same_office(office, trainee)
    _ensure_scheme_of(office, scheme, field="scheme")
    start, end = selectors.year_of(scheme, year)
    if not selectors.schemes_valid_in(start, end).filter(pk=scheme.pk).exists():
        raise ValidationError({"year": _("Ordningen gjelder ikke for dette året.")})
    if start > clock.today():
        raise ValidationError({"year": _("Tilskuddsåret har ikke begynt ennå.")})
    claim = Claim(
        office=office,
        scheme=scheme,
        trainee=trainee,
        municipality=trainee.municipality,
        year_start=start,
        year_end=end,
        created_by=acting_user,
    )
    with scope(office=office):
        claim.full_clean()
        try:
            with transaction.atomic():
                claim.save()
        except IntegrityError:
            raise ValidationError(
                _("Det finnes allerede et krav for denne legen i denne ordningen og dette året.")
            ) from None
    return claim


def _ensure_scheme_of(office: Office, scheme: Scheme, *, field: str | None = None) -> None:
    """A regional scheme is for its own office only (national schemes for all)."""
    if scheme.applies_to(office):
        return
    message = _("«%(scheme)s» er en ordning for et annet ALIS-kontor og kan ikke brukes her.") % {
        "scheme": scheme.name
    }
    raise ValidationError({field: message} if field else message)


def _ensure_draft(claim: Claim) -> None:
    if claim.status != ClaimStatus.DRAFT:
        raise ValidationError(_("Kravet er sendt inn og kan ikke endres."))


@transaction.atomic
def expense_add(
    *,
    office: Office,
    acting_user: User | None,
    claim: Claim,
    category: str,
    day: date,
    amount: Decimal,
    description: str,
    receipt,
    covered_by_fund: bool = False,
) -> ExpenseLine:
    """An expense line with its receipt (PDF or image, checked by its content)."""
    with scope(office=office):
        claim = _locked(office, claim)
        _ensure_draft(claim)
        if claim.scheme.kind != Kind.EXPENSES:
            raise ValidationError(_("Denne ordningen gir tilskudd etter sats, ikke utgifter."))
        errors = {}
        if not claim.year_start <= day <= claim.year_end:
            errors["day"] = _("Datoen må ligge i tilskuddsåret (%(from)s–%(to)s).") % {
                "from": short_date(claim.year_start),
                "to": short_date(claim.year_end),
            }
        elif day > clock.today():
            errors["day"] = _("Datoen kan ikke være i fremtiden: legg inn utgifter som er betalt.")
        if amount is None or amount <= 0:
            errors["amount"] = _("Beløpet må være større enn 0 kr.")
        if receipt is None:
            errors["receipt"] = _("Last opp kvitteringen (PDF, PNG eller JPG).")
        elif receipt.size > MAX_RECEIPT_BYTES:
            errors["receipt"] = _("Kvitteringen er for stor (høyst 10 MB).")
        else:
            try:
                kind = validate_content(receipt, RECEIPT_KINDS, what=_("Kvitteringen"))
            except ValidationError as error:
                errors["receipt"] = error.messages[0]
        if errors:
            raise ValidationError(errors)
        line = ExpenseLine(
            office=office,
            claim=claim,
            category=category,
            day=day,
            amount=amount,
            description=description.strip(),
            covered_by_fund=covered_by_fund,
            receipt_name=(getattr(receipt, "name", "") or "kvittering")[:200],
            receipt_kind=kind,
            created_by=acting_user,
        )
        line.receipt.save(f"{kind}", receipt, save=False)
        line.full_clean()
        line.save()
    return line


@transaction.atomic
def expense_delete(*, office: Office, acting_user: User | None, expense: ExpenseLine) -> None:
    with scope(office=office):
        claim = _locked(office, expense.claim)
        _ensure_draft(claim)
        expense.receipt.delete(save=False)
        expense.delete()


@transaction.atomic
def claim_submit(*, office: Office, acting_user: User | None, claim: Claim) -> Claim:
    """Send the claim in: what the rules give (and the municipal share) is fixed now."""
    with scope(office=office):
        claim = _locked(office, claim)
        _ensure_draft(claim)
        today = clock.today()
        if not selectors.year_is_over(claim, today):
            # Grants are paid in arrears, one claim per ALIS-year: what is claimed is fixed when
            # the claim is sent in, so only a finished year can be claimed.
            raise ValidationError(
                _(
                    "Tilskuddet betales etterskuddsvis: kravet kan sendes inn når tilskuddsåret "
                    "er slutt, fra %(day)s."
                )
                % {"day": short_date(claim.year_end + timedelta(days=1))}
            )
        result = selectors.claim_result(claim, today)
        if claim.scheme.kind == Kind.EXPENSES and not result.expenses:
            raise ValidationError(_("Legg inn minst én utgift med kvittering før du sender inn."))
        if result.amount <= 0:
            raise ValidationError(
                _("Kravet gir 0 kr etter reglene i ordningen. Se månedene som ikke teller.")
            )
        claim.claimed_amount = result.amount
        claim.share_amount = result.municipal_share
        claim.status = ClaimStatus.SUBMITTED
        claim.submitted_at = clock.now()
        claim.submitted_by = acting_user
        claim.save()
    return claim


@transaction.atomic
def claim_decide(
    *,
    office: Office,
    acting_user: User | None,
    claim: Claim,
    approved_amount: Decimal,
    reason: str = "",
) -> Claim:
    """Approve the claim in full, or in part with a reason."""
    with scope(office=office):
        claim = _locked(office, claim)
        if claim.status != ClaimStatus.SUBMITTED:
            raise ValidationError(_("Bare innsendte krav kan godkjennes."))
        if approved_amount is None or approved_amount < 0:
            raise ValidationError({"approved_amount": _("Oppgi et beløp på 0 kr eller mer.")})
        if approved_amount > claim.claimed_amount:
            raise ValidationError(
                {"approved_amount": _("Du kan ikke godkjenne mer enn det som er krevd.")}
            )
        partly = approved_amount < claim.claimed_amount
        if partly and not reason.strip():
            raise ValidationError({"reason": _("Skriv hvorfor kravet bare godkjennes delvis.")})
        claim.approved_amount = approved_amount
        claim.decision_reason = reason.strip()
        claim.status = ClaimStatus.PARTLY_APPROVED if partly else ClaimStatus.APPROVED
        claim.decided_at = clock.now()
        claim.decided_by = acting_user
        claim.save()
    return claim


@transaction.atomic
def claim_mark_paid(
    *, office: Office, acting_user: User | None, claim: Claim, paid_on: date
) -> Claim:
    with scope(office=office):
        claim = _locked(office, claim)
        if claim.status not in DECIDED:
            raise ValidationError(_("Bare godkjente krav kan registreres som utbetalt."))
        if paid_on > clock.today():
            raise ValidationError({"paid_on": _("Utbetalingsdatoen kan ikke være i fremtiden.")})
        claim.status = ClaimStatus.PAID
        claim.paid_on = paid_on
        claim.save()
    return claim


# --- The municipal share ------------------------------------------------------------------------


@transaction.atomic
def invoice_profile_save(*, office: Office, acting_user: User | None, **fields) -> InvoiceProfile:
    with scope(office=office):
        profile = InvoiceProfile.objects.filter(office=office).first() or InvoiceProfile(
            office=office
        )
        for name, value in fields.items():
            setattr(profile, name, value.strip() if isinstance(value, str) else value)
        profile.full_clean()
        profile.save()
    return profile


def _next_number(office: Office, year: int) -> str:
    prefix = f"ALIS-{office.slug.upper()}-{year}-"
    numbers = ShareInvoice.objects.filter(office=office, number__startswith=prefix).values_list(
        "number", flat=True
    )
    last = max((int(n.removeprefix(prefix)) for n in numbers), default=0)
    return f"{prefix}{last + 1:04d}"


@transaction.atomic
def invoice_create(*, office: Office, acting_user: User | None, claim: Claim) -> ShareInvoice:
    """Invoice the municipality for the claim's municipal share (once per claim)."""
    with scope(office=office):
        claim = _locked(office, claim)
        if claim.status == ClaimStatus.DRAFT:
            raise ValidationError(_("Send inn kravet før den kommunale andelen faktureres."))
        if not claim.share_amount:
            raise ValidationError(_("Ordningen har ingen kommunal andel for dette kravet."))
        if ShareInvoice.objects.filter(office=office, claim=claim).exists():
            raise ValidationError(_("Den kommunale andelen er allerede fakturert."))
        profile = InvoiceProfile.objects.filter(office=office).first()
        if profile is None:
            raise ValidationError(
                _("Fyll ut fakturaoppsettet (organisasjonsnummer og konto) først.")
            )
        today = clock.today()
        # Serialise numbering per office: lock the office's profile row.
        InvoiceProfile.objects.select_for_update().get(pk=profile.pk)
        invoice = ShareInvoice(
            office=office,
            claim=claim,
            municipality=claim.municipality,
            number=_next_number(office, today.year),
            amount=claim.share_amount,
            issued_on=today,
            due_on=today + timedelta(days=profile.payment_days),
            created_by=acting_user,
        )
        invoice.full_clean()
        invoice.save()
    return invoice


@transaction.atomic
def invoice_record_payment(
    *,
    office: Office,
    acting_user: User | None,
    invoice: ShareInvoice,
    paid_on: date,
    paid_amount: Decimal,
) -> ShareInvoice:
    with scope(office=office):
        ensure_same_office(office, invoice)
        invoice = ShareInvoice.objects.select_for_update().get(pk=invoice.pk, office=office)
        if invoice.is_paid:
            raise ValidationError(_("Innbetalingen er allerede registrert."))
        if paid_on > clock.today():
            raise ValidationError({"paid_on": _("Betalingsdatoen kan ikke være i fremtiden.")})
        if paid_amount is None or paid_amount <= 0:
            raise ValidationError({"paid_amount": _("Oppgi beløpet som er betalt.")})
        invoice.paid_on = paid_on
        invoice.paid_amount = paid_amount
        invoice.save()
    return invoice


# --- The yearly settlement ----------------------------------------------------------------------


@transaction.atomic
def settlement_report(
    *, office: Office, acting_user: User | None, scheme: Scheme, year: int
) -> Settlement:
    """Report the grant year to the auditor: the paid claims, with their totals frozen."""
    _ensure_scheme_of(office, scheme)
    with scope(office=office):
        data = selectors.settlement_data(office, scheme, year)
        if data.settlement is not None:
            raise ValidationError(_("Året er allerede rapportert til revisor."))
        if data.year_end >= clock.today():
            raise ValidationError(
                _(
                    "Tilskuddsåret %(start)s–%(end)s er ikke slutt ennå. Året kan rapporteres "
                    "til revisor fra %(day)s."
                )
                % {
                    "start": short_date(data.year_start),
                    "end": short_date(data.year_end),
                    "day": short_date(data.year_end + timedelta(days=1)),
                }
            )
        if not data.claims:
            raise ValidationError(_("Ingen utbetalte krav å rapportere for dette året."))
        settlement = Settlement.objects.create(
            office=office,
            scheme=scheme,
            year_start=data.year_start,
            year_end=data.year_end,
            claim_count=len(data.claims),
            claimed_total=data.totals["claimed"],
            approved_total=data.totals["approved"],
            share_total=data.totals["share"],
            reported_at=clock.now(),
            reported_by=acting_user,
        )
        for claim in data.claims:
            claim.settlement = settlement
            claim.status = ClaimStatus.REPORTED
            claim.save(update_fields=["settlement", "status"])
    return settlement
