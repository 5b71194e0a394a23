"""Office pages for goal progress, sign-off, approval and confirmations of achieved goals.

Mounted under /<office_slug>/ by alis/urls.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("framdrift/", views.my_progress, name="my_progress"),
    path("framdrift/aktivitet/ny/", views.activity_create, name="activity_create"),
    path("framdrift/maal/<int:goal_id>/", views.my_goal, name="my_goal"),
    path("framdrift/eksport.csv", views.export_csv, name="progress_export_csv"),
    path("framdrift/eksport.xlsx", views.export_xlsx, name="progress_export_xlsx"),
    path("framdrift/oversikt/", views.overview, name="progress_overview"),
    path("signering/", views.sign_queue, name="sign_queue"),
    path("signering/maal/<int:progress_id>/", views.advise, name="goal_advise"),
    path("signering/lenke/<str:token>/", views.digest_link, name="progress_digest_link"),
    path("godkjenning/", views.approval_queue, name="approval_queue"),
    path("godkjenning/<int:progress_id>/", views.approval_detail, name="approval_detail"),
    path(
        "leger/<int:trainee_id>/framdrift/",
        views.trainee_progress,
        name="trainee_progress",
    ),
]
