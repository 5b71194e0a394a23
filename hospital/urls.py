"""Routes of the hospital period (mounted under /<office_slug>/ by alis.urls)."""

from django.urls import path

from . import views

urlpatterns = [
    path("sykehus/", views.overview, name="hospital_overview"),
    path("sykehus/helseforetak/", views.trusts, name="hospital_trusts"),
    path("sykehus/avtaler/", views.agreement_list, name="hospital_agreements"),
    path(
        "sykehus/avtaler/<int:trust_agreement_id>/",
        views.agreement_detail,
        name="hospital_agreement",
    ),
    path(
        "sykehus/avtaler/<int:trust_agreement_id>/dokument/",
        views.agreement_document,
        name="hospital_agreement_document",
    ),
    path("sykehus/kontakter/", views.contacts, name="hospital_contacts"),
    path("sykehus/moduler/", views.places, name="hospital_places"),
    path("sykehus/behov/", views.queue, name="hospital_queue"),
    path("sykehus/behov/<int:trainee_id>/bestill/", views.request_place, name="hospital_request"),
    path("sykehus/bestillinger/", views.bookings, name="hospital_bookings"),
    path("sykehus/bestillinger/<int:booking_id>/", views.booking_detail, name="hospital_booking"),
    path(
        "sykehus/bestillinger/<int:booking_id>/ta-imot/",
        views.booking_accept,
        name="hospital_booking_accept",
    ),
    path(
        "sykehus/bestillinger/<int:booking_id>/trekk/",
        views.booking_withdraw,
        name="hospital_booking_withdraw",
    ),
    path(
        "sykehus/bestillinger/<int:booking_id>/tjeneste/",
        views.booking_serve,
        name="hospital_booking_serve",
    ),
    path("sykehus/min/", views.my_hospital, name="hospital_mine"),
]
