"""Office pages for recruitment rounds (under /<office_slug>/opptak/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("opptak/", views.round_list, name="intake_round_list"),
    path("opptak/ny/", views.round_create, name="intake_round_create"),
    path("opptak/<int:round_id>/", views.round_detail, name="intake_round_detail"),
    path("opptak/<int:round_id>/rediger/", views.round_edit, name="intake_round_edit"),
    path("opptak/<int:round_id>/inviter/", views.round_invite, name="intake_round_invite"),
    path("opptak/<int:round_id>/brev/", views.invitation_letters, name="intake_letters"),
    path("opptak/<int:round_id>/lukk/", views.round_close, name="intake_round_close"),
    path("opptak/<int:round_id>/sok/", views.application_create, name="intake_apply"),
    path("opptak/<int:round_id>/vurdering/", views.assessment, name="intake_assessment"),
    path("opptak/<int:round_id>/vedtak/", views.decision, name="intake_decision"),
    path("opptak/<int:round_id>/excel/", views.round_xlsx, name="intake_round_xlsx"),
    path(
        "opptak/soknad/<int:application_id>/",
        views.application_detail,
        name="intake_application_detail",
    ),
    path(
        "opptak/soknad/<int:application_id>/rediger/",
        views.application_edit,
        name="intake_application_edit",
    ),
    path(
        "opptak/soknad/<int:application_id>/send/",
        views.application_submit,
        name="intake_application_submit",
    ),
    path(
        "opptak/soknad/<int:application_id>/poeng/",
        views.application_score,
        name="intake_application_score",
    ),
    path(
        "opptak/soknad/<int:application_id>/brev/",
        views.decision_letter,
        name="intake_decision_letter",
    ),
    path(
        "opptak/soknad/<int:application_id>/samarbeid/",
        views.application_partner,
        name="intake_application_partner",
    ),
    path(
        "opptak/soknad/<int:application_id>/slett/",
        views.application_delete,
        name="intake_application_delete",
    ),
    path(
        "opptak/soknad/<int:application_id>/kontoret/",
        views.application_office,
        name="intake_application_office",
    ),
    path("opptak/tilbud/<int:offer_id>/svar/", views.offer_answer, name="intake_offer_answer"),
    path("opptak/tilbud/<int:offer_id>/registrer/", views.offer_record, name="intake_offer_record"),
]
