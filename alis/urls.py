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
    path("invitasjoner/", account_views.invite, name="invite"),
    path("min-plan/", plan_views.my_plan, name="my_plan"),
    path("min-plan/krav/", plan_views.my_requirements, name="my_requirements"),
    path("laeringsmaal/", plan_views.catalogue_list, name="catalogue_list"),
    path("laeringsmaal/import/", plan_views.catalogue_import, name="catalogue_import"),
    path(
        "laeringsmaal/import/<str:token>/",
        plan_views.catalogue_import_preview,
        name="catalogue_import_preview",
    ),
    path("laeringsmaal/sammenlign/", plan_views.catalogue_compare, name="catalogue_compare"),
    path("laeringsmaal/<int:catalogue_id>/", plan_views.catalogue_detail, name="catalogue_detail"),
    path("veiledning/", trainee_views.supervisor_home, name="supervisor_home"),
]

urlpatterns = [
    path("", views.front, name="front"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("konto/", include("allauth.urls")),
    path("hjem/", account_views.home, name="home"),
    path("invitasjon/<str:token>/", account_views.invitation_accept_view, name="invitation_accept"),
    path("<slug:office_slug>/", include(office_patterns)),
]

handler404 = "alis.errors.not_found"
handler403 = "alis.errors.forbidden"
