"""Routes of the events app: the office pages (under /<office_slug>/, scoped by the middleware)
and the open pages under /arrangementer/ (a reserved first segment)."""

from django.urls import include, path

from . import views

office_patterns = [
    path("", views.event_list, name="event_list"),
    path("kalender/", views.calendar_feed_create, name="event_feed_create"),
    path("katalog/", views.catalogue, name="event_catalogue"),
    path("katalog/<int:activity_id>/kopier/", views.activity_copy, name="activity_copy"),
    path("ny/", views.event_create, name="event_create"),
    path("oversikt/", views.overview, name="event_overview"),
    path("oversikt/inviter/", views.invite, name="event_invite"),
    path("<int:event_id>/", views.event_detail, name="event_detail"),
    path("<int:event_id>/endre/", views.event_edit, name="event_edit"),
    path("<int:event_id>/meld-pa/", views.signup_self, name="event_signup"),
    path("<int:event_id>/meld-pa-lege/", views.signup_on_behalf, name="event_signup_on_behalf"),
    path("<int:event_id>/kalender.ics", views.event_calendar, name="event_calendar"),
    path("<int:event_id>/evaluering/", views.evaluate, name="event_evaluate"),
    path("<int:event_id>/oppmote/", views.attendance, name="event_attendance"),
    path("<int:event_id>/resultater/", views.evaluation_results, name="event_results"),
    path("pameldinger/<int:signup_id>/meld-av/", views.signup_cancel, name="event_signup_cancel"),
    path("pameldinger/<int:signup_id>/takk-ja/", views.offer_accept, name="event_offer_accept"),
]

public_patterns = [
    path("kontor/<slug:office>/", views.public_list, name="event_public_list"),
    path("bekreft/<str:token>/", views.public_verify, name="event_public_verify"),
    path("min/<str:token>/", views.public_manage, name="event_public_manage"),
    path("min/<str:token>/arrangement.ics", views.public_calendar, name="event_public_calendar"),
    path("kalender/<str:token>.ics", views.feed, name="event_feed"),
]

urlpatterns = [
    path("arrangementer/", include(public_patterns)),
    path("<slug:office_slug>/arrangementer/", include(office_patterns)),
]
