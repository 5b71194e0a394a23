"""Office pages of the doctor's record. Mounted under /<office_slug>/ by alis/urls.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("lege/mappe/", views.my_record, name="my_training_record"),
    path("lege/mappe/soknadspakke/", views.package_create, name="package_create"),
    path(
        "lege/mappe/soknadspakke/<int:package_id>/fremdrift/",
        views.package_progress,
        name="package_progress",
    ),
    path("lege/mappe/soknadspakke/<int:package_id>.pdf", views.package_pdf, name="package_pdf"),
    path("lege/mappe/soknadspakke/<int:package_id>.json", views.package_json, name="package_json"),
    path("lege/mappe/mine-data.zip", views.own_data_download, name="own_data_download"),
    path("lege/mappe/retting/", views.correction_create, name="correction_create"),
    path("leger/<int:trainee_id>/mappe/", views.trainee_record_view, name="trainee_record"),
    path("rettinger/", views.corrections, name="corrections"),
    path("rettinger/<int:correction_id>/", views.correction_answer, name="correction_answer"),
]
