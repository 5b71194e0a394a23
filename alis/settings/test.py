"""Test settings: always real PostgreSQL (and Redis for the worker tests), never skipped.

When PostgreSQL or Redis is missing the suite fails at start-up with a clear message.
"""

from .base import *  # noqa: F403
from .base import env

DATABASES = {
    "default": env.db("TEST_DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/alis")
}
TEST_REDIS_URL = env("TEST_REDIS_URL", default="redis://127.0.0.1:6379/15")
# Tests run tasks in-process unless they start a real worker (tests/test_celery_worker.py).
CELERY_BROKER_URL = "memory://"
CELERY_TASK_ALWAYS_EAGER = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALIS_REQUIRE_MFA_FOR_COORDINATORS = False
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
