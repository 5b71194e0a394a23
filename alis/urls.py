from django.contrib import admin
from django.urls import include, path

from accounts import views as account_views
from municipalities import views as municipality_views
from offices import views as office_views
from plans import views as plan_views
from trainees import views as trainee_views

from . import views

# Pages of one office: /<office_slug>/… (OfficeScopeMiddleware scopes them).
office_patterns = [
    path("", office_views.dashboard, name="office_dashboard"),
    path("kommuner/<str:number>/", municipality_views.detail, name="municipality_detail"),
    path(
        "kommuner/<str:number>/utdanningsplan/",
        municipality_views.plan_versions,
        name="education_plan_versions",
    ),
    path(
        "kommuner/<str:number>/utdanningsplan/endre/",
        municipality_views.plan_edit,
        name="education_plan_edit",
    ),
    path(
        "kommuner/<str:number>/utdanningsplan/<int:version>/",
        municipality_views.plan_version,
        name="education_plan_version",
    ),
    path(
        "kommuner/<str:number>/samarbeidsavtaler/ny/",
        municipality_views.agreement_create,
        name="cooperation_agreement_create",
    ),
    path(
        "kommuner/<str:number>/samarbeidsavtaler/<int:agreement_id>/dokument/",
        municipality_views.agreement_document,
        name="cooperation_agreement_document",
    ),
    path(
        "registreringer/", municipality_views.unit_registration_list, name="unit_registration_list"
    ),
    path(
        "registreringer/<int:registration_id>/",
        municipality_views.unit_registration_detail,
        name="unit_registration_detail",
    ),
    path("invitasjoner/", account_views.invite, name="invite"),
    path("min-plan/", plan_views.my_plan, name="my_plan"),
    path("veiledning/", trainee_views.supervisor_home, name="supervisor_home"),
]

urlpatterns = [
    path("", views.front, name="front"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("konto/", include("allauth.urls")),
    path("hjem/", account_views.home, name="home"),
    path("invitasjon/<str:token>/", account_views.invitation_accept_view, name="invitation_accept"),
    path("registrering/", municipality_views.unit_registration, name="unit_registration"),
    path("<slug:office_slug>/", include(office_patterns)),
]

handler404 = "alis.errors.not_found"
handler403 = "alis.errors.forbidden"
