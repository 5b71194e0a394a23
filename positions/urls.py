"""Office pages for positions, medical offices and the positions overview.

Mounted under /<office_slug>/ by alis/urls.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("stillinger/", views.position_list, name="position_list"),
    path("stillinger/ny/", views.position_new, name="position_new"),
    path("stillinger/<int:position_id>/", views.position_detail, name="position_detail"),
    path("stillinger/<int:position_id>/endre/", views.position_edit, name="position_edit"),
    path(
        "stillinger/<int:position_id>/status/",
        views.position_status,
        name="position_status",
    ),
    path("legekontor/", views.medical_office_list, name="medical_office_list"),
    path(
        "legekontor/<int:medical_office_id>/endre/",
        views.medical_office_edit,
        name="medical_office_edit",
    ),
    path("oversikt/", views.overview, name="overview"),
    path("oversikt/eksport.xlsx", views.overview_export_xlsx, name="overview_export_xlsx"),
    path("oversikt/eksport.csv", views.overview_export_csv, name="overview_export_csv"),
    path("oversikt/regler/", views.rules_edit, name="position_rules"),
    path("oversikt/import/", views.overview_import, name="overview_import"),
    path(
        "oversikt/import/bekreft/",
        views.overview_import_confirm,
        name="overview_import_confirm",
    ),
    path(
        "oversikt/status/<int:survey_id>/<str:number>/",
        views.survey_answer,
        name="survey_answer",
    ),
]
