"""Office pages for confirmation PDFs.

Mounted under /<office_slug>/ by alis/urls.py."""

from django.urls import path

from . import views

urlpatterns = [
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
