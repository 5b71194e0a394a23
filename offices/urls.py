"""The office dashboard.

Mounted under /<office_slug>/ by alis/urls.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.dashboard, name="office_dashboard"),
]
