"""Routes of the national workspace (office pages under /<office_slug>/nasjonalt/, mounted by
alis/urls.py) and of the open website (`site_urlpatterns`: /stillinger/, /rutiner/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("nasjonalt/", views.home, name="national_home"),
    path("nasjonalt/moter/", views.meeting_list, name="national_meetings"),
    path("nasjonalt/moter/ny/", views.meeting_create, name="national_meeting_create"),
    path("nasjonalt/moter/<int:meeting_id>/", views.meeting_detail, name="national_meeting"),
    path(
        "nasjonalt/moter/<int:meeting_id>/innkalling/",
        views.meeting_notice,
        name="national_meeting_notice",
    ),
    path(
        "nasjonalt/moter/<int:meeting_id>/referat/",
        views.meeting_minutes,
        name="national_meeting_minutes",
    ),
    path(
        "nasjonalt/moter/<int:meeting_id>/vedtak/", views.decision_add, name="national_decision_add"
    ),
    path(
        "nasjonalt/moter/<int:meeting_id>/oppfolging/",
        views.action_add,
        name="national_action_add",
    ),
    path(
        "nasjonalt/oppfolging/<int:action_id>/utfort/",
        views.action_done,
        name="national_action_done",
    ),
    path("nasjonalt/oppgaver/", views.task_list, name="national_tasks"),
    path("nasjonalt/oppgaver/ny/", views.task_create, name="national_task_create"),
    path("nasjonalt/oppgaver/<int:task_id>/", views.task_detail, name="national_task"),
    path("nasjonalt/rutiner/", views.routine_list, name="national_routines"),
    path("nasjonalt/rutiner/ny/", views.routine_create, name="national_routine_create"),
    path("nasjonalt/rutiner/<int:routine_id>/", views.routine_detail, name="national_routine"),
    path(
        "nasjonalt/rutiner/<int:routine_id>/ny-versjon/",
        views.routine_version_add,
        name="national_routine_version_add",
    ),
    path(
        "nasjonalt/rutiner/<int:routine_id>/versjoner/<int:version_id>/",
        views.routine_version_detail,
        name="national_routine_version",
    ),
    path(
        "nasjonalt/rutiner/<int:routine_id>/versjoner/<int:version_id>/godkjenn/",
        views.routine_version_approve,
        name="national_routine_version_approve",
    ),
    path(
        "nasjonalt/rutiner/<int:routine_id>/versjoner/<int:version_id>/vedlegg.pdf",
        views.routine_attachment,
        name="national_routine_attachment",
    ),
    path("nasjonalt/erfaringer/", views.experience, name="national_experience"),
    path("nasjonalt/utlysninger/", views.advertisement_list, name="national_advertisements"),
    path(
        "nasjonalt/utlysninger/<int:position_id>/",
        views.advertisement_edit,
        name="national_advertisement_edit",
    ),
]

site_urlpatterns = [
    path("stillinger/", views.public_positions, name="public_positions"),
    path("stillinger/feed.atom", views.positions_feed, name="public_positions_feed"),
    path("stillinger/stillinger.json", views.positions_json, name="public_positions_json"),
    path("stillinger/<int:position_id>/", views.public_position, name="public_position"),
    path("rutiner/", views.public_routines, name="public_routines"),
    path("rutiner/<int:routine_id>/", views.public_routine, name="public_routine"),
    path(
        "rutiner/<int:routine_id>/gjeldende.pdf",
        views.public_routine_attachment,
        name="public_routine_attachment",
    ),
]
