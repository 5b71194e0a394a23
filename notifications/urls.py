"""Office pages for the reminder log.

Mounted under /<office_slug>/ by alis/urls.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("varsler/", views.outbox_log, name="outbox_log"),
    path("oversikt/status/", views.status_survey, name="status_survey"),
]

# Pages outside any office.
site_urlpatterns = [
    path("varslingsvalg/", views.preferences, name="notification_preferences"),
]
