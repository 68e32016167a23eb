"""Settings, read from the environment (names fixed in DESIGN.md).

Unset, everything falls back to the embedded default: SQLite in the project folder,
an in-memory cache and Celery tasks run eagerly, so one machine runs the whole office.
"""

import ipaddress
import json
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", False)
# The production profile: debug off and a real secret given. Without a SECRET_KEY the
# project runs as the embedded single-machine default over plain HTTP on localhost.
PRODUCTION = not DEBUG and bool(os.environ.get("SECRET_KEY"))
# The fallback key only serves the embedded default; production sets SECRET_KEY.
SECRET_KEY = os.environ.get("SECRET_KEY") or "insecure-embedded-default-key-set-SECRET_KEY-in-production"
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if h.strip()
]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "mobilization.apps.MobilizationConfig",
    "teams.apps.TeamsConfig",
    "members.apps.MembersConfig",
    "training.apps.TrainingConfig",
    "inspections.apps.InspectionsConfig",
    "reporting.apps.ReportingConfig",
    "command.apps.CommandConfig",
]

MIDDLEWARE = [
    # First: it ids every request, refuses unusable input and counts every answer, 500s included.
    "mobilization.middleware.RequestGuardMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Before anything that reads: it marks the list, dashboard and export reads the replica may serve.
    "mobilization.dbrouter.ReplicaReadMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # After the user and their second factor are known: a session that still owes a second
    # factor or a new password reaches only the pages that settle it.
    "mobilization.accounts.middleware.AccountPolicyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes last: it must see the authenticated user and the login outcome.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mobilization.urls"
WSGI_APPLICATION = "mobilization.wsgi.application"

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
                "mobilization.context_processors.notifications",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
# Concurrent writers on the embedded database: WAL lets readers go on beside one writer, a write
# transaction takes its lock when it starts (IMMEDIATE) so two never deadlock upgrading a read
# lock, and a writer waits for the lock (busy timeout, seconds) instead of failing "database is locked".
SQLITE_OPTIONS = {
    "timeout": int(os.environ.get("SQLITE_BUSY_TIMEOUT", "30")),
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
# A read replica (streaming replication of the primary): lists, dashboards, statistics and exports
# read from it; writes and the reads after them stay on the primary (mobilization/dbrouter.py).
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60"))
    )
elif os.environ.get("TESTING") == "1":
    # Tests have the alias as a mirror of the test database; they turn REPLICA_READS on themselves.
    DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
REPLICA_READS = bool(DATABASE_REPLICA_URL)
# After a write, the client's next requests read from the primary for this long (the replica's lag).
REPLICA_PIN_SECONDS = int(os.environ.get("REPLICA_PIN_SECONDS", "10"))
if "replica" in DATABASES:
    DATABASE_ROUTERS = ["mobilization.dbrouter.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Authentication as MLPS 2.0 level 3 expects: strong passwords, lockout, idle timeout.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "mobilization.validators.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTH_PASSWORD_VALIDATORS.append(
    # Also records each new password's hash: the history it checks against.
    {
        "NAME": "mobilization.accounts.validators.PasswordHistoryValidator",
        "OPTIONS": {"count": int(os.environ.get("PASSWORD_HISTORY", "5"))},
    }
)
# Lockout: a username is locked after N failures whatever the address, and an address after N
# failures whatever the usernames (each parameter alone, not their combination).
AXES_FAILURE_LIMIT = int(os.environ.get("LOCKOUT_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOCKOUT_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Axes' reset on success deletes every failure of the address too, so one good login of an
# attacker's own account would wipe their failures against others: we reset the username alone.
AXES_RESET_ON_SUCCESS = False
# Attempts during a lockout do not extend it, so the remaining time the page states holds.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "mobilization.views.locked_out"  # JSON for the API, a page for people
AXES_CLIENT_IP_CALLABLE = "mobilization.accounts.ip.client_ip"  # the address the audit trail records
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_ENABLE_ADMIN = False  # lockouts are listed and released in our own admin (audited)
# The proxies (addresses or networks, comma-separated) whose X-Forwarded-For is believed.
# Empty: the header is ignored and the client is the connection's peer.
TRUSTED_PROXIES = [p.strip() for p in os.environ.get("TRUSTED_PROXIES", "").split(",") if p.strip()]
for _proxy in TRUSTED_PROXIES:  # a typo here would otherwise surface as a 500 on every request
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as _exc:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {_proxy!r} is not an address or network.") from _exc

# Two factors: required for the roles mobilization.roles names when on; the embedded default
# leaves it off so that the demo opens with a password alone.
OTP_REQUIRED = env_bool("OTP_REQUIRED", PRODUCTION)
OTP_TOTP_ISSUER = "国防动员办公室"
OTP_RECOVERY_CODES = 10
# Wrong codes count toward the axes lockout like wrong passwords; django-otp's own growing delay
# on top would refuse the right code typed a second after a typo.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
# API tokens: one per login, ending after this idle time or this age, whichever comes first.
TOKEN_IDLE_MINUTES = int(os.environ.get("TOKEN_IDLE_MINUTES", "30"))
TOKEN_MAX_HOURS = int(os.environ.get("TOKEN_MAX_HOURS", "12"))
# A password older than this many days must be changed at the next login (0: never expires).
PASSWORD_MAX_AGE_DAYS = int(os.environ.get("PASSWORD_MAX_AGE_DAYS", "90"))
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True  # the 30 minutes run from the last request: an idle timeout
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
if os.environ.get("TESTING") == "1" and "MEDIA_ROOT" not in os.environ:
    # Test data made once per class (before each test's own folder is set) stays out of ./media.
    import tempfile

    MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="mobilization-test-media-"))
# No MEDIA_URL is routed: uploaded files are served only through views that check scope.
MEDIA_URL = "/protected-media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploaded files on S3-compatible object storage (MinIO, Ceph, a cloud's OSS/COS) instead of
# MEDIA_ROOT: MEDIA_STORAGE=s3 and S3_BUCKET. The bucket stays private: files are read only by the
# views that check scope, streamed through storage.open() (never a bucket URL handed out).
MEDIA_STORAGE = os.environ.get("MEDIA_STORAGE", "filesystem")
if MEDIA_STORAGE == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["S3_BUCKET"],
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY") or None,
            "secret_key": os.environ.get("S3_SECRET_KEY") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            "location": os.environ.get("S3_PREFIX", ""),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
            "addressing_style": os.environ.get("S3_ADDRESSING_STYLE") or None,
        },
    }
WHITENOISE_USE_FINDERS = True
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
# A multipart body (photos, videos, spreadsheets) larger than this is refused with 413 before it is read.
REQUEST_MAX_BODY_BYTES = int(os.environ.get("REQUEST_MAX_BODY_BYTES", str(512 * 1024 * 1024)))

# Personal data (ID numbers, phones) is encrypted with keys derived from this secret
# (mobilization.crypto). The fallback is in this source file for anyone to read: it only
# serves the embedded default on localhost (see the check below). Rotation: set the new
# secret here, raise FIELD_ENCRYPTION_KEY_VERSION, keep the old secret in
# FIELD_ENCRYPTION_KEYRING ({"1": "old secret"}, JSON) and run `manage.py rotate_field_key`.
FIELD_ENCRYPTION_KEY = os.environ.get("FIELD_ENCRYPTION_KEY") or "embedded-default-field-key-set-FIELD_ENCRYPTION_KEY"
FIELD_ENCRYPTION_KEY_VERSION = int(os.environ.get("FIELD_ENCRYPTION_KEY_VERSION", "1"))
FIELD_ENCRYPTION_KEYRING = json.loads(os.environ.get("FIELD_ENCRYPTION_KEYRING") or "{}")

# Serving anything but this machine on the secrets written above would hand every session
# and every encrypted ID number to whoever reads the source: refuse to start instead.
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1", "testserver"}
if not DEBUG and set(ALLOWED_HOSTS) - LOCAL_HOSTS:
    missing = [name for name in ("SECRET_KEY", "FIELD_ENCRYPTION_KEY") if not os.environ.get(name)]
    if missing:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            f"Refusing to serve {', '.join(sorted(set(ALLOWED_HOSTS) - LOCAL_HOSTS))} with DEBUG off on the "
            f"built-in secrets. Set {' and '.join(missing)} in the environment (the fallbacks are public); "
            "only localhost may run on them."
        )
if PRODUCTION and not os.environ.get("FIELD_ENCRYPTION_KEY"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("Set FIELD_ENCRYPTION_KEY: resident ID numbers are encrypted with it.")

# Uploads (inspection photos and videos, rectification evidence). A photo's pixel count is read
# from its header before any decoding: a small file may declare an image that fills the memory.
UPLOAD_MAX_PIXELS = int(os.environ.get("UPLOAD_MAX_PIXELS", str(40_000_000)))
UPLOAD_MAX_FILES = int(os.environ.get("UPLOAD_MAX_FILES", "10"))
UPLOAD_MAX_REQUEST_BYTES = int(os.environ.get("UPLOAD_MAX_REQUEST_BYTES", str(256 * 1024 * 1024)))
# Django refuses more files than this before a view runs (above the service's own
# limit, so a few too many get the service's clearer per-field message).
DATA_UPLOAD_MAX_NUMBER_FILES = 2 * UPLOAD_MAX_FILES
# The audit trail (mobilization.audit): each event's keyed hash is keyed by AUDIT_CHAIN_KEY,
# or by SECRET_KEY when it is unset (then changing SECRET_KEY breaks the verification of every
# event sealed before: set AUDIT_CHAIN_KEY in production and keep it). Events are kept
# AUDIT_RETENTION_DAYS (180 at least, whatever is set), then archived to signed files here.
AUDIT_CHAIN_KEY = os.environ.get("AUDIT_CHAIN_KEY", "")
AUDIT_RETENTION_DAYS = max(180, int(os.environ.get("AUDIT_RETENTION_DAYS", "180")))
AUDIT_ARCHIVE_DIR = Path(os.environ.get("AUDIT_ARCHIVE_DIR") or MEDIA_ROOT / "private" / "audit-archive")
# Backups (`manage.py backup`, nightly by beat): dated folders here, the BACKUP_KEEP most recent kept.
# Keep this folder off the machine too (another disk, NFS, object storage): it holds every record.
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR") or BASE_DIR / "backups")
BACKUP_KEEP = int(os.environ.get("BACKUP_KEEP", "7"))

# An unfiltered API list of a table above this many rows (a superuser's national list) counts by
# the PostgreSQL planner's estimate, marked by the X-Count-Estimated header (mobilization.api.pagination).
API_COUNT_ESTIMATE_ABOVE = int(os.environ.get("API_COUNT_ESTIMATE_ABOVE", "100000"))
# From this many rows skipped on, an API page reads its rows' ids first, then the rows (mobilization.api.pagination).
API_LATE_ROWS_FROM = int(os.environ.get("API_LATE_ROWS_FROM", "1000"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "mobilization.accounts.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["mobilization.api.permissions.ScopedModelPermissions"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "mobilization.api.pagination.StandardPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "mobilization.api.exceptions.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "国防动员办公室管理系统 API",
    "DESCRIPTION": "Mobilization office administration: units, teams, rosters, training, inspections, statistics.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Every operation documents the error answers it can give, with their bodies (mobilization/api/schema.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "mobilization.api.schema.add_error_responses",
    ],
    # Choice sets sharing a field name ("kind", "period_kind") get a name each instead of a hash.
    "ENUM_NAME_OVERRIDES": {
        "UnitKindEnum": "mobilization.choices.UnitKindChoices",
        "UnavailabilityReasonEnum": "members.choices.UnavailabilityReasonChoices",
        "CallAnswerEnum": "teams.choices.CallAnswerChoices",
        "PeriodKindEnum": "reporting.choices.PeriodKindChoices",
        "SnapshotKindEnum": "reporting.choices.SnapshotKindChoices",
        "ExerciseKindEnum": "training.choices.ExerciseKindChoices",
        "FacilityKindEnum": "inspections.choices.FacilityKindChoices",
        "MediaKindEnum": "inspections.choices.MediaKindChoices",
        "NotificationKindEnum": "mobilization.choices.NotificationKindChoices",
        "AuditActionEnum": "mobilization.choices.AuditActionChoices",
    },
}

# Celery: Redis broker when REDIS_URL is set; otherwise tasks run eagerly in-process.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True  # a worker that dies mid-task leaves it for another: tasks are idempotent
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# The dashboard shows the stored figures of a region and period while they are younger than this
# (seconds); older ones are shown at once and recomputed by a queued task (reporting.services).
DASHBOARD_FIGURES_MAX_AGE = int(os.environ.get("DASHBOARD_FIGURES_MAX_AGE", "600"))

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@mobilization.local")
# SMS goes through a pluggable backend; the default only logs what it would send.
SMS_BACKEND = os.environ.get("SMS_BACKEND", "mobilization.sms.LoggingSMSBackend")
# How phones reach this site: the start of the personal call-out links sent by SMS.
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000")
# A personal call-out link answers at most this many requests a minute from one address.
CALLOUT_LINK_RATE = int(os.environ.get("CALLOUT_LINK_RATE", "60"))
# The communication test's target: this per cent of the people called answer within these minutes.
CALLOUT_TEST_TARGET = {
    "rate": float(os.environ.get("CALLOUT_TEST_TARGET_RATE", "90")),
    "minutes": int(os.environ.get("CALLOUT_TEST_TARGET_MINUTES", "30")),
}
SMS_FILE_PATH = os.environ.get("SMS_FILE_PATH", str(BASE_DIR / "sms.jsonl"))
# A failed message is tried again after 30 s, 60 s, 120 s ... up to SMS_MAX_ATTEMPTS attempts in all.
SMS_MAX_ATTEMPTS = int(os.environ.get("SMS_MAX_ATTEMPTS", "5"))
SMS_RETRY_SECONDS = int(os.environ.get("SMS_RETRY_SECONDS", "30"))
# The HTTP gateway (mobilization.sms.HTTPGatewaySMSBackend): where, who, the shared secret that
# signs both ways, at most how many messages a second, and the receipt callback it is given.
SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "")
SMS_GATEWAY_ACCOUNT = os.environ.get("SMS_GATEWAY_ACCOUNT", "")
SMS_GATEWAY_SECRET = os.environ.get("SMS_GATEWAY_SECRET", "")
SMS_GATEWAY_RATE = int(os.environ.get("SMS_GATEWAY_RATE", "50"))
SMS_GATEWAY_TIMEOUT = float(os.environ.get("SMS_GATEWAY_TIMEOUT", "10"))
SMS_RECEIPT_URL = os.environ.get("SMS_RECEIPT_URL", "")

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True


def transport_security(https):
    """The settings that assume HTTPS, switched together: on an HTTP-only intranet a `Secure`
    cookie is never sent back, so a redirect without the cookies (or the reverse) breaks logins."""
    return {
        "SECURE_SSL_REDIRECT": https,
        "SESSION_COOKIE_SECURE": https,
        "CSRF_COOKIE_SECURE": https,
        "SECURE_HSTS_SECONDS": int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600))) if https else 0,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": https,
        "SECURE_HSTS_PRELOAD": https,
    }


# HTTPS=false (or SECURE_SSL_REDIRECT=false, the older name) serves an HTTP-only intranet.
HTTPS = env_bool("HTTPS", True) and env_bool("SECURE_SSL_REDIRECT", True)
if PRODUCTION:
    globals().update(transport_security(HTTPS))
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# `/metrics` (Prometheus text) answers superusers, and a scraper sending `Authorization: Bearer <METRICS_TOKEN>`.
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")

# LOG_FORMAT=json writes one JSON object per line for log collection; every record carries the
# request id (the X-Request-ID answered to the client), and every 500 its traceback.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "mobilization.requestlog.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "mobilization.requestlog.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "loggers": {
        "mobilization": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
        # Unhandled exceptions (500s) with their tracebacks; 4xx answers are the client's, not logged.
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING"},
    },
}

# Grid inspections: a report filed farther than this from its facility is flagged for the director.
INSPECTION_MAX_DISTANCE_M = int(os.environ.get("INSPECTION_MAX_DISTANCE_M", "500"))
# The map's tile layer (the office's intranet tile server, `{z}/{x}/{y}` placeholders); empty: no
# tiles, the points are drawn over a plain grid and nothing is fetched from outside the site.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "")
# Evaluation follow-ups: the unit is reminded this many days before an item's deadline.
FOLLOW_UP_REMIND_DAYS = int(os.environ.get("FOLLOW_UP_REMIND_DAYS", "7"))
