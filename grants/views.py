"""Office pages for grants (under /<office_slug>/tilskudd/). Every view declares its permission;
rows are fetched by office (another office's ids are 404) before any method check."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.access import office_permission
from audit.models import SecurityEvent
from audit.services import log_event, log_export, log_read
from offices import clock
from offices.forms import run_action, run_service
from offices.pdf import RenderLimitError

from . import selectors, services
from .exports import invoice_pdf, settlement_pdf, settlement_workbook
from .forms import (
    ClaimCreateForm,
    DecisionForm,
    ExpenseForm,
    InvoiceProfileForm,
    PaidForm,
    PaymentForm,
)
from .models import ClaimStatus

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A receipt's content type and file extension by the kind its content was checked to be.
RECEIPT_TYPES = {
    "pdf": ("application/pdf", "pdf"),
    "png": ("image/png", "png"),
    "jpeg": ("image/jpeg", "jpg"),
}


def _can_see(request, claim) -> bool:
    access = request.access
    if access.can("grant.view_claim", claim.municipality):
        return True
    return (
        access.can("grant.view_own", claim.municipality)
        and claim.trainee.user_id is not None
        and claim.trainee.user_id == request.user.pk
    )


def _visible_claim(request, claim_id):
    claim = selectors.claim_get(request.office, claim_id)
    if not _can_see(request, claim):
        raise PermissionDenied
    return claim


def _editable_claim(request, claim_id):
    claim = selectors.claim_get(request.office, claim_id)
    if not request.access.can("grant.edit_claim", claim.municipality):
        raise PermissionDenied
    return claim


def _post_only(request):
    return None if request.method == "POST" else HttpResponseNotAllowed(["POST"])


# The overview's filter for unpaid invoices past their due date (the inbox card links it).
OVERDUE = "forfalt"
# The overview's filter of claims by where they stand (the inbox cards link them): sent in and
# waiting for a decision, or drafts not yet sent.
CLAIMS, SUBMITTED, UNSENT = "krav", "sendt", "ikke-sendt"


@office_permission("grant.view")
def grant_overview(request, office_slug):
    access, office, today = request.access, request.office, clock.today()
    if request.GET.get(OVERDUE) == "1" and access.can("grant.decide"):
        # Only the overdue invoices, by the inbox card's own rule.
        context = {"invoices": selectors.overdue_invoices(office, today), "overdue_only": True}
        return render(request, "grants/overview.html", {**context, "today": today})
    claims_filter = request.GET.get(CLAIMS, "")
    if claims_filter == SUBMITTED and access.can("grant.decide"):
        # Only the claims waiting for a decision, by the inbox card's own rule.
        context = {"claims": selectors.claims_to_decide(office), "claims_filter": claims_filter}
        return render(request, "grants/overview.html", {**context, "today": today})
    if claims_filter == UNSENT and access.can("grant.edit_claim"):
        ids = access.visible_municipality_ids("grant.edit_claim")
        context = {"claims": selectors.claims_unsent(office, ids), "claims_filter": claims_filter}
        return render(request, "grants/overview.html", {**context, "today": today})
    if access.can("grant.view_claim"):
        claims = selectors.claims_for_office(
            office, municipality_ids=access.visible_municipality_ids("grant.view_claim")
        )
    else:
        claims = selectors.claims_for_office(office, user=request.user)
    context = {
        "schemes": selectors.schemes(office),
        "claims": claims,
        "years": selectors.settlement_years(office) if access.can("grant.settle") else [],
        "invoices": selectors.invoices_for_office(office) if access.can("grant.decide") else [],
        "today": today,
    }
    return render(request, "grants/overview.html", context)


@office_permission("grant.edit_claim")
def claim_create(request, office_slug):
    ids = request.access.visible_municipality_ids("grant.edit_claim")
    form = ClaimCreateForm(
        request.POST or None,
        trainees=selectors.trainees_for_claims(request.office, ids),
        schemes=selectors.schemes(request.office),
    )
    if request.method == "POST" and form.is_valid():
        saved, claim = run_service(
            form,
            lambda: services.claim_create(
                office=request.office, acting_user=request.user, **form.cleaned_data
            ),
        )
        if saved:
            messages.success(request, _("Kravet er lagret som utkast."))
            return redirect("grant_claim_detail", office_slug, claim.pk)
    return render(request, "grants/claim_form.html", {"form": form})


def _detail(
    request,
    claim,
    *,
    expense_form=None,
    decision_form=None,
    paid_form=None,
    payment_form=None,
    status=200,
):
    access = request.access
    today = clock.today()
    result = selectors.claim_result(claim, today)
    can_edit = claim.is_draft and access.can("grant.edit_claim", claim.municipality)
    can_decide = access.can("grant.decide")
    if can_edit and expense_form is None and claim.scheme.kind == "utgifter":
        expense_form = ExpenseForm()
    if can_decide and claim.status == ClaimStatus.SUBMITTED and decision_form is None:
        decision_form = DecisionForm(initial={"approved_amount": claim.claimed_amount})
    expenses = {e.pk: e for e in selectors.expenses_for_claim(claim)}
    context = {
        "claim": claim,
        "result": result,
        "expense_rows": [(expenses[r.expense.key], r) for r in result.expenses],
        "expense_form": expense_form if can_edit else None,
        "decision_form": decision_form if can_decide else None,
        "paid_form": (paid_form or PaidForm(initial={"paid_on": today})) if can_decide else None,
        "can_edit": can_edit,
        "can_decide": can_decide,
        "invoice": selectors.invoice_for_claim(claim),
        "payment_form": (
            (payment_form or PaymentForm(initial={"paid_on": today})) if can_decide else None
        ),
        "can_see_invoice": access.can("grant.view_claim", claim.municipality),
        "year_over": selectors.year_is_over(claim, today),
        "today": today,
    }
    return render(request, "grants/claim_detail.html", context, status=status)


@office_permission("grant.view")
def claim_detail(request, office_slug, claim_id):
    claim = _visible_claim(request, claim_id)
    log_read(request, claim.trainee, f"tilskuddskrav {claim.pk}")
    return _detail(request, claim)


@office_permission("grant.edit_claim")
def expense_add(request, office_slug, claim_id):
    claim = _editable_claim(request, claim_id)
    if (refused := _post_only(request)) is not None:
        return refused
    if not claim.is_draft:
        messages.error(request, _("Kravet er sendt inn og kan ikke endres."))
        return redirect("grant_claim_detail", office_slug, claim.pk)
    form = ExpenseForm(request.POST, request.FILES)
    if form.is_valid():
        saved, _line = run_service(
            form,
            lambda: services.expense_add(
                office=request.office, acting_user=request.user, claim=claim, **form.cleaned_data
            ),
        )
        if saved:
            messages.success(request, _("Utgiften er lagt til."))
            return redirect("grant_claim_detail", office_slug, claim.pk)
    return _detail(request, claim, expense_form=form, status=200)


@office_permission("grant.edit_claim")
def expense_delete(request, office_slug, claim_id, expense_id):
    claim = _editable_claim(request, claim_id)
    expense = selectors.expense_get(request.office, claim, expense_id)
    if (refused := _post_only(request)) is not None:
        return refused
    run_action(
        request,
        lambda: services.expense_delete(
            office=request.office, acting_user=request.user, expense=expense
        ),
        _("Utgiften er fjernet."),
    )
    return redirect("grant_claim_detail", office_slug, claim.pk)


@office_permission("grant.view")
def expense_receipt(request, office_slug, claim_id, expense_id):
    claim = _visible_claim(request, claim_id)
    expense = selectors.expense_get(request.office, claim, expense_id)
    # Served under a name of our own with the extension of the checked content, never the
    # uploader's name (which could say .html), and always as a download.
    content_type, extension = RECEIPT_TYPES.get(
        expense.receipt_kind, ("application/octet-stream", "bin")
    )
    what = f"kvittering {expense.pk} på tilskuddskrav {claim.pk}"
    log_read(request, claim.trainee, what)
    log_export(request, what, subject=claim.trainee)
    return FileResponse(
        expense.receipt.open("rb"),
        as_attachment=True,
        content_type=content_type,
        filename=f"kvittering-{claim.pk}-{expense.pk}.{extension}",
    )


@office_permission("grant.edit_claim")
def claim_submit(request, office_slug, claim_id):
    claim = _editable_claim(request, claim_id)
    if (refused := _post_only(request)) is not None:
        return refused
    run_action(
        request,
        lambda: services.claim_submit(office=request.office, acting_user=request.user, claim=claim),
        _("Kravet er sendt inn til ALIS-kontoret."),
    )
    return redirect("grant_claim_detail", office_slug, claim.pk)


def _claim_form(request, claim_id, form_class, service, done: str, context_key: str):
    """A coordinator's form on a claim (decision, payment): the service on a valid POST, else
    the claim page again with the form as the user filled it in."""
    claim = selectors.claim_get(request.office, claim_id)
    if (refused := _post_only(request)) is not None:
        return refused
    form = form_class(request.POST)
    if form.is_valid():
        saved, _unused = run_service(
            form,
            lambda: service(
                office=request.office, acting_user=request.user, claim=claim, **form.cleaned_data
            ),
        )
        if saved:
            messages.success(request, done)
            return redirect("grant_claim_detail", request.office.slug, claim.pk)
    return _detail(request, claim, **{context_key: form})


@office_permission("grant.decide")
def claim_decide(request, office_slug, claim_id):
    return _claim_form(
        request,
        claim_id,
        DecisionForm,
        services.claim_decide,
        _("Vedtaket er lagret."),
        "decision_form",
    )


@office_permission("grant.decide")
def claim_paid(request, office_slug, claim_id):
    return _claim_form(
        request,
        claim_id,
        PaidForm,
        services.claim_mark_paid,
        _("Kravet er registrert som utbetalt."),
        "paid_form",
    )


@office_permission("grant.decide")
def invoice_create(request, office_slug, claim_id):
    claim = selectors.claim_get(request.office, claim_id)
    if (refused := _post_only(request)) is not None:
        return refused
    run_action(
        request,
        lambda: services.invoice_create(
            office=request.office, acting_user=request.user, claim=claim
        ),
        _("Fakturaen for den kommunale andelen er laget."),
    )
    return redirect("grant_claim_detail", office_slug, claim.pk)


@office_permission("grant.view_claim")
def invoice_pdf_view(request, office_slug, invoice_id):
    invoice = selectors.invoice_get(request.office, invoice_id)
    if not request.access.can("grant.view_claim", invoice.municipality):
        raise PermissionDenied
    try:
        pdf = invoice_pdf(invoice, selectors.invoice_profile(request.office))
    except RenderLimitError as error:
        messages.error(request, _("PDF-en kan ikke lages: %(error)s") % {"error": error})
        return redirect("grant_claim_detail", office_slug, invoice.claim_id)
    what = f"faktura {invoice.number} for tilskuddskrav {invoice.claim_id} (PDF)"
    log_read(request, invoice.claim.trainee, what)
    log_export(request, what, subject=invoice.claim.trainee)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="faktura-{invoice.number}.pdf"'
    return response


@office_permission("grant.decide")
def invoice_payment(request, office_slug, invoice_id):
    invoice = selectors.invoice_get(request.office, invoice_id)
    if (refused := _post_only(request)) is not None:
        return refused
    form = PaymentForm(request.POST)
    if form.is_valid():
        saved, _unused = run_service(
            form,
            lambda: services.invoice_record_payment(
                office=request.office,
                acting_user=request.user,
                invoice=invoice,
                **form.cleaned_data,
            ),
        )
        if saved:
            messages.success(request, _("Innbetalingen er registrert."))
            return redirect("grant_claim_detail", office_slug, invoice.claim_id)
    return _detail(
        request, selectors.claim_get(request.office, invoice.claim_id), payment_form=form
    )


@office_permission("grant.decide")
def invoice_profile(request, office_slug):
    form = InvoiceProfileForm(
        request.POST or None, instance=selectors.invoice_profile(request.office)
    )
    if request.method == "POST" and form.is_valid():
        saved, _unused = run_service(
            form,
            lambda: services.invoice_profile_save(
                office=request.office, acting_user=request.user, **form.cleaned_data
            ),
        )
        if saved:
            messages.success(request, _("Fakturaoppsettet er lagret."))
            return redirect("grant_overview", office_slug)
    return render(request, "grants/invoice_profile.html", {"form": form})


def _settlement(request, scheme_id, year):
    scheme = selectors.scheme_get(request.office, scheme_id)
    return selectors.settlement_data(request.office, scheme, year)


@office_permission("grant.settle")
def settlement_detail(request, office_slug, scheme_id, year):
    data = _settlement(request, scheme_id, year)
    context = {"data": data, "year": year, "year_over": data.year_end < clock.today()}
    return render(request, "grants/settlement.html", context)


def _log_export(request, data, what: str) -> None:
    log_event(
        kind=SecurityEvent.Kind.EXPORT,
        request=request,
        user=request.user,
        detail=f"Årsoppgjør tilskudd ({what}): {data.scheme.name} {data.year_start:%Y}",
    )


@office_permission("grant.settle")
def settlement_xlsx(request, office_slug, scheme_id, year):
    data = _settlement(request, scheme_id, year)
    content = settlement_workbook(request.office, data)
    _log_export(request, data, "xlsx")
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="arsoppgjor-{data.scheme.pk}-{data.year_start:%Y}.xlsx"'
    )
    return response


@office_permission("grant.settle")
def settlement_pdf_view(request, office_slug, scheme_id, year):
    data = _settlement(request, scheme_id, year)
    try:
        pdf = settlement_pdf(request.office, data)
    except RenderLimitError as error:
        messages.error(request, _("PDF-en kan ikke lages: %(error)s") % {"error": error})
        return redirect("grant_settlement", office_slug, scheme_id, year)
    _log_export(request, data, "PDF")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="arsoppgjor-{data.scheme.pk}-{data.year_start:%Y}.pdf"'
    )
    return response


@office_permission("grant.settle")
def settlement_report(request, office_slug, scheme_id, year):
    scheme = selectors.scheme_get(request.office, scheme_id)
    if (refused := _post_only(request)) is not None:
        return refused
    run_action(
        request,
        lambda: services.settlement_report(
            office=request.office, acting_user=request.user, scheme=scheme, year=year
        ),
        _("Året er rapportert til revisor. Kravene er merket som rapportert."),
    )
    return redirect("grant_settlement", office_slug, scheme_id, year)
