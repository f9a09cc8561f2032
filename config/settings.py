"""Settings for Hip2Knee: one module, every deploy-time value from the environment.

Local defaults are safe and need no server: SQLite in ``var/`` and kombu's filesystem transport as
the Celery broker, its folders beside the database file so two databases never share a queue.
Production and CI set ``DATABASE_URL`` (PostgreSQL) and ``CELERY_BROKER_URL`` (Redis).
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path

import django_stubs_ext
import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

from config.headers import static_file_headers

# Django classes that the type stubs make generic (ModelAdmin[Model], ...) accept the type argument
# at run time too.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DEBUG", default=False)


def _local_secret_key() -> str:
    """A key generated once per checkout and kept in var/, for DEBUG runs only."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off: set SECRET_KEY to a long random string, "
            "e.g. the output of python -c 'import secrets; print(secrets.token_urlsafe(50))' "
            "(or DEBUG=1 on a laptop, which keeps a generated key in var/)."
        )
    SECRET_KEY = _local_secret_key()

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # serves the API docs' assets locally instead of from a CDN
    "csp",
    "axes",
    "pwa",
    "tracker",
    "frontend",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "tracker.api.middleware.JsonBodyMiddleware",
    "tracker.api.middleware.PrivateAnswersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "tracker.middleware.PermissionsPolicyMiddleware",
    "tracker.middleware.BusyDatabaseMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into our JSON 429.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
SQLITE_PATH = VAR_DIR / "hip2knee.sqlite3"
DATABASES = {
    "default": env.db_url_config(env.str("DATABASE_URL", default="") or f"sqlite:///{SQLITE_PATH}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at BEGIN so
    # two writers queue on the busy timeout instead of failing half-way through a transaction.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Tests use a file too (not the in-memory default) so concurrent requests behave as in use.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-hip2knee.sqlite3")}
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "tracker.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Django's database sessions, each marked with its user, so one person's can all be ended at once
SESSION_ENGINE = "tracker.browser_sessions"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 90  # a phone stays signed in for a season of training
# A password-reset link works once, for an hour; a change-of-email link for a day.
PASSWORD_RESET_TIMEOUT = 60 * 60
EMAIL_CHANGE_TIMEOUT = 60 * 60 * 24
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)

# Failed logins: locked per account-and-address pair, so a stranger cannot lock a user out from
# everywhere, with a cool-off after which the pair may try again.
# Requests per period ("N/period", period s, m, h, d, optionally with a count: "5/15m") for the
# throttled endpoints (tracker/api/throttles.py), counted in the cache below.
THROTTLE_RATES = {
    "signup": env.str("THROTTLE_SIGNUP", default="10/h"),  # per address
    "login": env.str("THROTTLE_LOGIN", default="30/10m"),  # per address, across accounts
    "tokens": env.str("THROTTLE_TOKENS", default="10/h"),  # per user
    "password": env.str("THROTTLE_PASSWORD", default="5/15m"),  # per user
    "reset": env.str("THROTTLE_RESET", default="10/h"),  # reset links asked for, per address
    "reset_email": env.str("THROTTLE_RESET_EMAIL", default="3/h"),  # per email asked about
    "push_test": env.str("THROTTLE_PUSH_TEST", default="6/10m"),  # per user
    "import": env.str("THROTTLE_IMPORT", default="10/h"),  # per user
}
NINJA_NUM_PROXIES = env.int("NUM_PROXIES", default=0)  # trust X-Forwarded-For from this many
# One cache for every web process in production (CACHE_URL=redis://...): the throttles' counts,
# progress's history and the read answers (tracker/api/answers.py), keyed so that no process can
# serve a stale one. A process's own memory (the default) keeps up to LOCMEM_CACHE_ENTRIES.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    CACHES["default"].setdefault("OPTIONS", {}).setdefault(
        "MAX_ENTRIES", env.int("LOCMEM_CACHE_ENTRIES", default=5000)
    )
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"  # the key our login passes to authenticate()
AXES_LOCKOUT_CALLABLE = "tracker.api.errors.lockout_response"
AXES_VERBOSE = False

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve from the apps' static/ without collectstatic (a laptop, the tests); `manage.py run` with
# DEBUG off collects them and turns this off, so WhiteNoise serves the compressed copies.
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=True)

# --- Email ----------------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Hip2Knee <reminders@localhost>")
# A mail server that stops answering frees the worker's hand after this long (the task tries again
# later) instead of holding it for good.
EMAIL_TIMEOUT = 30

# --- Celery ---------------------------------------------------------------------------------
_broker_dir = SQLITE_PATH.with_suffix(".broker")
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="") or "filesystem://"
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {}
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT = "config.broker:Transport"  # each message written whole, then seen
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
    for _folder in ("queue", "processed", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "UTC"
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Ticks, deliveries and account emails on queues of their own: a tick never waits behind a rush
# of deliveries, nor a password-reset link (someone watching their inbox) behind either.
# A worker started without -Q consumes all four; `-Q ticks`, `-Q deliveries` or `-Q accounts`
# splits them.
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = (Queue("celery"), Queue("ticks"), Queue("deliveries"), Queue("accounts"))
CELERY_TASK_ROUTES = {
    "tracker.tasks.dispatch_due_reminders": {"queue": "ticks"},
    "tracker.tasks.claim_due_reminders": {"queue": "ticks"},
    "tracker.tasks.deliver_reminders": {"queue": "deliveries"},
    "tracker.tasks.send_password_reset_email": {"queue": "accounts"},
    "tracker.tasks.send_email_change_emails": {"queue": "accounts"},
    "tracker.tasks.send_email_change_notice": {"queue": "accounts"},
}
# One beat entry for all reminders: at the start of every minute the dispatcher claims what is
# due; a tick not started within the minute is dropped (the next one covers it).
CELERY_BEAT_SCHEDULE = {
    "dispatch-reminders": {
        "task": "tracker.tasks.dispatch_due_reminders",
        "schedule": crontab(minute="*"),
        "options": {"expires": 55},
    },
}


# --- Web Push -------------------------------------------------------------------------------
def _local_vapid_keys() -> tuple[str, str]:
    """A VAPID key pair generated once per checkout and kept in var/, for DEBUG runs only."""
    from tracker.vapid_keys import new_keypair, public_key_of

    path = VAR_DIR / "vapid_private.pem"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(new_keypair()[0])
        path.chmod(0o600)
    pem = path.read_text()
    return pem, public_key_of(pem)


VAPID_PRIVATE_KEY = env.str("VAPID_PRIVATE_KEY", default="").replace("\\n", "\n")
VAPID_PUBLIC_KEY = env.str("VAPID_PUBLIC_KEY", default="")
if DEBUG and not VAPID_PRIVATE_KEY:
    VAPID_PRIVATE_KEY, VAPID_PUBLIC_KEY = _local_vapid_keys()
VAPID_SUBJECT = env.str("VAPID_SUBJECT", default="mailto:reminders@localhost")
# Extra push endpoints allowed besides the known push services (self-hosted services, tests).
PUSH_ENDPOINT_ALLOW = env.list("PUSH_ENDPOINT_ALLOW", default=[])

# --- Reminders ------------------------------------------------------------------------------
SITE_URL = env.str("SITE_URL", default="http://localhost:8000").rstrip("/")
REMINDER_CATCH_UP_MINUTES = env.int("REMINDER_CATCH_UP_MINUTES", default=15)
REMINDER_DELIVERY_BATCH = env.int("REMINDER_DELIVERY_BATCH", default=50)  # slots per task
REMINDER_CLAIMERS = env.int("REMINDER_CLAIMERS", default=2)  # claim tasks sharing a rush's claim
REMINDERS_PER_USER = env.int("REMINDERS_PER_USER", default=20)
PUSH_SUBSCRIPTIONS_PER_USER = env.int("PUSH_SUBSCRIPTIONS_PER_USER", default=10)

# --- PWA (django-pwa) -----------------------------------------------------------------------
PWA_APP_NAME = "Hip2Knee"
PWA_APP_DESCRIPTION = "Strong hips for kinder knees: log sessions, track knee pain, get reminded."
PWA_APP_THEME_COLOR = "#1f6f5c"
PWA_APP_BACKGROUND_COLOR = "#ffffff"
PWA_APP_DISPLAY = "standalone"
PWA_APP_SCOPE = "/"
PWA_APP_START_URL = "/"
PWA_APP_ORIENTATION = "portrait"
PWA_APP_STATUS_BAR_COLOR = "default"
PWA_APP_LANG = "en-GB"
PWA_APP_DIR = "ltr"
PWA_APP_ICONS = [
    {"src": "/static/frontend/icons/icon-192.png", "sizes": "192x192", "type": "image/png"},
    {"src": "/static/frontend/icons/icon-512.png", "sizes": "512x512", "type": "image/png"},
    {
        "src": "/static/frontend/icons/icon-maskable-512.png",
        "sizes": "512x512",
        "type": "image/png",
        "purpose": "maskable",
    },
]
PWA_APP_SHORTCUTS = [
    {"name": "Log session", "url": "/log", "description": "Start logging today's hip session"},
]
PWA_APP_DEBUG_MODE = False
PWA_APP_ICONS_APPLE = [
    {"src": "/static/frontend/icons/icon-192.png", "sizes": "192x192"},
]
PWA_SERVICE_WORKER_PATH = BASE_DIR / "frontend" / "static" / "frontend" / "js" / "serviceworker.js"

# --- Security -------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# HTTPS only once DEBUG is off (a laptop's http://localhost keeps working)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
# Every page, answer and file: our own origin only, no inline script or style (the pages have
# none; the API docs' assets are served locally by django-ninja). data: images for Swagger UI.
SELF = "'self'"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "worker-src": [SELF],
        "object-src": ["'none'"],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": ["'none'"],
    }
}
# Powerful features the app does not use are off; notifications and storage are not in this list.
WHITENOISE_ADD_HEADERS_FUNCTION = static_file_headers
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), payment=(), usb=(), interest-cohort=()"
)
if env.bool("BEHIND_HTTPS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # tokens of links (share, calendar, reminder-off, password reset) never reach a log line;
    # the access loggers, which do not pass through here, get the filter from tracker's ready()
    "filters": {"mask_secrets": {"()": "tracker.logfilters.MaskSecrets"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["mask_secrets"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
