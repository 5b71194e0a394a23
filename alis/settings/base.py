"""Settings shared by every environment; this module alone is the embedded default.

Everything that differs between machines comes from environment variables (django-environ).
With nothing set, the app runs on a SQLite file, runs Celery tasks in-process and prints
e-mails to the console, which is what the demo command uses.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF

from alis.logging import logging_config

from .national_login import apps_from_env, form_action_sources, providers_setting

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
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "django_htmx",
    "django_celery_beat",
    "import_export",
    "simple_history",
    "csp",
    "accounts",
    "audit",
    "offices",
    "municipalities",
    "trainees",
    "agreements",
    "plans",
    "goals",
    "events",
    "grants",
    "hospital",
    "positions",
    "confirmations",
    "notifications",
    "reports",
    "records",
    "intake",
    "inbox",
    "national",
    "nationallogin",
    "demo",
]

MIDDLEWARE = [
    # First: every request gets an id for its log lines, its response and the error page.
    "alis.logging.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads the body: a request larger than ALIS_MAX_REQUEST_BYTES gets 413.
    "offices.uploads.RequestSizeLimitMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.language.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Ends sessions after ALIS_SESSION_IDLE_MINUTES idle / ALIS_SESSION_MAX_HOURS in all.
    "accounts.sessions.SessionLimitMiddleware",
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
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.office_access",
                "accounts.context_processors.session_limits",
            ],
        },
    },
]

FORM_RENDERER = "alis.forms.FormRenderer"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'alis.sqlite3'}")
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The demo's SQLite: a transaction takes the write lock when it begins (IMMEDIATE), so
    # concurrent writers queue up for up to `timeout` seconds instead of failing with
    # «database is locked» when a read turns into a write; this also makes writes that lock
    # a row (select_for_update, a no-op on SQLite) one at a time, e.g. event sign-ups. WAL
    # lets pages read while someone writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        # Django's, with its message in Norwegian (Django's bokmål catalogue lacks it).
        "NAME": "accounts.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    # Django's shipped list of 20,000 common passwords: checked locally, no network call.
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Long but guessable ("passwordpassword", keyboard rows, name + year): zxcvbn's estimate,
    # offline, with a Norwegian message.
    {"NAME": "accounts.passwords.StrengthValidator", "OPTIONS": {"min_score": 4}},
]

# django-allauth: e-mail is the login, verified before use; TOTP two-factor through allauth.mfa.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupNamesForm"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[ALIS] "
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "ALIS-kontorene"

# National login: ID-porten and HelseID as OpenID Connect providers (alis/settings/national_login.py
# lists the variables; each is off unless <PREFIX>_ENABLED). A person is linked to an account by
# a verified e-mail, by an invitation, or — next time — by the keyed hash of their national
# identity number (never stored in clear). SECURITY.md, "Nasjonal innlogging".
SOCIALACCOUNT_PROVIDERS = providers_setting(apps_from_env(env))
SOCIALACCOUNT_ADAPTER = "nationallogin.adapter.NationalLoginAdapter"
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_AUTO_SIGNUP = False
# Linking by e-mail is done by nationallogin.services (verified on both sides), not by allauth.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
# No TOTP step after a national login that is two-factor itself (nationallogin/stages.py).
ALIS_MFA_AUTHENTICATE_STAGE = "nationallogin.stages.NationalLoginAwareAuthenticateStage"
# Key for HMAC(pid): recognises a person again without storing the number. Production requires
# its own (alis/settings/production.py); changing it unlinks everyone's national login.
ALIS_NATIONAL_ID_HMAC_KEY = env(
    "ALIS_NATIONAL_ID_HMAC_KEY", default="dev-only-national-id-key-do-not-use-in-production"
)
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# Coordinators must have TOTP active before they reach personal data. On in production;
# off in the embedded demo so the documented logins work without an authenticator app.
ALIS_REQUIRE_MFA_FOR_COORDINATORS = env.bool("ALIS_REQUIRE_MFA_FOR_COORDINATORS", default=False)
ALIS_INVITATION_DAYS = 14

# Reference pages for benchmarks/pages.py (alis/benchmark_views.py): mounted only when the
# benchmark sets this in the environment of the server it starts.
ALIS_BENCHMARK_VIEWS = env.bool("ALIS_BENCHMARK_VIEWS", default=False)

# Sessions end after this long without a request, and this long after login in any case.
ALIS_SESSION_IDLE_MINUTES = env.int("ALIS_SESSION_IDLE_MINUTES", default=30)
ALIS_SESSION_MAX_HOURS = env.int("ALIS_SESSION_MAX_HOURS", default=12)
SESSION_COOKIE_AGE = ALIS_SESSION_MAX_HOURS * 3600

# How long a doctor's record is kept after they leave the programme (completed or left), in
# years; then a nightly task deletes it and keeps only anonymised statistics. ASSUMPTION: the
# domain brief and the regulations we hold state no period. 10 years is long enough for a late
# application for specialist approval and for complaints; confirm it with the offices' data
# protection officer against arkivlova and spesialistforskriften before production.
ALIS_RECORD_RETENTION_YEARS = env.int("ALIS_RECORD_RETENTION_YEARS", default=10)

# How long the security event log and the read-access log are kept (days).
ALIS_SECURITY_LOG_RETENTION_DAYS = env.int("ALIS_SECURITY_LOG_RETENTION_DAYS", default=730)
ALIS_READ_LOG_RETENTION_DAYS = env.int("ALIS_READ_LOG_RETENTION_DAYS", default=730)

# Bokmål is the source language; nynorsk and English come from locale/<code>/LC_MESSAGES/django.po
# (compiled to .mo by scripts/install, the Dockerfile and the test session). A user's own choice
# (User.language) wins; otherwise the browser's Accept-Language, otherwise bokmål.
LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", "Norsk bokmål"), ("nn", "Norsk nynorsk"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates and numbers follow the language; alis/formats/ sets one date style (dd.mm.åååå) for
# bokmål and nynorsk and an unambiguous one for English.
FORMAT_MODULE_PATH = ["alis.formats"]
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
# Request body limits (issue 10): the largest upload is a 20 MB PDF on /verify/; form fields
# other than files are capped by Django at DATA_UPLOAD_MAX_MEMORY_SIZE; uploads above
# FILE_UPLOAD_MAX_MEMORY_SIZE stream to a temporary file instead of memory.
ALIS_MAX_REQUEST_BYTES = env.int("ALIS_MAX_REQUEST_BYTES", default=21 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 10
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

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
# The product's name in e-mails that greet the reader ("Hei fra ALIS-kontorene!").
ALIS_SITE_NAME = env("ALIS_SITE_NAME", default="ALIS-kontorene")

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
    "nasjonale-rutiner-gjennomgang": {
        # The owner office is reminded before a shared routine's review date (once per date).
        "task": "national.tasks.send_review_reminders",
        "schedule": crontab(hour=7, minute=20),
    },
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
        "task": "goals.tasks.send_supervisor_digests_for_all_offices",
        "schedule": crontab(hour=7, minute=15),
    },
    "statuser-hver-natt": {
        # Each doctor's standing for the new day, stored for the reports (plans.stored).
        "task": "plans.tasks.refresh_standings",
        "schedule": crontab(hour=1, minute=30),
    },
    "slett-gamle-logger": {
        # Security and read-access logs are kept for their retention period, then deleted.
        "task": "audit.tasks.purge_old_logs",
        "schedule": crontab(hour=3, minute=0),
    },
    "arrangementer-tilbud-utlop": {
        # Places offered from a waiting list and not taken in time go to the next in line.
        "task": "events.tasks.expire_offers",
        "schedule": crontab(minute=5),
    },
    "utdanningsmapper-slettes-etter-oppbevaringstid": {
        # Records of doctors who left the programme are deleted once ALIS_RECORD_RETENTION_YEARS
        # have passed, leaving only anonymised statistics (records.services.records_purge).
        "task": "records.tasks.purge_expired_records",
        "schedule": crontab(hour=3, minute=30),
    },
    "monthly-reports": {
        # A regional report per office and the national one, on the 1st of each month at 06:00.
        "task": "reports.tasks.monthly_reports",
        "schedule": crontab(minute=0, hour=6, day_of_month=1),
    },
}

# Signing keys for confirmations: a CA and one key + certificate per office (confirmations/pki.py),
# in a directory OUTSIDE the project tree, never under the static or media roots (a system check
# refuses it). `manage.py create_dev_ca` makes a development CA and the offices' certificates;
# production requires both settings with no default (alis/settings/production.py).
ALIS_PKI_DIR = env.path("ALIS_PKI_DIR", default=Path.home() / ".local" / "share" / "alis" / "pki")
ALIS_SIGNING_PASSWORD = env("ALIS_SIGNING_PASSWORD", default="alis-utvikling")
# The font of the visible signature stamp, embedded in every signed PDF (PDF/A needs every font
# embedded; pyHanko's default is an unembedded Courier). Debian's fonts-dejavu-core ships it.
ALIS_STAMP_FONT = env.path(
    "ALIS_STAMP_FONT", default="/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
)

# Number of reverse proxies in front of the app that we control; the client's address is read
# from X-Forwarded-For behind exactly that many (accounts.network.client_ip). 0 = no proxy.
ALIS_TRUSTED_PROXY_COUNT = env.int("ALIS_TRUSTED_PROXY_COUNT", default=0)
# django-ratelimit's key="ip" uses the same function (allauth's adapter does too).
RATELIMIT_IP_META_KEY = "accounts.network.client_ip"

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
        # The national login buttons redirect to the providers' login pages.
        "form-action": [
            SELF,
            *form_action_sources(SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"]),
        ],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# Logs carry the request id, office and user id (alis.logging); JSON lines in production.
LOGGING = logging_config(
    json_lines=env("LOG_FORMAT", default="text") == "json", level=env("LOG_LEVEL", default="INFO")
)
