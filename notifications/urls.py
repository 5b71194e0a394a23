"""Office pages for the reminder log.

Mounted under /<office_slug>/ by alis/urls.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("varsler/", views.outbox_log, name="outbox_log"),
    path("oversikt/status/", views.status_survey, name="status_survey"),
    path(
        "oversikt/status/<int:survey_id>/brev.pdf",
        views.status_survey_letters,
        name="status_survey_letters",
    ),
    path(
        "oversikt/status/<int:survey_id>/uten-leder.csv",
        views.status_survey_unreached_csv,
        name="status_survey_unreached_csv",
    ),
]

# Pages outside any office.
site_urlpatterns = [
    path("varslingsvalg/", views.preferences, name="notification_preferences"),
]
