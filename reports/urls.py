"""Office pages for reports.

Mounted under /<office_slug>/ by alis/urls.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("rapporter/", views.report_list, name="report_list"),
    path("rapporter/ny/", views.report_create, name="report_create"),
    path("rapporter/nasjonal/", views.national_list, name="national_report_list"),
    path("rapporter/nasjonal/ny/", views.national_create, name="national_report_create"),
    path("rapporter/<int:report_id>/", views.report_detail, name="report_detail"),
    path(
        "rapporter/<int:report_id>/fremdrift/",
        views.report_progress,
        name="report_progress",
    ),
    path("rapporter/<int:report_id>/rapport.xlsx", views.report_xlsx, name="report_xlsx"),
    path("rapporter/<int:report_id>/rapport.pdf", views.report_pdf, name="report_pdf"),
]
