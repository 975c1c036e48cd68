"""Django settings, built from the validated environment in ``tabyin.config.env``.

Nothing here reads ``os.environ`` directly: ``env.load()`` does, once, and raises a
``ConfigError`` naming the variable when a value is bad.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import dj_database_url
from django.utils.csp import CSP  # type: ignore[import-untyped,unused-ignore]

from tabyin.config import datadir, env

ENV = env.load()
DATA_DIR: Path = ENV.data_dir
datadir.prepare(DATA_DIR)
PACKAGE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = ENV.secret_key or datadir.secret_key(DATA_DIR)
DEBUG = ENV.debug
ALLOWED_HOSTS = ENV.allowed_hosts
SCALED = ENV.scaled

INSTALLED_APPS = [
    # The admin modules are imported with the URLconf (config/urls.py), not by every command.
    "django.contrib.admin.apps.SimpleAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",  # /sitemap.xml (its template), built from the apps' registrations
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "tabyin.core",
    "tabyin.core.calendar",  # the staff calendar's feed tokens (its own migrations)
    "tabyin.portal",
    "tabyin.scorecard",
    "tabyin.reports",
    "tabyin.monitor",
    "tabyin.reception",
    "tabyin.ideas",
    "tabyin.campaigns",
    "tabyin.desk",
    # Django's widget templates, for the project-wide form renderer below (TemplatesSetting).
    "django.forms",
]

MIDDLEWARE = [
    "tabyin.core.web.middleware.NoClientAddressMiddleware",
    # gzip by Accept-Encoding, outside every middleware that writes a header or the body (ADR 0041).
    "tabyin.core.web.compression.CompressionMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "tabyin.core.web.middleware.PermissionsPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tabyin.config.urls"
WSGI_APPLICATION = "tabyin.config.wsgi.application"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:staff-home"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tabyin.core.web.context_processors.shell",
            ],
            "builtins": ["tabyin.core.templatetags.persian"],
        },
    }
]


# Every form is drawn by core's one field template (label, help, errors in Persian digits, ARIA).
FORM_RENDERER = "tabyin.core.form_renderer.FormRenderer"


def _database() -> dict[str, Any]:
    if not ENV.database_url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "tabyin.sqlite3",
            "OPTIONS": {
                # WAL lets readers go on while a writer works; IMMEDIATE takes the write lock at
                # BEGIN so two writers queue on the busy timeout instead of failing mid-transaction.
                # secure_delete zeroes what a DELETE frees, so a purged report's rows do not stay
                # readable in free pages (services_system.flush_deleted_data empties the WAL too).
                "transaction_mode": "IMMEDIATE",
                "timeout": 5,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                    "PRAGMA secure_delete=ON;"
                ),
            },
            # Kept per web thread as for PostgreSQL: opening the file and running the PRAGMAs
            # on every request was most of a cached page's cost under load (ADR 0013).
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    config: dict[str, Any] = dict(dj_database_url.parse(ENV.database_url, conn_max_age=60))
    config["CONN_HEALTH_CHECKS"] = True
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# "default" may be per process; "shared" is seen by every process of the deployment (log-in
# failures, the data version that page caches and ETags are keyed on).
CACHES: dict[str, dict[str, Any]]
if SCALED:
    _redis: dict[str, Any] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": ENV.redis_url,
        "KEY_PREFIX": "tabyin",
    }
    CACHES = {"default": _redis, "shared": _redis, "responses": _redis}
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        # A per-process memory cache cannot count log-in failures or hold the data version for
        # several web processes on one data directory; the table is created by core's migration 0003.
        "shared": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "tabyin_shared_cache",
            # The default (300, then a random third culled) would evict handlers' unlocked keys and
            # reporters' open cases under a burst of submissions; entries expire on their own.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        },
        # Whole public responses (core.response_cache), per process: each renders a page once per
        # data version; the version itself is read from "shared", so a publication reaches all.
        "responses": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "tabyin-responses",
            "OPTIONS": {"MAX_ENTRIES": ENV.response_cache_entries},
        },
    }
TABYIN_RESPONSE_CACHE = ENV.response_cache
# portal.versions: how long a process trusts its last read of the publish counters (ADR 0019).
TABYIN_CACHE_VERSION_TTL_MS = ENV.cache_version_ttl_ms

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 8 * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = ENV.https
CSRF_COOKIE_SECURE = ENV.https
SECURE_SSL_REDIRECT = ENV.https
SECURE_HSTS_SECONDS = 31_536_000 if ENV.https else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = ENV.https
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if ENV.trusted_proxy:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Every page is served from this origin only: no CDN, no third-party request, no inline script.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Lock-out counts failures per user name only: staff behind one office NAT must not lock each
# other out, and the reports module must never make us store addresses.
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600  # a set-password link lives three days
AXES_FAILURE_LIMIT = ENV.login_failure_limit
AXES_COOLOFF_TIME = ENV.login_lockout_minutes / 60
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/auth/locked_out.html"
# Attempts are counted in the cache (Redis when scaled), not in a database table, and the client
# address axes sees is a constant: no address or user agent of anyone is ever written anywhere.
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_CACHE = "shared"
AXES_CLIENT_IP_CALLABLE = "tabyin.core.web.middleware.no_client_address"
AXES_IPWARE_PROXY_COUNT = 0
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
# axes warns that locking by user name alone lets an attacker who rotates addresses keep trying
# other names; that is the trade-off we choose (see above and docs/adr/0005-staff-sign-in.md):
# every single name is still locked after the limit, and the second factor stands behind it.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
OTP_TOTP_ISSUER = ENV.site_name
# Authenticator secrets are stored encrypted under this key (core.otp_sealing), never in the database:
# a database dump alone gives no second factor. Scaled mode sets TABYIN_OTP_KEY on every process.
TABYIN_OTP_KEY = ENV.otp_key or datadir.otp_key(DATA_DIR)

LANGUAGE_CODE = ENV.language
LANGUAGES = [("fa", "فارسی"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Tehran"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
WHITENOISE_MAX_AGE = 3600


def _mailer() -> dict[str, Any]:
    if not ENV.email_url:
        return {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(DATA_DIR / "mail")},
        }
    parts = urlsplit(ENV.email_url)
    secure = parts.scheme == "smtps"
    return {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": parts.hostname or "",
            "port": parts.port or (465 if secure else 587),
            "username": unquote(parts.username or ""),
            "password": unquote(parts.password or ""),
            "use_ssl": secure,
            "use_tls": not secure,
            "timeout": 20,
        },
    }


MAILERS = {"default": _mailer()}
DEFAULT_FROM_EMAIL = ENV.email_from
SERVER_EMAIL = ENV.email_from

TABYIN_SITE_NAME = ENV.site_name
TABYIN_TASKS_EAGER = ENV.tasks_eager and not SCALED
TABYIN_TASK_THREADS = ENV.task_threads
TABYIN_HEARTBEAT_SECONDS = ENV.heartbeat_seconds
TABYIN_TASK_LOST_AFTER_SECONDS = ENV.task_lost_after_seconds
TABYIN_UPLOAD_MAX_BYTES = ENV.upload_max_mb * 1024 * 1024
TABYIN_EVIDENCE_MAX_BYTES = ENV.evidence_max_mb * 1024 * 1024
TABYIN_EVIDENCE_MAX_FILES = ENV.evidence_max_files
TABYIN_SCORECARD_DRAWS = ENV.scorecard_draws
# The receipt pepper: from the environment, from a file the operator keeps out of the data
# directory's backups, or (embedded default) DATA_DIR/receipt_pepper, which every backup holds.
_PEPPER_FILE = Path(ENV.receipt_pepper_file).expanduser() if ENV.receipt_pepper_file else None
TABYIN_RECEIPT_PEPPER = ENV.receipt_pepper or datadir.receipt_pepper(DATA_DIR, pepper_file=_PEPPER_FILE)
# For `manage check --deploy` (reports.W001): a pepper inside the data directory is in its backups.
TABYIN_RECEIPT_PEPPER_IN_DATA_DIR = not ENV.receipt_pepper and datadir.inside(
    _PEPPER_FILE or DATA_DIR / datadir.PEPPER_FILE, DATA_DIR
)
TABYIN_RECEIPT_HASH_OPS = ENV.receipt_hash_ops
TABYIN_RECEIPT_HASH_BYTES = ENV.receipt_hash_mb * 1024 * 1024
TABYIN_REPORTS_FILE_MAX_BYTES = ENV.reports_file_max_mb * 1024 * 1024
TABYIN_REPORTS_MAX_FILES = ENV.reports_max_files
TABYIN_REPORTS_SUBMISSIONS_PER_MINUTE = ENV.reports_submissions_per_minute
TABYIN_REPORTS_LOOKUP_FAILURES_PER_MINUTE = ENV.reports_lookup_failures_per_minute
TABYIN_REPORTS_POW_BITS = ENV.reports_pow_bits
TABYIN_API_KEY_GRACE_HOURS = ENV.api_key_grace_hours
TABYIN_REPORTS_NOJS_WAIT_SECONDS = ENV.reports_nojs_wait_seconds
TABYIN_REPORTS_RECOVERY_PUBLIC_KEY = ENV.reports_recovery_public_key
TABYIN_REPORTS_STATS_MIN_COUNT = ENV.reports_stats_min_count
TABYIN_SITE_URL = ENV.site_url.rstrip("/")
TABYIN_MONITOR_INDEX_WINDOW_DAYS = ENV.monitor_index_window_days
TABYIN_MONITOR_DATE_MIN_YEAR = ENV.monitor_date_min_year
TABYIN_MONITOR_DATE_FUTURE_HOURS = ENV.monitor_date_future_hours
TABYIN_MONITOR_HOST_REQUESTS_PER_MINUTE = ENV.monitor_host_requests_per_minute
TABYIN_MONITOR_FRESHNESS_SECONDS = ENV.monitor_freshness_seconds
TABYIN_MONITOR_FETCH_TIMEOUT_SECONDS = ENV.monitor_fetch_timeout_seconds
TABYIN_MONITOR_MAX_RESPONSE_BYTES = ENV.monitor_max_response_mb * 1024 * 1024
TABYIN_MONITOR_RAW_KEEP_BYTES = ENV.monitor_raw_keep_kb * 1024
# SMS (core.sms): the backend by dotted path; the console one logs and keeps an in-process outbox.
TABYIN_SMS_BACKEND = ENV.sms_backend
TABYIN_SMS_API_KEY = ENV.sms_api_key
TABYIN_SMS_SENDER = ENV.sms_sender
TABYIN_SMS_API_BASE = ENV.sms_api_base
# Verified phone numbers and e-mail addresses are stored as keyed hashes under this key (core.sms.identity).
TABYIN_IDENTITY_KEY = ENV.identity_key or datadir.identity_key(DATA_DIR)
TABYIN_IDEAS_FILE_MAX_BYTES = ENV.ideas_file_max_mb * 1024 * 1024
TABYIN_IDEAS_SUPPORT_BURST = ENV.ideas_support_burst
TABYIN_IDEAS_INSURED_REGISTRY = ENV.ideas_insured_registry
TABYIN_NOTIFY_BOT_API_BASE = ENV.notify_bot_api_base.rstrip("/")
TABYIN_NOTIFY_BOT_TOKEN = ENV.notify_bot_token
# Notices to the public (core.notify.public): the inbox always; these channels when configured.
TABYIN_PUBLIC_SMS = ENV.public_sms
TABYIN_BALE_SAFIR_API_BASE = ENV.bale_safir_api_base.rstrip("/")
TABYIN_BALE_SAFIR_KEY = ENV.bale_safir_key
TABYIN_BALE_SAFIR_BOT_ID = ENV.bale_safir_bot_id
TABYIN_VAPID_PRIVATE_KEY = ENV.vapid_private_key
TABYIN_VAPID_PUBLIC_KEY = ENV.vapid_public_key
TABYIN_VAPID_SUBJECT = ENV.vapid_subject
TABYIN_MONITOR_BOT_API_BASE = ENV.monitor_bot_api_base.rstrip("/")
TABYIN_MONITOR_BOT_TOKEN = ENV.monitor_bot_token
TABYIN_MONITOR_ALERT_COOLDOWN_HOURS = ENV.monitor_alert_cooldown_hours
TABYIN_MONITOR_BRIEF_HOUR = ENV.monitor_brief_hour
TABYIN_MONITOR_BRIEF_RECIPIENTS = ENV.monitor_brief_recipients
TABYIN_MONITOR_TIPS_PER_HOUR = ENV.monitor_tips_per_hour
TABYIN_MONITOR_TIPS_SITE_PER_HOUR = ENV.monitor_tips_site_per_hour
TABYIN_CAMPAIGNS_TELEGRAM_API_BASE = ENV.campaigns_telegram_api_base.rstrip("/")
TABYIN_CAMPAIGNS_TELEGRAM_TOKEN = ENV.campaigns_telegram_token
TABYIN_CAMPAIGNS_TELEGRAM_CHAT = ENV.campaigns_telegram_chat
TABYIN_CAMPAIGNS_BALE_API_BASE = ENV.campaigns_bale_api_base.rstrip("/")
TABYIN_CAMPAIGNS_BALE_TOKEN = ENV.campaigns_bale_token
TABYIN_CAMPAIGNS_BALE_CHAT = ENV.campaigns_bale_chat
TABYIN_CAMPAIGNS_EITAA_API_BASE = ENV.campaigns_eitaa_api_base.rstrip("/")
TABYIN_CAMPAIGNS_EITAA_TOKEN = ENV.campaigns_eitaa_token
TABYIN_CAMPAIGNS_EITAA_CHAT = ENV.campaigns_eitaa_chat
TABYIN_TELETHON_API_ID = ENV.telethon_api_id
TABYIN_TELETHON_API_HASH = ENV.telethon_api_hash
# Encrypted report files live here, outside MEDIA_ROOT and the web root, under random names.
TABYIN_REPORTS_FILES_DIR = DATA_DIR / "reports"
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# The Celery app the task seam sends to in scaled mode, by dotted path (core never imports config).
TABYIN_CELERY_APP = "tabyin.config.celery.app"
CELERY_BROKER_URL = ENV.redis_url or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
# A task whose worker process died is given back to the queue (not acknowledged as failed);
# one whose whole worker died comes back after the visibility timeout (ADR 0017).
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# kombu looks for such tasks every 10 × 10 s by default; here every tenth of the timeout (1 to 10 s).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": ENV.task_visibility_seconds,
    "unacked_restore_interval": max(1, min(10, ENV.task_visibility_seconds // 10)),
    "unacked_restore_throttle": 1,
}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE

DEFAULT_EXCEPTION_REPORTER_FILTER = "tabyin.core.errors.SafeErrorFilter"

# No client address in any log line: the filter sits on every handler (ours, Django's defaults, and
# any a library has added by then); the web server's (config.server) and Celery's get it where they
# set up their own.
LOGGING_CONFIG = "tabyin.core.web.logscrub.configure"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"no_client_address": {"()": "tabyin.core.web.logscrub.ScrubClientAddresses"}},
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["no_client_address"]}
    },
    "root": {"handlers": ["stderr"], "level": ENV.log_level},
    "loggers": {
        # Request lines carry client addresses; the reports module forbids storing them.
        "django.request": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
        # WeasyPrint narrates every layout step and font subset at INFO; a PDF is not news.
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "WARNING"},
    },
}
