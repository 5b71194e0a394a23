"""allauth's OpenID Connect URLs (same names and paths), served by nationallogin.oidc's views.

allauth mounts these itself, under /konto/ (`allauth.urls` includes the URLs of every provider's
package): /konto/oidc/<provider_id>/login/ and /konto/oidc/<provider_id>/login/callback/.
"""

from allauth.socialaccount import app_settings
from django.urls import include, path

from . import callback, login

_patterns = [
    path("login/", login, name="openid_connect_login"),
    path("login/callback/", callback, name="openid_connect_callback"),
]

urlpatterns = [path("<str:provider_id>/", include(_patterns))]
if app_settings.OPENID_CONNECT_URL_PREFIX:
    urlpatterns = [path(f"{app_settings.OPENID_CONNECT_URL_PREFIX}/", include(urlpatterns))]
