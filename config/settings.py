"""Settings of the Projektmarktplatz, read from the environment.

Without any variable set, the portal runs embedded: SQLite under ``var/``, Celery
tasks executed eagerly in the web process, email printed to the console. The
variables in ``.env.example`` switch on the production shape: PostgreSQL with
persistent connections, Redis as broker and cache, HTTPS-only cookies.
"""

import os
from pathlib import Path
from typing import Any

from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.environment import (
    env_bool,
    env_float,
    env_int,
    env_list,
    env_str,
    parse_database_url,
)
from config.single_sign_on import openid_connect_providers

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

# pytest (>= 8.2) announces itself; the suite then gets a fixed key and plain HTTP.
TESTING = "PYTEST_VERSION" in os.environ

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY") or ""
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured(
            "The environment variable SECRET_KEY (or SECRET_KEY_FILE) is required "
            "when DEBUG is off."
        )
    SECRET_KEY = "insecure-development-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.forms",  # the form renderer below finds Django's widget templates through it
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "django_filters",
    "django_htmx",
    "template_partials",
    "csp",
    "accounts",
    "marketplace",
    "participation",
    "workload",
    "api",
]
# The benchmark (``make bench``) is a tool for developers, never part of a deployment:
# its app, its baseline view and its data-seeding commands exist only when asked for.
BENCHMARK = env_bool("BENCHMARK", False)
if BENCHMARK:
    INSTALLED_APPS.append("bench")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions and sign-in: a refused API request costs no query.
    "api.middleware.ApiGateMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # django-csp's, with the identity provider's origin in form-action when SSO is on.
    "config.content_security_policy.SingleSignOnCSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.AdminRequiresMultiFactorMiddleware",
    "config.middleware.InvalidFormStatusMiddleware",
]
# Benchmark runs only (``manage.py bench_run`` sets it): every response names the
# number of database queries it took in an ``X-Query-Count`` header.
if BENCHMARK and env_bool("BENCH_QUERY_COUNT", False):
    MIDDLEWARE.insert(0, "bench.middleware.QueryCountMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "accounts.context_processors.notifications",
            ],
        },
    }
]

# Widgets render through TEMPLATES, so templates/admin/widgets/ can give the admin's split
# date/time inputs the labels Django's own template leaves out.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- Database -------------------------------------------------------------

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
DATABASES = {"default": parse_database_url(DATABASE_URL, base_dir=BASE_DIR)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A new connection per request costs more than a whole page: keep them, and
    # check them before use so a restarted database does not fail one request.
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 60, minimum=0)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"]["TEST"] = {"NAME": env_str("TEST_DATABASE_NAME", None)}
else:
    DATABASES["default"]["OPTIONS"] = {"timeout": 20}
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# --- Cache, broker, Celery --------------------------------------------------

REDIS_URL = env_str("REDIS_URL")
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {
        "default": {
            # Answers a miss while Redis is away: pages get slower, not broken.
            "BACKEND": "config.cache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 1.0},
            # One prefix per test run: parallel runs on one Redis never clear each other's keys.
            "KEY_PREFIX": env_str(
                "CACHE_KEY_PREFIX", f"pm-test-{os.getpid()}" if TESTING else "pm"
            ),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Each process's own copy of rendered lists and counts (``marketplace.counts_cache``):
# its keys carry the shared version, so it cannot serve what Redis has dropped.
# A rendered browse page is up to ~35 KB: 500 entries keep a process under ~20 MB.
CACHES["local"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "pm-local",
    "OPTIONS": {"MAX_ENTRIES": 500},
}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
# Without a broker the embedded setup runs every task at once, in the request.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
# Nobody reads the result of our tasks (the database rows are the truth). Storing
# none also keeps ``apply_async`` from subscribing to the result backend, which
# retries a dead Redis for about 20 s inside the request that publishes.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = 1.0
# A task a killed worker had taken goes back to the queue this many seconds after
# it was taken (Redis has no acknowledgement of its own). Every task is safe to run
# twice and none runs this long, so minutes, not Redis' default hour.
TASK_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 300, minimum=1)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": TASK_VISIBILITY_TIMEOUT,
    # Workers look for such tasks this often (at most every 10 s).
    "unacked_restore_interval": max(1, min(10, TASK_VISIBILITY_TIMEOUT // 2)),
    "unacked_restore_throttle": 1,
    # A request that sends a task gives up on a dead broker at once: one quick retry
    # of the connection, a short connect timeout, no retry of the publish itself.
    # The notification sweep sends later what did not go.
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
    "socket_connect_timeout": 0.5,
    "socket_timeout": 5,
}
# Only tests and the health tooling read results; they too must not wait long.
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 0.5
CELERY_REDIS_SOCKET_TIMEOUT = 5
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": {"max_retries": 1}}
CELERY_TIMEZONE = "Europe/Berlin"
# Each test run sends to a queue of its own, so parallel runs and a developer's
# worker never take each other's tasks; production keeps Celery's default.
CELERY_TASK_DEFAULT_QUEUE = env_str(
    "CELERY_QUEUE", f"pm-test-{os.getpid()}" if TESTING else "celery"
)
# The beat schedule's times are Europe/Berlin (CELERY_TIMEZONE).
CELERY_BEAT_SCHEDULE: dict = {
    "sweep-undelivered-notifications": {
        "task": "accounts.sweep_undelivered_notifications",
        "schedule": 60.0,
    },
    "notification-digests": {
        "task": "accounts.send_notification_digests",
        "schedule": crontab(hour=7, minute=0),
    },
    "application-reminders": {
        "task": "participation.remind_pending_applications",
        "schedule": crontab(hour=6, minute=0),
    },
    "overdue-project-reminders": {
        "task": "marketplace.remind_overdue_projects",
        "schedule": crontab(hour=6, minute=5),
    },
    "take-monthly-workload-snapshot": {
        "task": "workload.take_monthly_workload_snapshot",
        "schedule": crontab(minute=0, hour=5, day_of_month=1),
    },
}

# --- Authentication -----------------------------------------------------------

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
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Projektmarktplatz] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.ParticipantSignupForm"
ACCOUNT_FORMS = {"add_email": "accounts.email_forms.PortalAddEmailForm"}
ACCOUNT_ADAPTER = "accounts.account_adapter.AccountAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Projektmarktplatz Berlin"
# A code typed in the last seconds of its 30 s period arrives in the next one: accept the
# neighbouring periods, as RFC 6238 (section 5.2) advises for such delays.
MFA_TOTP_TOLERANCE = 1

# Single sign-on for employees through OpenID Connect, configured by OIDC_* variables alone.
SOCIALACCOUNT_ADAPTER = "accounts.single_sign_on.SocialAccountAdapter"
SOCIALACCOUNT_PROVIDERS = openid_connect_providers()
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"  # the identity provider has verified the address
SOCIALACCOUNT_STORE_TOKENS = False
# A GET of the provider's login URL only shows a confirmation page (a link must not
# start a login); the sign-in button is a POST form that goes straight to the provider.
SOCIALACCOUNT_LOGIN_ON_GET = False
OIDC_EMPLOYEE_DOMAINS = env_list("OIDC_EMPLOYEE_DOMAINS", [])

# The privacy notice people consent to at sign-up; raise it when /privacy/ changes.
PRIVACY_NOTICE_VERSION = "2026-11"

# --- Internationalisation -----------------------------------------------------

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
# locale_allauth/ holds the portal's "Sie" for django-allauth's texts, which allauth's own
# German catalogue words with "du"; it yields to locale/ and overrides allauth.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_allauth"]
LANGUAGE_COOKIE_NAME = "pm_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = DEBUG or TESTING
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on every start otherwise
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Uploaded files ------------------------------------------------------------

# What administrators upload (the German Sign Language videos and their captions).
# whitenoise serves static files only: marketplace's media view serves these, each only
# while its video is published (to administrators always), with byte ranges for seeking.
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"

# --- Email -------------------------------------------------------------------

EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1, maximum=65535)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20, minimum=1)
    if EMAIL_USE_TLS and EMAIL_USE_SSL:
        raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on.")
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Projektmarktplatz <noreply@example.org>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# --- Security -----------------------------------------------------------------

HTTPS = env_bool("HTTPS", not (DEBUG or TESTING))
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# A strict policy: only our own scripts and styles, nothing inline. With single sign-on,
# form-action also names the provider's authorisation origin (config/content_security_policy.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "media-src": [SELF],  # the sign-language videos and their captions
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- Product settings ---------------------------------------------------------

WORKLOAD_PROJECT_TARGET = env_float("WORKLOAD_PROJECT_TARGET", 0.75)
WORKLOAD_TOLERANCE = env_float("WORKLOAD_TOLERANCE", 0.05)
# Requests per minute that one client address may send to the read API (/api/v1/).
API_REQUESTS_PER_MINUTE = env_int("API_REQUESTS_PER_MINUTE", 300, minimum=1)

# Notification emails that fail for a temporary reason (SMTP 4xx, refused, timeout)
# are retried with pauses that double from the first to the longest, until the
# notification is this old; a permanent refusal (5xx for the recipient) fails at once.
NOTIFICATION_RETRY_MAX_AGE = env_int("NOTIFICATION_RETRY_MAX_AGE", 3 * 24 * 3600, minimum=0)
NOTIFICATION_RETRY_FIRST_PAUSE = env_int("NOTIFICATION_RETRY_FIRST_PAUSE", 60, minimum=0)
NOTIFICATION_RETRY_MAX_PAUSE = env_int("NOTIFICATION_RETRY_MAX_PAUSE", 3600, minimum=0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
