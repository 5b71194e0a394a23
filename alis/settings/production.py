"""Production shape (Procfile/honcho or docker-compose): PostgreSQL, Redis, a Celery worker and
beat, gunicorn behind an HTTPS proxy."""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from alis.logging import logging_config

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

# Uploaded and generated files (confirmations, agreements, reports, documents) go through
# Django's storage API only, so a deployment picks where they live: the local MEDIA_ROOT
# (default) or S3-compatible object storage (django-storages), e.g. ALIS_MEDIA_STORAGE=s3
# with AWS_STORAGE_BUCKET_NAME, AWS_S3_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY.
# Files are private: they are only ever served through views that check access.
ALIS_MEDIA_STORAGE = env("ALIS_MEDIA_STORAGE", default="filesystem")
if ALIS_MEDIA_STORAGE == "s3":
    MEDIA_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env("AWS_S3_REGION_NAME", default=None),
            "access_key": env("AWS_ACCESS_KEY_ID", default=None),
            "secret_key": env("AWS_SECRET_ACCESS_KEY", default=None),
            "location": env("AWS_LOCATION", default="media"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
elif ALIS_MEDIA_STORAGE == "filesystem":
    MEDIA_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    raise ImproperlyConfigured(
        f"ALIS_MEDIA_STORAGE må være 'filesystem' eller 's3', ikke {ALIS_MEDIA_STORAGE!r}"
    )

STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")  # noqa: F405
STORAGES = {
    "default": MEDIA_STORAGE,
    # Hashed names (cache-busting) and gzip/brotli copies; WhiteNoise serves hashed files with
    # a one-year, immutable Cache-Control.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 3600  # for the few files without a hash in their name

# Static files straight from gunicorn, compressed and cache-busted (right after the request id
# and SecurityMiddleware).
MIDDLEWARE = [*MIDDLEWARE[:2], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[2:]]

# One JSON object per line on stdout (gunicorn, worker and beat alike), for the log collector.
LOGGING = logging_config(
    json_lines=env("LOG_FORMAT", default="json") == "json", level=env("LOG_LEVEL", default="INFO")
)
# Celery keeps the configuration above instead of installing its own root handler.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# National login: the HMAC key for national identity numbers has no default in production.
ALIS_NATIONAL_ID_HMAC_KEY = env("ALIS_NATIONAL_ID_HMAC_KEY", default="")
if SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"] and len(ALIS_NATIONAL_ID_HMAC_KEY) < 32:  # noqa: F405
    raise ImproperlyConfigured(
        "ALIS_NATIONAL_ID_HMAC_KEY må settes (minst 32 tegn) når nasjonal innlogging er slått på."
    )

# Signing keys: no development default. The server refuses to start without the key directory,
# the CA in it, or the password that opens the CA key.
ALIS_PKI_DIR = env.path("ALIS_PKI_DIR")
ALIS_SIGNING_PASSWORD = env("ALIS_SIGNING_PASSWORD")
if not ALIS_SIGNING_PASSWORD:
    raise ImproperlyConfigured("ALIS_SIGNING_PASSWORD er tom.")
if Path(ALIS_PKI_DIR).resolve().is_relative_to(BASE_DIR):
    raise ImproperlyConfigured("ALIS_PKI_DIR kan ikke ligge i prosjektmappen.")
# The CA and the password are opened when the apps are ready (confirmations/apps.py): the
# server, the worker and every management command stop there when they do not work.
ALIS_CHECK_SIGNING_KEYS_AT_START = True
