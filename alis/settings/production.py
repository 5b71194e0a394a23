"""Production shape (docker-compose): PostgreSQL, Redis and a worker, HTTPS behind a proxy."""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import BASE_DIR, MIDDLEWARE, env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
ALIS_REQUIRE_MFA_FOR_COORDINATORS = env.bool("ALIS_REQUIRE_MFA_FOR_COORDINATORS", default=True)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Static files straight from gunicorn, compressed and cache-busted.
MIDDLEWARE = [MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]

# Signing keys: no development default. The server refuses to start without the key directory,
# the CA in it, or the password that opens the CA key.
ALIS_PKI_DIR = env.path("ALIS_PKI_DIR")
ALIS_SIGNING_PASSWORD = env("ALIS_SIGNING_PASSWORD")
if not ALIS_SIGNING_PASSWORD:
    raise ImproperlyConfigured("ALIS_SIGNING_PASSWORD er tom.")
if Path(ALIS_PKI_DIR).resolve().is_relative_to(BASE_DIR):
    raise ImproperlyConfigured("ALIS_PKI_DIR kan ikke ligge i prosjektmappen.")


def _check_signing_keys() -> None:
    from confirmations.pki import Pki, load_ca

    load_ca(Pki(Path(ALIS_PKI_DIR), ALIS_SIGNING_PASSWORD.encode()))  # raises when unusable


_check_signing_keys()
