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
    path("veiledning/", trainee_views.supervisor_home, name="supervisor_home"),
    path("leger/", trainee_views.trainee_list, name="trainee_list"),
    path("leger/ny/", trainee_views.trainee_create, name="trainee_create"),
    path("leger/tidligere/", trainee_views.former_trainees, name="former_trainees"),
    path("leger/<int:trainee_id>/", trainee_views.trainee_detail, name="trainee_detail"),
    path("leger/<int:trainee_id>/endre/", trainee_views.trainee_edit, name="trainee_edit"),
    path(
        "leger/<int:trainee_id>/overfor/", trainee_views.trainee_transfer, name="trainee_transfer"
    ),
    path("leger/<int:trainee_id>/perioder/ny/", trainee_views.period_create, name="period_create"),
    path(
        "leger/<int:trainee_id>/perioder/<int:period_id>/",
        trainee_views.period_edit,
        name="period_edit",
    ),
    path(
        "leger/<int:trainee_id>/perioder/<int:period_id>/slett/",
        trainee_views.period_delete,
        name="period_delete",
    ),
    path(
        "leger/<int:trainee_id>/veiledning/ny/",
        trainee_views.assignment_create,
        name="assignment_create",
    ),
    path(
        "leger/<int:trainee_id>/veiledning/<int:assignment_id>/avslutt/",
        trainee_views.assignment_end,
        name="assignment_end",
    ),
    path("lege/", trainee_views.my_record, name="my_record"),
    path("lege/kontakt/", trainee_views.my_contact, name="my_contact"),
    path("veilederpool/", trainee_views.pool_list, name="pool_list"),
    path("veilederpool/ny/", trainee_views.pool_create, name="pool_create"),
    path("veilederpool/<int:supervisor_id>/", trainee_views.pool_edit, name="pool_edit"),
    path("veilederpool/kapasitet/", trainee_views.capacity, name="capacity"),
    path("veiledningsgrupper/", trainee_views.group_list, name="group_list"),
    path("veiledningsgrupper/ny/", trainee_views.group_create, name="group_create"),
    path("veiledningsgrupper/<int:group_id>/", trainee_views.group_edit, name="group_edit"),
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
