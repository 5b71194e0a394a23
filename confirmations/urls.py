"""Office pages for confirmation PDFs.

Mounted under /<office_slug>/ by alis/urls.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("framdrift/bekreftelser/", views.my_confirmations, name="my_confirmations"),
    path(
        "leger/<int:trainee_id>/bekreftelser/",
        views.trainee_confirmations,
        name="trainee_confirmations",
    ),
    path(
        "leger/<int:trainee_id>/tjenesteattester/<int:period_id>/",
        views.service_certificate_issue,
        name="service_certificate_issue",
    ),
    path(
        "bekreftelser/<int:confirmation_id>/status/",
        views.confirmation_status,
        name="confirmation_status",
    ),
    path(
        "bekreftelser/<int:confirmation_id>/tilbakekall/",
        views.confirmation_revoke,
        name="confirmation_revoke",
    ),
    path(
        "bekreftelser/<int:confirmation_id>/erstatt/",
        views.confirmation_supersede,
        name="confirmation_supersede",
    ),
    path(
        "kommuner/<str:number>/bekreftelser/utsted-alle/",
        views.confirmations_issue_all,
        name="confirmations_issue_all",
    ),
    path(
        "bekreftelser/<str:serial>.pdf",
        views.download,
        name="confirmation_download",
    ),
]

# Pages outside any office (anyone may verify a confirmation).
site_urlpatterns = [
    path("verify/", views.verify_start, name="verify_start"),
    path("verify/<str:code>", views.verify, name="verify"),
]
