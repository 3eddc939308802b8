"""evalportal settings: read from environment variables only.

Every variable is documented in .env.example. The defaults make an embedded
run work on a laptop with no servers: SQLite under var/, a Celery broker on
the filesystem, and emails written to var/mail/ as .eml files. In production
(DEBUG off) the app refuses to start without a real SECRET_KEY.
"""

from pathlib import Path

import environ
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from evalportal.config import (
    config_error,
    development_secret_key,
    read_cache,
    read_database,
    read_env,
    read_mailer,
)

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")
# Where the embedded run keeps its SQLite database, broker queue, emails and development secret.
VAR_DIR = Path(read_env(env.str, "VAR_DIR", default=str(BASE_DIR / "var"))).resolve()

DEBUG = read_env(env.bool, "DEBUG", default=False)
SECRET_KEY = read_env(env.str, "SECRET_KEY", default="")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = development_secret_key(VAR_DIR / "development_secret_key")
if not DEBUG and (len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure")):
    config_error(
        "SECRET_KEY",
        "set a random value of at least 50 characters when DEBUG is off "
        "(python -c 'import secrets; print(secrets.token_urlsafe(50))'); "
        "for the embedded run on a laptop use scripts/manage.sh, which runs with DEBUG=true",
    )

ALLOWED_HOSTS = read_env(env.list, "ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = read_env(env.list, "CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = read_env(env.url, "SITE_URL", default="http://127.0.0.1:8000").geturl().rstrip("/")
# Requests a minute per client address on the survey link pages and on the API (429 above).
RATELIMIT_TOKEN_PAGES_PER_MINUTE = read_env(env.int, "RATELIMIT_TOKEN_PAGES_PER_MINUTE", default=120)
RATELIMIT_API_PER_MINUTE = read_env(env.int, "RATELIMIT_API_PER_MINUTE", default=6000)
# Seconds an API key's row is kept in the cache (0: looked up on every request); see placements/api_keys.py.
API_KEY_CACHE_SECONDS = read_env(env.int, "API_KEY_CACHE_SECONDS", default=30)
# Proxies whose X-Forwarded-For is believed; nothing else may set the client address.
TRUSTED_PROXIES = read_env(env.list, "TRUSTED_PROXIES", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # for its Swagger UI files: the API docs load nothing from a CDN
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "evalportal",
    "accounts",
    "placements",
    "outreach",
    "surveys",
    "nps",
    "checkins",
    "exits",
    "applicants",
    "reporting",
]

MIDDLEWARE = [
    "evalportal.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "evalportal.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SessionExpiryMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "evalportal.urls"
WSGI_APPLICATION = "evalportal.wsgi.application"
ASGI_APPLICATION = "evalportal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.navigation",
            ],
        },
    },
    # Plain text: email subjects and text parts. Nothing is HTML-escaped ("Ruud van 't Hoff" stays as typed);
    # emails name it with using="text".
    {
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    },
]

DATABASES = {"default": read_database(env, default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}

CACHES = {"default": read_cache(env)}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
# Two-factor login (TOTP): required for administrators, available to everyone.
OTP_TOTP_ISSUER = "evalportal"
OTP_TOTP_THROTTLE_FACTOR = 1  # after a wrong code, wait 1, 2, 4, … seconds before the next is checked
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Failed-login throttling: five wrong passwords for one account from one
# address lock that pair for 15 minutes.
AXES_FAILURE_LIMIT = read_env(env.int, "AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# The same trusted-proxy rule as the rate limits: behind a proxy the lockout counts the real client address.
AXES_CLIENT_IP_CALLABLE = "evalportal.proxies.client_address"
AXES_VERBOSE = False

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "evalportal" / "locale"]
TIME_ZONE = read_env(env.str, "TIME_ZONE", default="Europe/Amsterdam")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where collectstatic writes (scripts/collectstatic.sh) and whitenoise serves from.
STATIC_ROOT = read_env(env.path, "STATIC_ROOT", default=VAR_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: files under var/mail/ by default, SMTP when EMAIL_URL says so.
_email_timeout = read_env(env.int, "EMAIL_TIMEOUT", default=10)
MAILERS = {"default": read_mailer(env, timeout=_email_timeout, file_path=VAR_DIR / "mail")}
# A worker keeps its SMTP session between messages; one idle longer than this is replaced first.
MAIL_CONNECTION_IDLE_SECONDS = read_env(env.int, "MAIL_CONNECTION_IDLE_SECONDS", default=20)
DEFAULT_FROM_EMAIL = read_env(env.str, "DEFAULT_FROM_EMAIL", default="evalportal <noreply@evalportal.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery. The embedded broker keeps its queue in var/broker/ and needs no
# server; production points CELERY_BROKER_URL at Redis.
CELERY_BROKER_URL = read_env(env.str, "CELERY_BROKER_URL", default="filesystem://")
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 50
CELERY_TASK_TIME_LIMIT = 60
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A hung or absent broker must not hold a web request: publishing gives up
# after a few seconds (the transport's max_retries and the publish retry
# policy below) and the outbox sweep sends the invitation later.
CELERY_BROKER_CONNECTION_TIMEOUT = 3
# The worker and beat, though, keep trying to reconnect for as long as the
# broker is away, instead of exiting after the first failed attempt.
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5}
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue = VAR_DIR / "broker" / "queue"
    _queue.mkdir(parents=True, exist_ok=True)
    (VAR_DIR / "broker" / "control").mkdir(exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue),
        "data_folder_out": str(_queue),
        # The broadcast exchanges (worker control) live beside the queue, not in the working directory.
        "control_folder": str(VAR_DIR / "broker" / "control"),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "socket_timeout": 3,
        "socket_connect_timeout": 3,
        "visibility_timeout": 3600,
        "max_retries": 1,
    }

# The outbox: how often the sweep looks for due invitations that were not sent, how long a queued
# message may stay unanswered before it is queued again, and how long a claim of a worker that died holds.
INVITATION_SWEEP_SECONDS = read_env(env.int, "INVITATION_SWEEP_SECONDS", default=30)
# Dashboards catch up this many seconds after an answer; the answers in between share one refresh.
SUMMARY_REFRESH_DELAY_SECONDS = read_env(env.int, "SUMMARY_REFRESH_DELAY_SECONDS", default=5)
INVITATION_REQUEUE_AFTER_SECONDS = read_env(env.int, "INVITATION_REQUEUE_AFTER_SECONDS", default=60)
INVITATION_CLAIM_LEASE_SECONDS = read_env(env.int, "INVITATION_CLAIM_LEASE_SECONDS", default=300)

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 8 * 60 * 60  # the longest a login lasts
SESSION_IDLE_SECONDS = 30 * 60  # a login ends after this long without a request
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
if not DEBUG:
    SECURE_SSL_REDIRECT = read_env(env.bool, "SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = read_env(env.int, "SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOG_LEVEL = read_env(env.str, "LOG_LEVEL", default="INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "evalportal.logging.RedactFilter"}},
    "formatters": {
        "line": {
            "()": "evalportal.logging.LineFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s request=%(request_id)s %(message)s",
        }
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "line",
            "filters": ["redact"],
        }
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},
    },
}
