"""The work inbox: mounted under /<office_slug>/ by alis/urls.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("innboks/", views.inbox, name="inbox"),
]
