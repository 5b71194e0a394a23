"""The site's routes: each app keeps its own in its urls.py (`urlpatterns` for office pages under
/<office_slug>/, `site_urlpatterns` for pages outside any office); this module only mounts them."""

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from accounts import urls as account_urls
from confirmations import urls as confirmation_urls
from municipalities import urls as municipality_urls
from national import urls as national_urls
from notifications import urls as notification_urls

from . import views

# The admin has no login page of its own: it sends people to the allauth login (same rate
# limits, same two-factor step) and lets in only active staff who have passed it.
admin.site.login = secure_admin_login(admin.site.login)

# Pages of one office: /<office_slug>/… (OfficeScopeMiddleware scopes them).
office_patterns = [
    path("", include("inbox.urls")),
    path("", include("notifications.urls")),
    path("", include("audit.urls")),
    path("", include("confirmations.urls")),
    path("", include("municipalities.urls")),
    path("", include("accounts.urls")),
    path("", include("plans.urls")),
    path("", include("goals.urls")),
    path("", include("trainees.urls")),
    path("", include("positions.urls")),
    path("", include("agreements.urls")),
    path("", include("grants.urls")),
    path("", include("hospital.urls")),
    path("", include("reports.urls")),
    path("", include("records.urls")),
    path("", include("intake.urls")),
    path("", include("national.urls")),
]

if settings.ALIS_BENCHMARK_VIEWS:  # never in a normal deployment (see alis/benchmark_views.py)
    office_patterns.append(path("", include("alis.benchmark_views")))

urlpatterns = [
    path("", views.front, name="front"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("konto/3rdparty/", views.national_login_connections, name="national_connections"),
    path("konto/", include("allauth.urls")),
    path("", include(account_urls.site_urlpatterns)),
    path("", include(notification_urls.site_urlpatterns)),
    path("", include(confirmation_urls.site_urlpatterns)),
    path("", include(municipality_urls.site_urlpatterns)),
    path("", include(national_urls.site_urlpatterns)),
    path("", include("events.urls")),
    path("<slug:office_slug>/", include(office_patterns)),
]

handler404 = "alis.errors.not_found"
handler403 = "alis.errors.forbidden"
handler500 = "alis.errors.server_error"
