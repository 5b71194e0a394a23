"""Office pages for ALIS doctors, service periods, supervision, courses and the supervisor pool.

Mounted under /<office_slug>/ by alis/urls.py."""

from django.urls import path

from . import views

urlpatterns = [
    path(
        "veiledningsgrupper/<int:group_id>/moter/",
        views.group_meetings,
        name="group_meetings",
    ),
    path("veiledning/", views.supervisor_home, name="supervisor_home"),
    path("leger/", views.trainee_list, name="trainee_list"),
    path("leger/ny/", views.trainee_create, name="trainee_create"),
    path("leger/tidligere/", views.former_trainees, name="former_trainees"),
    path("leger/<int:trainee_id>/", views.trainee_detail, name="trainee_detail"),
    path("leger/<int:trainee_id>/endre/", views.trainee_edit, name="trainee_edit"),
    path("leger/<int:trainee_id>/overfor/", views.trainee_transfer, name="trainee_transfer"),
    path("overforinger/", views.transfer_list, name="transfer_list"),
    path("overforinger/<int:transfer_id>/", views.transfer_detail, name="transfer_detail"),
    path("leger/<int:trainee_id>/perioder/ny/", views.period_create, name="period_create"),
    path(
        "leger/<int:trainee_id>/perioder/<int:period_id>/",
        views.period_edit,
        name="period_edit",
    ),
    path(
        "leger/<int:trainee_id>/perioder/<int:period_id>/slett/",
        views.period_delete,
        name="period_delete",
    ),
    path(
        "leger/<int:trainee_id>/veiledning/ny/",
        views.assignment_create,
        name="assignment_create",
    ),
    path(
        "leger/<int:trainee_id>/veiledning/<int:assignment_id>/avslutt/",
        views.assignment_end,
        name="assignment_end",
    ),
    path("lege/", views.my_record, name="my_record"),
    path("lege/kurs/", views.my_courses, name="my_courses"),
    path("leger/<int:trainee_id>/kurs/", views.trainee_courses, name="trainee_courses"),
    path("lege/kontakt/", views.my_contact, name="my_contact"),
    path("veilederpool/", views.pool_list, name="pool_list"),
    path("veilederpool/ny/", views.pool_create, name="pool_create"),
    path("veilederpool/<int:supervisor_id>/", views.pool_edit, name="pool_edit"),
    path("veilederpool/kapasitet/", views.capacity, name="capacity"),
    path("veiledningsgrupper/", views.group_list, name="group_list"),
    path("veiledningsgrupper/ny/", views.group_create, name="group_create"),
    path("veiledningsgrupper/<int:group_id>/", views.group_edit, name="group_edit"),
]
