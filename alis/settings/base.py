"""Settings shared by every environment; this module alone is the embedded default.

Everything that differs between machines comes from environment variables (django-environ).
With nothing set, the app runs on a SQLite file, runs Celery tasks in-process and prints
e-mails to the console, which is what the demo command uses.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env(
    "SECRET_KEY", default="dev-only-insecure-key-5c3f1f0b-do-not-use-in-production-9a7e"
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_htmx",
    "django_celery_beat",
    "import_export",
    "simple_history",
    "csp",
    "accounts",
    "offices",
    "municipalities",
    "trainees",
    "agreements",
    "plans",
    "events",
    "positions",
    "confirmations",
    "notifications",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last: resolves the office from the URL and runs view + rendering inside its scope.
    "offices.middleware.OfficeScopeMiddleware",
]

ROOT_URLCONF = "alis.urls"
WSGI_APPLICATION = "alis.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.office_access",
            ],
        },
    },
]

FORM_RENDERER = "alis.forms.FormRenderer"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'alis.sqlite3'}")
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-allauth: e-mail is the login, verified before use; TOTP two-factor through allauth.mfa.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[ALIS] "
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "ALIS-kontorene"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# Coordinators must have TOTP active before they reach personal data. On in production;
# off in the embedded demo so the documented logins work without an authenticator app.
ALIS_REQUIRE_MFA_FOR_COORDINATORS = env.bool("ALIS_REQUIRE_MFA_FOR_COORDINATORS", default=False)
ALIS_INVITATION_DAYS = 14

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", "Norsk bokmål")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Front-end packages come from npm (package.json) and are served as they are installed.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/designsystemet", BASE_DIR / "node_modules/@digdir/designsystemet-css/dist"),
    ("vendor/htmx", BASE_DIR / "node_modules/htmx.org/dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(BASE_DIR / "var" / "mail"))
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="ALIS-kontorene <ikke-svar@alis.no>")
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# Celery: a broker URL means Redis and a worker; none means run tasks in-process.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None) or None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Beat (django-celery-beat's database scheduler picks these up): reminders every morning,
# the weekly digest on Monday mornings.
CELERY_BEAT_SCHEDULE = {
    "paminnelser-hver-morgen": {
        "task": "notifications.tasks.sweep_all_offices",
        "schedule": crontab(hour=7, minute=0),
    },
    "ukesoppsummering-mandag": {
        "task": "notifications.tasks.digest_all_offices",
        "schedule": crontab(hour=7, minute=30, day_of_week="mon"),
    },
    "signering-hver-morgen": {
        # One e-mail per supervisor with single-use links to what waits for them.
        "task": "plans.progress_tasks.send_supervisor_digests_for_all_offices",
        "schedule": crontab(hour=7, minute=15),
    },
    "arrangementer-tilbud-utlop": {
        # Places offered from a waiting list and not taken in time go to the next in line.
        "task": "events.tasks.expire_offers",
        "schedule": crontab(minute=5),
    },
    "monthly-reports": {
        # A regional report per office and the national one, on the 1st of each month at 06:00.
        "task": "reports.tasks.monthly_reports",
        "schedule": crontab(minute=0, hour=6, day_of_month=1),
    },
}

# Signing certificate for confirmations (PKCS#12). `manage.py create_dev_ca` makes a local one
# for development; production points these at the education unit's or office's certificate.
ALIS_SIGNING_P12 = env("ALIS_SIGNING_P12", default=str(BASE_DIR / "var" / "pki" / "signer.p12"))
ALIS_SIGNING_PASSWORD = env("ALIS_SIGNING_PASSWORD", default="alis-utvikling")
ALIS_SIGNING_TRUST_ROOT = env(
    "ALIS_SIGNING_TRUST_ROOT", default=str(BASE_DIR / "var" / "pki" / "root.pem")
)

# A cache shared by all processes in production (rate limits on the public verification page).
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
