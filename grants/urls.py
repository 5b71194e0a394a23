"""Office pages for grants (under /<office_slug>/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("tilskudd/", views.grant_overview, name="grant_overview"),
    path("tilskudd/krav/ny/", views.claim_create, name="grant_claim_create"),
    path("tilskudd/krav/<int:claim_id>/", views.claim_detail, name="grant_claim_detail"),
    path("tilskudd/krav/<int:claim_id>/utgift/", views.expense_add, name="grant_expense_add"),
    path(
        "tilskudd/krav/<int:claim_id>/utgift/<int:expense_id>/kvittering/",
        views.expense_receipt,
        name="grant_expense_receipt",
    ),
    path(
        "tilskudd/krav/<int:claim_id>/utgift/<int:expense_id>/slett/",
        views.expense_delete,
        name="grant_expense_delete",
    ),
    path("tilskudd/krav/<int:claim_id>/send/", views.claim_submit, name="grant_claim_submit"),
    path("tilskudd/krav/<int:claim_id>/vedtak/", views.claim_decide, name="grant_claim_decide"),
    path("tilskudd/krav/<int:claim_id>/utbetalt/", views.claim_paid, name="grant_claim_paid"),
    path(
        "tilskudd/krav/<int:claim_id>/faktura/", views.invoice_create, name="grant_invoice_create"
    ),
    path(
        "tilskudd/faktura/<int:invoice_id>/pdf/", views.invoice_pdf_view, name="grant_invoice_pdf"
    ),
    path(
        "tilskudd/faktura/<int:invoice_id>/betalt/",
        views.invoice_payment,
        name="grant_invoice_payment",
    ),
    path("tilskudd/fakturaoppsett/", views.invoice_profile, name="grant_invoice_profile"),
    path(
        "tilskudd/oppgjor/<int:scheme_id>/<int:year>/",
        views.settlement_detail,
        name="grant_settlement",
    ),
    path(
        "tilskudd/oppgjor/<int:scheme_id>/<int:year>/excel/",
        views.settlement_xlsx,
        name="grant_settlement_xlsx",
    ),
    path(
        "tilskudd/oppgjor/<int:scheme_id>/<int:year>/pdf/",
        views.settlement_pdf_view,
        name="grant_settlement_pdf",
    ),
    path(
        "tilskudd/oppgjor/<int:scheme_id>/<int:year>/rapporter/",
        views.settlement_report,
        name="grant_settlement_report",
    ),
]
