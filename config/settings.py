"""Settings for Compact Tracker, read from the environment (django-environ).

With nothing set, the app runs on embedded defaults that need no server: SQLite and the
Celery filesystem broker under ``var/``, e-mail printed to the console. Production sets
``DATABASE_URL``, ``CELERY_BROKER_URL``, ``EMAIL_URL``, ``SECRET_KEY`` and ``ALLOWED_HOSTS``
(see docs/operations.md). Nothing here depends on which environment we are in beyond those
values, so what runs in development is what runs in production.
"""

import datetime
import os
from pathlib import Path

import environ
from csp.constants import NONE as CSP_NONE
from csp.constants import SELF as CSP_SELF
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from config.api_enums import FEATURE_ENUMS
from config.storage import StorageURLError, storage_from_url

BASE_DIR = Path(__file__).resolve().parent.parent

# openpyxl parses a workbook's XML with lxml whenever lxml is installed (the IATI export and the
# Word files need it), and with defusedxml otherwise, which refuses every entity declaration
# (tests/security/test_zip_bombs.py). Uploaded workbooks stay on defusedxml: set before anything
# imports openpyxl, in every process (settings load first in the web, the workers and the tests).
os.environ["OPENPYXL_LXML"] = "False"

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")

VAR_DIR = Path(env("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("DEBUG", default=False)

# A development key is only acceptable while DEBUG is on; production must provide one.
_DEV_SECRET_KEY = "django-insecure-compact-tracker-development-key-do-not-use-in-production"
SECRET_KEY = env("SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else None)
if not SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for local development).")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "axes",
    # Only for its translations of the country names (ISO 3166) in the six languages.
    "django_countries",
    # Django's form templates, so that templates/django/forms/ can extend them (dir="auto").
    "django.forms",
    "compact",
    "workinggroups",
    "reporting",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "compact.core.middleware.RequestSizeLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "compact.core.middleware.UserLanguageMiddleware",
    "compact.core.middleware.UserTimeZoneMiddleware",
    # A person's change drops the task count their menu remembers (portal.inbox).
    "portal.middleware.TaskCountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout flagged during the view into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
# Widget templates from templates/ first: every text box and text area says dir="auto", so
# Arabic typed into an English page (or English into an Arabic one) runs its own way.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "config.wsgi.application"

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
                "portal.context_processors.roles",
                "compact.accounts.context_processors.notifications",
                "compact.accounts.context_processors.sign_in",
            ],
            # |linebreaks_auto, |linebreaksbr_auto and |isolate on every page, without {% load %}.
            "builtins": ["compact.templatetags.bidi"],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'compact.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded mode runs web, worker and beat against one SQLite file: WAL lets readers
    # and the writer work together, IMMEDIATE transactions avoid "database is locked" upgrades.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"}
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Parameters go to PostgreSQL apart from the query (server-side binding), so a query a
    # connection runs often has the same text each time and psycopg prepares it after five runs:
    # PostgreSQL parses and plans it once per connection instead of on every run (it spent more
    # time planning than executing; docs/operations.md). A pooler in transaction mode cannot keep
    # prepared statements: DATABASE_PREPARED_STATEMENTS=0 stops preparing (binding stays).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "server_side_binding": True,
            "prepare_threshold": 5 if env.bool("DATABASE_PREPARED_STATEMENTS", default=True) else None,
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
# A cache on Redis answers within half a second or counts as down, and then as empty for a
# while (compact.lib.cache): what it holds (rate-limit counters) may be lost, a request may
# not wait for it. redis-py does not retry a connection unless told to.
REDIS_CACHE_BACKEND = "compact.lib.cache.FailSoftRedisCache"
REDIS_CACHE_OPTIONS = {
    "socket_connect_timeout": env.float("CACHE_REDIS_TIMEOUT", default=0.5),
    "socket_timeout": env.float("CACHE_REDIS_TIMEOUT", default=0.5),
}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = REDIS_CACHE_BACKEND
    CACHES["default"]["OPTIONS"] = {**REDIS_CACHE_OPTIONS, **CACHES["default"].get("OPTIONS", {})}
# With its cache down, a rate limit lets requests through (with the cache's warning in the
# log) rather than refusing everyone: the limits are a second line (the sign-on form also has
# a honeypot and OCT's review; a wrong API token still fails), and an outage of Redis must
# not become an outage of the public form and the API.
RATELIMIT_FAIL_OPEN = True

# --- Authentication and permissions -------------------------------------------------------
AUTH_USER_MODEL = "compact.User"
# --- Signing in: passwords and the organisation's account (compact/accounts/oidc.py) -------------
# Single sign-on with OpenID Connect is on when OIDC_RP_CLIENT_ID is set, with the provider's
# endpoints (its discovery document lists them) and the issuer its ID tokens name. The identity
# is matched to an existing account by verified e-mail; no account or role is ever created from it.
OIDC_RP_CLIENT_ID = env("OIDC_RP_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env("OIDC_RP_CLIENT_SECRET", default="")
OIDC_OP_ISSUER = env("OIDC_OP_ISSUER", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env("OIDC_OP_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env("OIDC_OP_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env("OIDC_OP_USER_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env("OIDC_OP_JWKS_ENDPOINT", default="")
OIDC_RP_SIGN_ALGO = env("OIDC_RP_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = "openid email"
OIDC_PROVIDER_NAME = env("OIDC_PROVIDER_NAME", default="")  # the button: "Sign in with <name>"
# Only for a provider that never issues an address it does not control (an organisation's own
# directory) and sends no email_verified claim: its addresses count as verified.
OIDC_EMAILS_VERIFIED_BY_PROVIDER = env.bool("OIDC_EMAILS_VERIFIED_BY_PROVIDER", default=False)
OIDC_CREATE_USER = False
OIDC_USE_PKCE = True
OIDC_TIMEOUT = env.int("OIDC_TIMEOUT", default=10)
OIDC_AUTHENTICATE_CLASS = "compact.accounts.oidc.SignInRequestView"
OIDC_CALLBACK_CLASS = "compact.accounts.oidc.SignInCallbackView"
# LOCAL_PASSWORDS=0: passwords are off, everyone signs in with the organisation's account.
LOCAL_PASSWORDS = env.bool("LOCAL_PASSWORDS", default=True)
if OIDC_RP_CLIENT_ID:
    _needed = ("CLIENT_SECRET", "ISSUER", "AUTHORIZATION_ENDPOINT", "TOKEN_ENDPOINT", "USER_ENDPOINT", "JWKS_ENDPOINT")
    _settings = {
        "CLIENT_SECRET": OIDC_RP_CLIENT_SECRET,
        "ISSUER": OIDC_OP_ISSUER,
        "AUTHORIZATION_ENDPOINT": OIDC_OP_AUTHORIZATION_ENDPOINT,
        "TOKEN_ENDPOINT": OIDC_OP_TOKEN_ENDPOINT,
        "USER_ENDPOINT": OIDC_OP_USER_ENDPOINT,
        "JWKS_ENDPOINT": OIDC_OP_JWKS_ENDPOINT,
    }
    _missing = [
        f"OIDC_RP_{name}" if name == "CLIENT_SECRET" else f"OIDC_OP_{name}" for name in _needed if not _settings[name]
    ]
    if _missing:
        raise ImproperlyConfigured(f"Single sign-on needs {', '.join(_missing)} too (docs/operations.md).")
elif not LOCAL_PASSWORDS:
    raise ImproperlyConfigured("LOCAL_PASSWORDS=0 needs single sign-on (OIDC_RP_CLIENT_ID …): nobody could sign in.")


def authentication_backends(*, single_sign_on: bool, passwords: bool) -> list[str]:
    """The backends for a deployment's ways of signing in (tests switch them with settings)."""
    return [
        # First: refuses any password check for an account and address that are locked out.
        "axes.backends.AxesStandaloneBackend",
        # Django's ModelBackend, reading the profile (the clearance) with the user: one query a
        # request fewer. Without passwords, the single sign-on backend (a ModelBackend too) keeps
        # the model permissions and accepts no password.
        *(["compact.accounts.backends.ProfileModelBackend"] if passwords else []),
        *(["compact.accounts.oidc.OrganisationAccountBackend"] if single_sign_on else []),
        "guardian.backends.ObjectPermissionBackend",
    ]


AUTHENTICATION_BACKENDS = authentication_backends(single_sign_on=bool(OIDC_RP_CLIENT_ID), passwords=LOCAL_PASSWORDS)
# Object permissions are never granted to anonymous visitors.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Internationalisation: the six official UN languages ---------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("ar", _("Arabic")),
    ("zh-hans", _("Chinese")),
    ("en", _("English")),
    ("fr", _("French")),
    ("ru", _("Russian")),
    ("es", _("Spanish")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# UN usage where Django's formats differ (config/formats/__init__.py says which and why).
FORMAT_MODULE_PATH = ["config.formats"]
USE_I18N = True
USE_TZ = True
# The Compact's secretariat sits in New York; dates are shown in its time zone.
TIME_ZONE = env("TIME_ZONE", default="America/New_York")

# --- Static files -------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files and PDF editions: a folder here (MEDIA_ROOT) or an S3-compatible bucket shared
# by every machine (config/storage.py). A bad STORAGE_URL stops the process at start, with why.
try:
    _default_storage = storage_from_url(env("STORAGE_URL", default=""))
except StorageURLError as error:
    raise ImproperlyConfigured(str(error)) from None
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "media/"

# --- E-mail ---------------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Compact Tracker <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
OCT_SECRETARIAT_EMAIL = env("OCT_SECRETARIAT_EMAIL", default="oct-secretariat@localhost")
# Links in invitations and password resets stay valid this long (Django's default is 3 days).
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=3 * 24 * 3600)

# --- IATI (the matrix as an IATI activity file, docs/iati.md) --------------------------------------
# The secretariat's IATI organisation identifier (org-id.guide), which prefixes every activity's
# identifier: it is registered once and never changes, so nothing here guesses one. Unset, the
# matrix's IATI page says so and offers no file. The local development .env sets a placeholder.
IATI_REPORTING_ORG_REF = env("IATI_REPORTING_ORG_REF", default="")
IATI_REPORTING_ORG_NAME = env("IATI_REPORTING_ORG_NAME", default="United Nations Office of Counter-Terrorism")

# --- Public sign-on form --------------------------------------------------------------------
# Valid submissions accepted per client address (django-ratelimit syntax, e.g. "5/h"). The
# counter lives in the default cache: production sets CACHE_URL to Redis so that every web
# process shares it; the embedded single-process server is fine with the local-memory cache.
SIGNON_RATE_LIMIT = env("SIGNON_RATE_LIMIT", default="5/h")
# Which request header holds the client address; behind a proxy, one it sets and clients cannot.
RATELIMIT_IP_META_KEY = env("RATELIMIT_IP_META_KEY", default="REMOTE_ADDR")

# --- Brute force: sign-in lockouts (django-axes), API tokens, password resets (docs/security.md)
# Five wrong passwords for one account from one address lock that account out *at that address*
# for 15 minutes. Per account and address, not per account: guessing the USG's password from
# one address must not lock the USG out everywhere (that would hand any guesser a denial of
# service); not per address: one colleague's typos must not lock out a whole office behind one
# address. An attacker spread over many addresses gets five guesses per address per 15 minutes;
# the password rules (AUTH_PASSWORD_VALIDATORS) make that too few to matter.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# In the database, not the cache: every web process sees the same count, and a Redis outage
# neither lifts a lockout nor slows sign-in down.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
# Attempts refused during a lockout are not counted: it ends when the lockout page says.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# A successful sign-in clears that account's failures at that address: the person there knows
# the password, so earlier typos no longer count towards a lockout.
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "compact.accounts.authentication.axes_username"
AXES_CLIENT_IP_CALLABLE = "compact.accounts.authentication.lockout_address"
AXES_LOCKOUT_CALLABLE = "compact.accounts.views.lockout_response"
# Never kept in axes' records of failed attempts (the password change form's fields too).
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "old_password", "new_password1", "new_password2"]
# Lockouts are shown and lifted (audited) on OCT's system page, not in the admin; successful
# sign-ins are not logged by axes (nothing reads that log, and it would keep every address).
AXES_ENABLE_ADMIN = False
AXES_DISABLE_ACCESS_LOG = True
# Failed API tokens counted per client address in the shared cache (django-ratelimit syntax):
# past the limit every token from that address is answered 429 until the window ends.
API_TOKEN_FAILURE_RATE = env("API_TOKEN_FAILURE_RATE", default="10/15m")
# Password-reset requests recorded per e-mail address and per client address; more are
# answered with the same page and not recorded.
PASSWORD_RESET_RATE_LIMIT = env("PASSWORD_RESET_RATE_LIMIT", default="3/h")
PASSWORD_RESET_ADDRESS_RATE_LIMIT = env("PASSWORD_RESET_ADDRESS_RATE_LIMIT", default="20/h")

# --- Celery -------------------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://localhost/")
# Publishing happens after a web request's commit, and a minute sweep sends whatever the broker
# did not take, so a publish is tried once, within a second (issue 14, hole 7):
# - "max_retries": 0 — kombu otherwise retries a failed connection on first use, sleeping 2 s
#   then 4 s within the connection timeout: the 6 s the first request of a new process paid
#   with Redis refusing connections. (The worker's consumer passes its own retry settings.)
# - one-second socket timeouts bound a Redis that accepts connections and never answers.
REDIS_BROKER_TRANSPORT_OPTIONS = {
    "socket_timeout": env.float("BROKER_SOCKET_TIMEOUT", default=1.0),
    "socket_connect_timeout": env.float("BROKER_SOCKET_TIMEOUT", default=1.0),
    "max_retries": 0,
    "visibility_timeout": 3600,
}
# Where web processes note that Redis is down, so that the other processes of the machine
# (a new one too) skip it for a while instead of paying the timeout again (compact.lib.outages).
OUTAGES_DIR = Path(env("OUTAGES_DIR", default=str(VAR_DIR / "outages")))
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "celery" / "queue"
    _processed_dir = VAR_DIR / "celery" / "processed"
    _control_dir = VAR_DIR / "celery" / "control"
    for _folder in (_queue_dir, _processed_dir, _control_dir):
        _folder.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(_processed_dir),
        "control_folder": str(_control_dir),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = REDIS_BROKER_TRANSPORT_OPTIONS
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_BROKER_TRANSPORT_OPTIONS["socket_connect_timeout"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# No publish retries: a retry only makes the web request wait (a hung Redis cost 12.5 s with
# two), while whatever the broker could not take is sent by the minute sweep anyway.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 180
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Two queues, so that a long PDF render never delays a reminder or an e-mail: editions are laid
# out by the workers of the "pdf" queue (`celery worker -Q pdf`), everything else runs on the
# default queue. The route is applied when a task is sent, wherever it is sent from (a web
# request, the minute sweep on the default queue, a worker starting).
CELERY_TASK_DEFAULT_QUEUE = "celery"
PDF_QUEUE = "pdf"
CELERY_TASK_ROUTES = {"reporting.tasks.edition_render": {"queue": PDF_QUEUE}}
# Exactly one beat sends the schedule, whatever runs: beat holds a lock (compact.lib.beat) and a
# second beat waits on standby, taking over within BEAT_LOCK_TTL seconds of the first one dying.
# The lock lives in Redis (the broker's unless BEAT_LOCK_URL says otherwise), or in a file under
# var/ with the embedded filesystem broker (one machine).
CELERY_BEAT_SCHEDULER = "compact.lib.beat:LockedScheduler"
BEAT_LOCK_URL = env(
    "BEAT_LOCK_URL",
    default=CELERY_BROKER_URL
    if CELERY_BROKER_URL.startswith(("redis://", "rediss://"))
    else f"file://{VAR_DIR / 'celerybeat.lock'}",
)
BEAT_LOCK_KEY = env("BEAT_LOCK_KEY", default="compact-tracker:beat-lock")
BEAT_LOCK_TTL = env.float("BEAT_LOCK_TTL", default=60.0)
SCHEDULER_TICK_SECONDS = env.float("SCHEDULER_TICK_SECONDS", default=300.0)
# A worker generating a PDF holds it on a lease of this many seconds, renewed every third of
# it; the minute sweep queues again an edition whose lease ran out (its worker died). Tests
# shorten it through the environment.
EDITION_LEASE_SECONDS = env.float("EDITION_LEASE_SECONDS", default=30.0)
CELERY_BEAT_SCHEDULE = {
    "every-minute-record-worker-heartbeat": {
        "task": "compact.tasks.heartbeat_record",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # The same through the "pdf" queue: /system/ shows whether a PDF worker is alive too.
    "every-minute-record-pdf-worker-heartbeat": {
        "task": "compact.tasks.heartbeat_record",
        "schedule": 60.0,
        "args": ("pdf-worker",),
        "options": {"expires": 55, "queue": PDF_QUEUE},
    },
    "every-minute-send-pending-emails": {
        "task": "compact.tasks.emails_send_pending",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Editions no worker took, or whose worker died (its lease ran out), are queued again.
    "every-minute-requeue-lost-report-editions": {
        "task": "reporting.tasks.editions_requeue_lost",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    "every-hour-purge-unconfirmed-signon-requests": {
        "task": "compact.tasks.signon_purge_expired",
        "schedule": 3600.0,
        "options": {"expires": 3000},
    },
    # The reporting calendar: cheap when there is nothing to do, exactly once when there is.
    "every-five-minutes-run-the-reporting-calendar": {
        "task": "reporting.tasks.scheduler_tick",
        "schedule": SCHEDULER_TICK_SECONDS,
        "options": {"expires": max(SCHEDULER_TICK_SECONDS - 10, 1)},
    },
    # Each person's daily digest of the e-mails they chose to receive once a day, in their
    # morning (SCHEDULER_DAY_STARTS_AT in their time zone): hourly, so every zone is reached.
    "every-hour-send-daily-notification-digests": {
        "task": "compact.tasks.notification_digests_send",
        "schedule": 3600.0,
        "options": {"expires": 3000},
    },
    # The USG's briefings to Member States: a reminder when the next one is owed and none is planned.
    "every-hour-remind-of-briefings-to-member-states": {
        "task": "compact.tasks.briefings_chase",
        "schedule": 3600.0,
        "options": {"expires": 3000},
    },
    # Consultation rounds: closed once their deadline day is over; silent entities reminded before it.
    "every-hour-close-and-remind-consultation-rounds": {
        "task": "reporting.tasks.consultations_chase",
        "schedule": 3600.0,
        "options": {"expires": 3000},
    },
    "every-hour-sync-working-group-role-permissions": {
        "task": "workinggroups.tasks.role_permissions_sync_all",
        "schedule": 3600.0,
        "options": {"expires": 3000},
    },
}

# The scheduler's day starts at this hour in a period's time zone: periods open and reminders
# go out in the morning there. Digests go out on this weekday (0 = Monday) in TIME_ZONE.
SCHEDULER_DAY_STARTS_AT = env.int("SCHEDULER_DAY_STARTS_AT", default=7)
SCHEDULER_DIGEST_WEEKDAY = env.int("SCHEDULER_DIGEST_WEEKDAY", default=0)
# The Committee chair's digest lists groups more than this many days late.
SCHEDULER_COMMITTEE_LATE_DAYS = env.int("SCHEDULER_COMMITTEE_LATE_DAYS", default=7)

# --- REST API ---------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first, so that unauthenticated callers get 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "compact.accounts.authentication.LockoutTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["compact.registry.api_permissions.CanReadRegistry"],
    # Integer filters and page numbers are kept to the database's range (compact/lib/integers.py).
    "DEFAULT_FILTER_BACKENDS": [
        "compact.core.api.filters.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "compact.core.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "compact.core.api.schema.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Compact Tracker API",
    "DESCRIPTION": (
        "The registry of the United Nations Global Counter-Terrorism Coordination Compact: "
        "entities, working groups and the Coordination Committee (read-only); sign-on requests "
        "(public submission; review by the OCT secretariat); reporting periods, work plans and the "
        "working groups' briefings and progress reports (drafts, transitions, versions); the reporting "
        "calendar, extension requests and the scheduler's log; the matrix of "
        "projects by country and theme (filters, pivots, overlaps, imports). "
        "Authenticate with 'Authorization: Token <key>' or a signed-in session."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its docs are for signed-in users, like the API itself.
    "SERVE_PERMISSIONS": ["compact.registry.api_permissions.CanReadRegistry"],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Every operation documents the errors it may answer, with DRF's error body (compact/core/api/schema.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "compact.core.api.schema.error_responses",
    ],
    # Serve Swagger UI and ReDoc from our own static files: no CDN, works offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "EntityKindEnum": "compact.models.Entity.Kind",
        "AliasKindEnum": "compact.models.EntityAlias.Kind",
        "MembershipStatusEnum": "compact.models.Membership.Status",
        "EvidenceEnum": "compact.models.Evidence",
        "LifecycleActionEnum": "compact.matrix.api.LIFECYCLE_ACTIONS",
        "ReorganisationActionEnum": "reporting.reorganisation.api.ACTIONS",
        "ReorganisationStateEnum": "reporting.models.Reorganisation.State",
        "ReorganisationEffectKindEnum": "reporting.models.ReorganisationEffect.Kind",
        "HrddpOutcomeEnum": "compact.models.HrddpAssessment.Outcome",
        "DonorKindEnum": "compact.models.Donor.Kind",
        "SignOnStateEnum": "compact.models.SignOnRequest.State",
        "SignOnRequestedStatusEnum": "compact.models.SignOnRequest.RequestedStatus",
        "PillarEnum": "compact.models.Pillar",
        "SignOnActionEnum": "compact.signon.api.OCT_ACTIONS",
        # Whether a move takes a message (sign-on) or a comment (reporting).
        "MessageEnum": ["required", "optional", "none"],
        "ClassificationEnum": "compact.models.Classification",
        "ReportingPeriodKindEnum": "reporting.models.ReportingPeriod.Kind",
        "ReportingPeriodStateEnum": "reporting.models.ReportingPeriod.State",
        "SubmissionStatusEnum": "reporting.models.Submission.Status",
        "ExtensionStatusEnum": "reporting.models.ExtensionRequest.Status",
        "ExtensionActionEnum": "reporting.calendar.api.EXTENSION_ACTIONS",
        "SubmissionActionEnum": "reporting.submissions.serializers.SUBMISSION_ACTIONS",
        "DashboardProgressEnum": "reporting.submissions.serializers.PROGRESS_CHOICES",
        "DiffPieceKindEnum": "reporting.submissions.serializers.PIECE_KINDS",
        "ActivityStatusEnum": "workinggroups.models.WorkPlanActivity.Status",
        "ProjectStatusEnum": "compact.models.Project.Status",
        "ProjectStageEnum": "compact.models.Project.Stage",
        **FEATURE_ENUMS,
    },
}

# --- Security (production values; check --deploy is clean when DEBUG is off) -------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_TLS_PROXY", default=False) else None
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Text sent with a request (files apart) may reach 12 MB, so that an oversized field (up to
# 10 MB) is read and refused by its form with a message next to it; beyond, the request is
# answered 413 with the limits (compact.core.errors.request_too_big), JSON bodies included.
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# --- Content-Security-Policy (django-csp; docs/security.md) ------------------------------
# Pages take scripts, styles, images, fonts and fetches from this site only, and nothing inline:
# every script is a file under static/, data for a script travels in a json_script block (never
# executed), a bar's width is a <meter> value. An injected <script>, on…= handler, javascript:
# link or style="…" is refused by the browser. The few third-party pages that need more (Swagger
# UI, ReDoc, DRF's browsable API) are widened for their own responses only, where they are
# served (config/urls.py, compact/core/api/renderers.py). No nonces: the policy is the same on every
# page, so it costs nothing per request and leaves pages cacheable.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [CSP_SELF],
        "script-src": [CSP_SELF],
        "style-src": [CSP_SELF],
        "img-src": [CSP_SELF],
        "font-src": [CSP_SELF],
        "connect-src": [CSP_SELF],
        "object-src": [CSP_NONE],
        "base-uri": [CSP_NONE],
        "frame-ancestors": [CSP_NONE],
        "form-action": [CSP_SELF],
        # Browsers post what they refused there; it is logged (compact/core/csp.py).
        "report-uri": [reverse_lazy("csp-report")],
    },
}
# Violation reports accepted per client address (django-ratelimit syntax) and their largest size.
CSP_REPORT_RATE_LIMIT = env("CSP_REPORT_RATE_LIMIT", default="60/m")
CSP_REPORT_MAX_BYTES = 8 * 1024
# DRF's browsable API writes a few style="…" attributes: its renderer allows those on its own pages.
REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"] = [
    "rest_framework.renderers.JSONRenderer",
    "compact.core.api.renderers.BrowsableAPIRenderer",
]

# --- Logging: everything to stderr, where the process manager collects it ---------------
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        # WeasyPrint and fontTools narrate every rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
