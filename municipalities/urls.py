"""Office pages for municipalities, education units and their plans.

Mounted under /<office_slug>/ by alis/urls.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.dashboard, name="office_dashboard"),
    path("kommuner/<str:number>/", views.detail, name="municipality_detail"),
    path(
        "kommuner/<str:number>/profil/",
        views.profile_edit,
        name="municipality_profile",
    ),
    path("kommuner/<str:number>/kontakt/", views.contact_log, name="contact_log"),
    path(
        "kommuner/<str:number>/utdanningsplan/",
        views.plan_versions,
        name="education_plan_versions",
    ),
    path(
        "kommuner/<str:number>/utdanningsplan/endre/",
        views.plan_edit,
        name="education_plan_edit",
    ),
    path(
        "kommuner/<str:number>/utdanningsplan/<int:version>/",
        views.plan_version,
        name="education_plan_version",
    ),
    path(
        "kommuner/<str:number>/samarbeidsavtaler/ny/",
        views.agreement_create,
        name="cooperation_agreement_create",
    ),
    path(
        "kommuner/<str:number>/samarbeidsavtaler/<int:cooperation_id>/dokument/",
        views.agreement_document,
        name="cooperation_agreement_document",
    ),
    path("registreringer/", views.unit_registration_list, name="unit_registration_list"),
    path(
        "registreringer/<int:registration_id>/",
        views.unit_registration_detail,
        name="unit_registration_detail",
    ),
]

# Pages outside any office (a municipality registers as an education unit).
site_urlpatterns = [
    path("registrering/", views.unit_registration, name="unit_registration"),
]
