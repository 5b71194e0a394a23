"""Office pages for individual plans, requirements and the learning-goal catalogue.

Mounted under /<office_slug>/ by alis/urls.py."""

from django.urls import path

from . import views

urlpatterns = [
    path(
        "leger/<int:trainee_id>/veiledningslogg/",
        views.supervision_log,
        name="supervision_log",
    ),
    path(
        "leger/<int:trainee_id>/veiledningslogg/ny/",
        views.session_new,
        name="session_new",
    ),
    path("lege/veiledning/", views.my_supervision, name="my_supervision"),
    path("veiledningsoversikt/", views.compliance_overview, name="compliance_overview"),
    path("min-plan/", views.my_plan, name="my_plan"),
    path("min-plan/krav/", views.my_requirements, name="my_requirements"),
    path("min-plan/sammenlign/", views.my_plan_compare, name="my_plan_compare"),
    path(
        "min-plan/<int:plan_version>/bekreft/",
        views.my_plan_acknowledge,
        name="my_plan_acknowledge",
    ),
    path("planer/til-godkjenning/", views.plan_approval_queue, name="plan_approval_queue"),
    path("leger/<int:trainee_id>/plan/", views.plan_detail, name="plan_detail"),
    path("leger/<int:trainee_id>/hvor-star/", views.trainee_standing, name="trainee_standing"),
    path(
        "leger/<int:trainee_id>/plan/ny-versjon/",
        views.plan_version_new,
        name="plan_version_new",
    ),
    path(
        "leger/<int:trainee_id>/plan/sammenlign/",
        views.plan_compare_view,
        name="plan_compare",
    ),
    path(
        "leger/<int:trainee_id>/plan/<int:plan_version>/",
        views.plan_version_detail,
        name="plan_version_detail",
    ),
    path(
        "leger/<int:trainee_id>/plan/<int:plan_version>/godkjenn/",
        views.plan_version_approve_view,
        name="plan_version_approve",
    ),
    path("laeringsmaal/", views.catalogue_list, name="catalogue_list"),
    path("laeringsmaal/import/", views.catalogue_import, name="catalogue_import"),
    path(
        "laeringsmaal/import/<str:token>/",
        views.catalogue_import_preview,
        name="catalogue_import_preview",
    ),
    path("laeringsmaal/sammenlign/", views.catalogue_compare, name="catalogue_compare"),
    path("laeringsmaal/<int:catalogue_id>/", views.catalogue_detail, name="catalogue_detail"),
]
