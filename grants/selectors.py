"""Reads for grants. Every query filters on the office explicitly (the request scope is the
second net) and fetches related rows up front."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from agreements.models import Agreement, AgreementStatus
from municipalities.models import MunicipalityProfile
from offices import clock
from trainees.models import ServicePeriod, SupervisionSession, Trainee

from .calculation import (
    AgreementTerms,
    AlisInput,
    ClaimResult,
    Expense,
    Period,
    Rule,
    SchemeTerms,
    compute,
    grant_year,
)
from .models import (
    Claim,
    ClaimStatus,
    EligibilityRule,
    ExpenseLine,
    InvoiceProfile,
    Scheme,
    Settlement,
    ShareInvoice,
)

# Agreements that are or were in force count for grants.
IN_FORCE = (AgreementStatus.SIGNED, AgreementStatus.SUPERSEDED)


def schemes(office) -> QuerySet[Scheme]:
    """The schemes the office may use: the national ones and its own regional ones."""
    return (
        Scheme.objects.filter(Q(office__isnull=True) | Q(office=office))
        .prefetch_related("rules")
        .order_by("valid_from", "name")
    )


def scheme_get(office, scheme_id: int) -> Scheme:
    """A scheme the office may use, or 404 (also another office's regional scheme)."""
    return get_object_or_404(schemes(office), pk=scheme_id)


def scheme_terms(scheme: Scheme) -> SchemeTerms:
    rules: list[EligibilityRule] = list(scheme.rules.all())
    return SchemeTerms(
        kind=scheme.kind,
        amount=scheme.amount,
        municipal_share=scheme.municipal_share,
        excludes_temp_agency=scheme.excludes_temp_agency,
        rules=tuple(
            Rule(
                kind=r.kind,
                values=r.value_list,
                number=r.number,
                valid_from=r.valid_from,
                valid_to=r.valid_to,
            )
            for r in rules
        ),
    )


def year_of(scheme: Scheme, year: int) -> tuple[date, date]:
    """The scheme's grant year that starts in calendar year `year`."""
    return grant_year(scheme.year_start_month, date(year, scheme.year_start_month, 1))


def trainees_for_claims(office, municipality_ids: set[int] | None) -> QuerySet[Trainee]:
    qs = Trainee.objects.filter(office=office).select_related("municipality")
    if municipality_ids is not None:
        qs = qs.filter(municipality_id__in=municipality_ids)
    return qs.order_by("last_name", "first_name")


def claims_for_office(
    office, *, municipality_ids: set[int] | None = None, user=None
) -> QuerySet[Claim]:
    """The office's claims; for leaders their municipalities', for a doctor their own."""
    qs = Claim.objects.filter(office=office).select_related(
        "scheme", "trainee", "municipality", "invoice"
    )
    if municipality_ids is not None:
        qs = qs.filter(municipality_id__in=municipality_ids)
    if user is not None:
        qs = qs.filter(trainee__user=user)
    return qs.order_by("-year_start", "scheme__name", "municipality__name", "trainee__last_name")


def claims_to_decide(office) -> QuerySet[Claim]:
    """Claims sent in and waiting for the office's decision (the coordinator's inbox card)."""
    return claims_for_office(office).filter(status=ClaimStatus.SUBMITTED)


def claims_unsent(office, municipality_ids: set[int] | None) -> QuerySet[Claim]:
    """Draft claims not yet sent to the office (the leader's inbox card)."""
    return claims_for_office(office, municipality_ids=municipality_ids).filter(
        status=ClaimStatus.DRAFT
    )


def claim_get(office, claim_id: int) -> Claim:
    """One claim of the office, or 404 (also when it belongs to another office)."""
    return get_object_or_404(
        Claim.objects.select_related(
            "scheme", "trainee", "municipality", "decided_by", "submitted_by", "settlement"
        ),
        office=office,
        pk=claim_id,
    )


def expenses_for_claim(claim: Claim) -> QuerySet[ExpenseLine]:
    return ExpenseLine.objects.filter(office=claim.office_id, claim=claim).order_by("day", "pk")


def expense_get(office, claim: Claim, expense_id: int) -> ExpenseLine:
    return get_object_or_404(ExpenseLine, office=office, claim=claim, pk=expense_id)


def invoice_for_claim(claim: Claim) -> ShareInvoice | None:
    return ShareInvoice.objects.filter(office=claim.office_id, claim=claim).first()


def invoice_get(office, invoice_id: int) -> ShareInvoice:
    return get_object_or_404(
        ShareInvoice.objects.select_related("claim__scheme", "claim__trainee", "municipality"),
        office=office,
        pk=invoice_id,
    )


def invoices_for_office(office, *, municipality_ids=None) -> QuerySet[ShareInvoice]:
    qs = ShareInvoice.objects.filter(office=office).select_related(
        "municipality", "claim__trainee", "claim__scheme"
    )
    if municipality_ids is not None:
        qs = qs.filter(municipality_id__in=municipality_ids)
    return qs.order_by("-issued_on", "-pk")


def overdue_invoices(office, today: date) -> QuerySet[ShareInvoice]:
    return invoices_for_office(office).filter(paid_on__isnull=True, due_on__lt=today)


def invoice_profile(office) -> InvoiceProfile | None:
    return InvoiceProfile.objects.filter(office=office).first()


def claim_input(claim: Claim) -> AlisInput:
    """The doctor's agreements, service, supervision and the claim's expenses as plain data."""
    office, trainee = claim.office_id, claim.trainee
    agreements = Agreement.objects.filter(
        office=office,
        trainee=trainee,
        status__in=IN_FORCE,
    ).order_by("signed_on")
    periods = ServicePeriod.objects.filter(office=office, trainee=trainee).order_by("start")
    supervised = SupervisionSession.objects.filter(
        office=office, trainee=trainee, day__gte=claim.year_start, day__lte=claim.year_end
    ).values_list("day", flat=True)
    profile = MunicipalityProfile.objects.filter(
        office=office, municipality=claim.municipality_id
    ).first()
    return AlisInput(
        agreements=tuple(
            AgreementTerms(
                start=a.start,
                end=a.end,
                signed_on=a.signed_on,
                percentage=a.percentage,
                employment_form=a.employment_form,
                temp_agency=a.hired_through_temp_agency,
            )
            for a in agreements
        ),
        periods=tuple(
            Period(start=p.start, end=p.end, percentage=p.percentage, is_leave=p.is_leave)
            for p in periods
        ),
        training_scheme=trainee.scheme,
        recruitment_trouble=bool(profile and profile.recruitment_trouble),
        supervised_months=frozenset(day.replace(day=1) for day in supervised),
        expenses=tuple(
            Expense(key=e.pk, day=e.day, amount=e.amount, covered_by_fund=e.covered_by_fund)
            for e in expenses_for_claim(claim)
        ),
    )


def counted_until(claim: Claim, today: date | None = None) -> date:
    """The last day a claim counts: the end of its grant year, or today while the year runs
    (months still to come are never counted)."""
    return min(claim.year_end, today or clock.today())


def year_is_over(claim: Claim, today: date | None = None) -> bool:
    return claim.year_end < (today or clock.today())


def claim_result(claim: Claim, today: date | None = None) -> ClaimResult:
    end = counted_until(claim, today)
    return compute(scheme_terms(claim.scheme), claim_input(claim), claim.year_start, end)


# --- The yearly settlement ----------------------------------------------------------------------

SETTLED = (ClaimStatus.PAID, ClaimStatus.REPORTED)


@dataclass
class SettlementData:
    scheme: Scheme
    year_start: date
    year_end: date
    claims: list[Claim]  # paid (or already reported): what the settlement reports
    open_claims: list[Claim]  # of the year, not paid yet: listed, not counted
    settlement: Settlement | None
    totals: dict[str, Decimal] = field(default_factory=dict)
    by_municipality: list[dict] = field(default_factory=list)


def settlement_data(office, scheme: Scheme, year: int) -> SettlementData:
    start, end = year_of(scheme, year)
    claims = list(
        Claim.objects.filter(office=office, scheme=scheme, year_start=start)
        .select_related("trainee", "municipality", "invoice")
        .order_by("municipality__name", "trainee__last_name", "trainee__first_name")
    )
    settled = [c for c in claims if c.status in SETTLED]
    zero = Decimal("0.00")
    totals = {
        "claimed": sum((c.claimed_amount for c in settled), zero),
        "approved": sum((c.approved_amount for c in settled), zero),
        "share": sum((c.share_amount for c in settled), zero),
        "share_paid": sum(
            (c.invoice.paid_amount or zero for c in settled if hasattr(c, "invoice")), zero
        ),
    }
    rows: dict[int, dict] = {}
    for c in settled:
        row = rows.setdefault(
            c.municipality_id,
            {"municipality": c.municipality, "count": 0, "approved": zero, "share": zero},
        )
        row["count"] += 1
        row["approved"] += c.approved_amount
        row["share"] += c.share_amount
    return SettlementData(
        scheme=scheme,
        year_start=start,
        year_end=end,
        claims=settled,
        open_claims=[c for c in claims if c.status not in SETTLED],
        settlement=Settlement.objects.filter(
            office=office, scheme=scheme, year_start=start
        ).first(),
        totals=totals,
        by_municipality=list(rows.values()),
    )


def settlement_years(office) -> list[tuple[Scheme, int]]:
    """(scheme, year) for every grant year the office has claims in, newest first."""
    seen = (
        Claim.objects.filter(office=office)
        .values_list("scheme_id", "year_start")
        .distinct()
        .order_by("-year_start", "scheme_id")
    )
    by_id = {s.pk: s for s in Scheme.objects.filter(pk__in={s for s, _ in seen})}
    return [(by_id[s], y.year) for s, y in seen]


def schemes_valid_in(start: date, end: date) -> QuerySet[Scheme]:
    return Scheme.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start)).filter(
        valid_from__lte=end
    )
