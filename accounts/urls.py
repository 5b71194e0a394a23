"""Office pages for invitations and the office's members (ending a role).

Mounted under /<office_slug>/ by alis/urls.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("invitasjoner/", views.invite, name="invite"),
    path("brukere/", views.members, name="members"),
    path("brukere/<int:membership_id>/avslutt/", views.member_end, name="member_end"),
]

# Pages outside any office.
site_urlpatterns = [
    path("hjem/", views.home, name="home"),
    path("okt/fortsett/", views.session_keepalive, name="session_keepalive"),
    path("sprak/", views.language_set, name="language_set"),
    path("invitasjon/<str:token>/", views.invitation_accept_view, name="invitation_accept"),
]
