"""Office pages of the read-access log. Mounted under /<office_slug>/ by alis/urls.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("lege/innsyn/", views.my_read_log, name="my_read_log"),
    path("innsynslogg/", views.read_log, name="read_log"),
    path("innsynslogg/eksport.csv", views.read_log_export, name="read_log_export"),
]
