"""Settings for naikkelas: one file, every deployment difference read from the environment."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    """Read a True/False variable; anything else is a configuration error, not a silent False."""
    value = os.getenv(name, default)
    if value.lower() in ("true", "1", "yes"):
        return True
    if value.lower() in ("false", "0", "no", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be True or False, not {value!r}")


def envint(name: str, default: str) -> int:
    value = os.getenv(name, default)
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


# Off unless set: a server started without configuration must not show tracebacks nor run on the
# development keys. `make demo`, `make serve` and `make test` set DEBUG=1 for a trial on one machine.
DEBUG = envbool("DEBUG", "False")
DATA_DIR = Path(os.getenv("NAIKKELAS_DATA_DIR", str(BASE_DIR / "var")))

_DEV_SECRET = "naikkelas-local-development-key-not-for-production-use-0123456789"  # noqa: S105  (DEBUG only)
SECRET_KEY = os.getenv("SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set when DEBUG is off (production: see README, Configuration); "
        "for a trial on this machine set DEBUG=1 or use `make demo`."
    )

# Key material for personal data (NIK encryption and keyed look-up hash); separate from SECRET_KEY so
# rotating session signing never makes stored NIKs unreadable.
NAIKKELAS_SECRET = os.getenv("NAIKKELAS_SECRET", "naikkelas-local-personal-data-key" if DEBUG else "")
if not NAIKKELAS_SECRET:
    raise ImproperlyConfigured(
        "NAIKKELAS_SECRET (the key of the stored NIKs) must be set when DEBUG is off; for a trial set DEBUG=1."
    )
# Keys that still read (never write) while `naikkelas rotate_secret` moves every NIK to NAIKKELAS_SECRET; comma-
# separated, newest first. Empty once the rotation is done and checked (deploy/README.md, "Changing the NIK key").
NAIKKELAS_OLD_SECRETS = envlist("NAIKKELAS_OLD_SECRETS", "")
if NAIKKELAS_SECRET in NAIKKELAS_OLD_SECRETS:
    raise ImproperlyConfigured("NAIKKELAS_OLD_SECRETS must not hold the current NAIKKELAS_SECRET.")

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

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
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "ninja",  # the API documentation's Swagger UI from ninja's own static files, never a CDN
    "axes",  # login throttling with lockout (page, phone and admin login)
    "naikkelas.core",
    "naikkelas.regions",
    "naikkelas.accounts",
    "naikkelas.registry",
    "naikkelas.intake",
    "naikkelas.lifecycle",
    "naikkelas.performance",
    "naikkelas.training",
    "naikkelas.financing",
    "naikkelas.supervision",
    "naikkelas.catalog",
    "naikkelas.dashboard",
    "naikkelas.api",
    "naikkelas.opportunities",
    "naikkelas.planning",
    "naikkelas.privacy",
    "naikkelas.ops",
    "django_prometheus",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",  # first and last: times the whole request
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "naikkelas.core.middleware.LanguageMiddleware",
    "naikkelas.core.middleware.RefuseNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "naikkelas.core.middleware.IdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",  # turns a locked-out login into the lockout page
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

# Content-Security-Policy (django-csp; Django 5.2 has none built in). Scripts only from naikkelas itself or
# inline with the request's nonce (htmx gives swapped-in scripts the same nonce); no eval, no plugins, no
# framing by other sites. Inline style attributes stay allowed (Pico and htmx's indicators use them; styles run
# no code). Nothing is loaded from outside, except map tiles when an office sets NAIKKELAS_MAP_TILES.
# Map tiles: none by default (the maps draw their points on a plain grid, offline); an office with a connection
# may set a tile server, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png (mind its usage policy).
MAP_TILES = os.getenv("NAIKKELAS_MAP_TILES", "").strip()
_MAP_TILE_ORIGIN = "/".join(MAP_TILES.split("/")[:3]) if MAP_TILES.startswith("https://") else ""
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:", *([_MAP_TILE_ORIGIN] if _MAP_TILE_ORIGIN else [])],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    }
}

ROOT_URLCONF = "naikkelas.urls"
WSGI_APPLICATION = "naikkelas.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "naikkelas" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

_default_db = f"sqlite:///{DATA_DIR / 'naikkelas.sqlite3'}"
if "DATABASE_URL" not in os.environ:
    DATA_DIR.mkdir(parents=True, exist_ok=True)  # "clone, make demo, it works": SQLite needs its folder
DATABASES = {"default": dj_database_url.parse(os.getenv("DATABASE_URL", _default_db), conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers work while an import writes; IMMEDIATE avoids "database is locked" on upgrade.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTHENTICATION_BACKENDS = [
    "naikkelas.accounts.backends.LockoutBackend",  # first: refuses every login while locked out (django-axes)
    "django.contrib.auth.backends.ModelBackend",
    "naikkelas.accounts.backends.PhoneNumberBackend",  # owners: their phone number as they type it
]
# Five wrong passwords for one account from one address lock that pair out for 15 minutes; the account's name
# is normalised (a phone number however typed) so that another spelling does not start a new count.
AXES_FAILURE_LIMIT = int(os.getenv("NAIKKELAS_LOGIN_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.getenv("NAIKKELAS_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "naikkelas.accounts.backends.login_name"
AXES_LOCKOUT_CALLABLE = "naikkelas.accounts.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # its log lines would name the account and address at every attempt
AXES_IPWARE_PROXY_COUNT = int(os.getenv("NAIKKELAS_PROXY_COUNT", "0"))  # behind nginx: 1
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "naikkelas" / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "naikkelas" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = DATA_DIR / "media"
# Uploaded files (photos, RAT minutes, import lists) on the local disk by default; NAIKKELAS_STORAGE=s3 keeps them in
# an S3-compatible bucket (MinIO, a government cloud's object store) through django-storages (`pip install
# naikkelas[s3]`). Files stay private either way: every download goes through the app's access checks, the
# bucket is never public and no page links to it.
STORAGE = os.getenv("NAIKKELAS_STORAGE", "local")
if STORAGE == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.getenv("NAIKKELAS_S3_BUCKET", ""),
            "endpoint_url": os.getenv("NAIKKELAS_S3_ENDPOINT_URL") or None,
            "region_name": os.getenv("NAIKKELAS_S3_REGION") or None,
            "access_key": os.getenv("NAIKKELAS_S3_ACCESS_KEY", ""),
            "secret_key": os.getenv("NAIKKELAS_S3_SECRET_KEY", ""),
            "location": os.getenv("NAIKKELAS_S3_PREFIX", "media"),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
        },
    }
    if not STORAGES["default"]["OPTIONS"]["bucket_name"]:
        raise ImproperlyConfigured(
            "NAIKKELAS_STORAGE=s3 needs NAIKKELAS_S3_BUCKET (and the endpoint and keys)."
        )
elif STORAGE != "local":
    raise ImproperlyConfigured(f"NAIKKELAS_STORAGE must be local or s3, not {STORAGE!r}")
# `naikkelas backup` writes its archives here and keeps the newest NAIKKELAS_BACKUP_KEEP (0: all).
BACKUP_DIR = Path(os.getenv("NAIKKELAS_BACKUP_DIR", str(DATA_DIR / "backups")))
BACKUP_KEEP = envint("NAIKKELAS_BACKUP_KEEP", "14")

# Long work (imports) runs as background tasks: stored in the database, run by `naikkelas worker`.
# Tests run them at once with django_tasks.backends.immediate.ImmediateBackend (tests/conftest.py).
TASKS = {
    "default": {
        "BACKEND": os.getenv("NAIKKELAS_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# Shared by the web and worker processes (an import's progress is written by one and read by the other) without
# another service to run; set NAIKKELAS_CACHE_DIR to move it.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.getenv("NAIKKELAS_CACHE_DIR", str(DATA_DIR / "cache")),
    }
}
# NAIKKELAS_REDIS_URL (e.g. redis://127.0.0.1:6379/0) puts the cache and the sessions on Redis: needed when the web
# and the worker run on different machines, and faster than files under load.
REDIS_URL = os.getenv("NAIKKELAS_REDIS_URL", "").strip()
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
# Drawn PDFs (posters, certificates, statements) are kept this long in the cache, keyed by what they show.
PDF_CACHE_DAYS = int(os.getenv("NAIKKELAS_PDF_CACHE_DAYS", "30"))
# The public training registration, per 10 minutes: from one visitor (address and browser), and to one cohort.
TRAINING_REGISTRATIONS_PER_IP = int(os.getenv("NAIKKELAS_REGISTRATIONS_PER_IP", "10"))
TRAINING_REGISTRATIONS_PER_COHORT = int(os.getenv("NAIKKELAS_REGISTRATIONS_PER_COHORT", "40"))
# API tokens expire after this many days unless made for fewer; each can be revoked on the user's token page.
API_TOKEN_DAYS = int(os.getenv("NAIKKELAS_API_TOKEN_DAYS", "90"))
# Limits on what an import reads, each checked before the expensive step (README, "Import limits"):
INTAKE_MAX_MB = int(
    os.getenv("NAIKKELAS_INTAKE_MAX_MB", "300")
)  # upload and import size limit (a SIDT export of a million rows: ~270 MB)
# Cells a sheet may span (rows × columns up to its far corner), checked before the sheet is loaded.
INTAKE_MAX_CELLS = int(os.getenv("NAIKKELAS_INTAKE_MAX_CELLS", "20000000"))
INTAKE_MAX_ROWS = int(os.getenv("NAIKKELAS_INTAKE_MAX_ROWS", "1000000"))  # data rows of one import
# A file larger than this (MB) is read and parsed in a second process while the first checks and writes (0: never).
INTAKE_PARALLEL_MB = float(os.getenv("NAIKKELAS_INTAKE_PARALLEL_MB", "20"))
INTAKE_MAX_COLUMNS = int(os.getenv("NAIKKELAS_INTAKE_MAX_COLUMNS", "1000"))  # columns of a row
INTAKE_MAX_SHEETS = int(os.getenv("NAIKKELAS_INTAKE_MAX_SHEETS", "50"))  # sheets searched for the header
# Problems of each kind kept with an import (the totals are kept too; every problem is in its problem file).
INTAKE_REPORT_PROBLEMS = int(os.getenv("NAIKKELAS_INTAKE_REPORT_PROBLEMS", "5000"))
# The longest a check or an import may run before it stops itself (nothing kept) and is marked failed.
INTAKE_TASK_MINUTES = int(os.getenv("NAIKKELAS_INTAKE_TASK_MINUTES", "60"))
# A check or import that shows no progress for this long is taken as dead (its worker stopped) and marked failed.
INTAKE_STALL_MINUTES = int(os.getenv("NAIKKELAS_INTAKE_STALL_MINUTES", "30"))
# Uploaded lists hold people's NIKs in plain text: a file is deleted as soon as its import is done or undone, and
# any other upload's file (checked but never imported, failed) after this many hours at the most.
INTAKE_FILE_HOURS = int(os.getenv("NAIKKELAS_INTAKE_FILE_HOURS", "24"))
# A duplicate search in a region with fewer businesses learns its model from the nearest wider region that has
# this many (intake.duplicates.training_area).
DEDUPE_MIN_TRAINING = int(os.getenv("NAIKKELAS_DEDUPE_MIN_TRAINING", "5000"))
# Duplicate search on Spark (naikkelas dedupe --backend spark): the master URL, e.g. spark://host:7077 or yarn for
# a cluster; local[*] runs Spark inside this machine. Extra settings as key=value,key=value.
DEDUPE_SPARK_MASTER = os.getenv("NAIKKELAS_SPARK_MASTER", "local[2]")
DEDUPE_SPARK_CONF = envlist("NAIKKELAS_SPARK_CONF", "")
# Where Spark writes its intermediate tables; on a cluster, storage every worker reaches (hdfs://…, s3a://…).
# Empty: a temporary folder on this machine, removed after the search.
DEDUPE_SPARK_CHECKPOINT_DIR = os.getenv("NAIKKELAS_SPARK_CHECKPOINT_DIR", "")
# The funnel counts a business as operating for this many days after a visit found it operating (and an
# assessment as current for as long).
# E-mail (training invitations). Development prints mails to the console; production sets an SMTP server.
EMAIL_BACKEND = os.getenv(
    "NAIKKELAS_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.getenv("NAIKKELAS_EMAIL_HOST", "localhost")
EMAIL_PORT = envint("NAIKKELAS_EMAIL_PORT", "25")
DEFAULT_FROM_EMAIL = os.getenv("NAIKKELAS_EMAIL_FROM", "naikkelas <noreply@localhost>")
FUNNEL_WINDOW_DAYS = envint("NAIKKELAS_FUNNEL_WINDOW_DAYS", "365")
# Messages to people (one-time codes, answers to their data requests, breach notices): an office's SMS or WhatsApp
# gateway taking POST {"to", "text"} as JSON (core.outbox); without one they wait in the outbox for an officer to
# send by WhatsApp link. Tried NAIKKELAS_OUTBOX_TRIES times; kept NAIKKELAS_OUTBOX_DAYS days.
SMS_GATEWAY_URL = os.getenv("NAIKKELAS_SMS_GATEWAY_URL", "").strip()
SMS_GATEWAY_TOKEN = os.getenv("NAIKKELAS_SMS_GATEWAY_TOKEN", "").strip()
OUTBOX_TRIES = envint("NAIKKELAS_OUTBOX_TRIES", "3")
OUTBOX_DAYS = envint("NAIKKELAS_OUTBOX_DAYS", "30")
# Retention periods (privacy.retention), each NAIKKELAS_RETENTION_<KEY>_DAYS: PHONE_CODES (1), DATA_REQUESTS (1825),
# WITHDRAWN_CONSENTS (1825), AUDIT_VALUES (3650); the outbox's is NAIKKELAS_OUTBOX_DAYS.
RETENTION_DAYS = {
    key.lower(): envint(f"NAIKKELAS_RETENTION_{key}_DAYS", default)
    for key, default in (("PHONE_CODES", "1"), ("DATA_REQUESTS", "1825"), ("WITHDRAWN_CONSENTS", "1825"),
                         ("AUDIT_VALUES", "3650"))
} | {"outbox": OUTBOX_DAYS}  # fmt: skip
VISIT_PHOTO_MAX_PX = 1280  # longest side of a stored visit photo
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
MEDIA_URL = "media/"

# Security: strict when DEBUG is off; behind a TLS-terminating proxy set SECURE_PROXY_SSL_HEADER=True.
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", str(not DEBUG))
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", str(not DEBUG))
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", str(not DEBUG))
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000")
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", str(not DEBUG))
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", str(not DEBUG))
if envbool("SECURE_PROXY_SSL_HEADER", "False"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
# A login lasts at most a week; idle, an office account is logged out after 30 minutes, others after a week.
SESSION_COOKIE_AGE = envint("NAIKKELAS_SESSION_DAYS", "7") * 86400
SESSION_IDLE_MINUTES_STAFF = envint("NAIKKELAS_STAFF_IDLE_MINUTES", "30")
SESSION_IDLE_MINUTES = envint("NAIKKELAS_IDLE_MINUTES", str(7 * 24 * 60))
X_FRAME_OPTIONS = "DENY"

# Logs go to standard error (journald under systemd): plain lines, or one JSON object per line with
# NAIKKELAS_LOG_FORMAT=json for a log collector. NIK-like digit runs are masked before any handler writes.
LOG_FORMAT = os.getenv("NAIKKELAS_LOG_FORMAT", "text")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured(f"NAIKKELAS_LOG_FORMAT must be text or json, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"personal": {"()": "naikkelas.core.logs.MaskPersonalData"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["personal"]},
    },
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "WARNING")},
}

# Error reports to Sentry (or a compatible server such as GlitchTip) only when a DSN is set; nothing personal
# is sent: no user details, no request bodies, NIK-like runs masked (naikkelas.core.logs.scrub_event).
SENTRY_DSN = os.getenv("NAIKKELAS_SENTRY_DSN", "").strip()
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    from naikkelas.core.logs import scrub_event

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration()],
        environment=os.getenv("NAIKKELAS_SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=float(os.getenv("NAIKKELAS_SENTRY_TRACES", "0")),
        send_default_pii=False,
        max_request_body_size="never",
        before_send=scrub_event,
    )

# Health and metrics (naikkelas.ops): /healthz answers 503 when a check fails.
HEALTH_WORKER_SECONDS = envint("NAIKKELAS_HEALTH_WORKER_SECONDS", "120")  # the worker beats every 30 s
HEALTH_DISK_MB = envint("NAIKKELAS_HEALTH_DISK_MB", "1024")  # free space wanted in the data folder
HEALTH_PENDING_MINUTES = envint(
    "NAIKKELAS_HEALTH_PENDING_MINUTES", "15"
)  # oldest task waiting for the worker
HEALTH_BACKUP_HOURS = envint("NAIKKELAS_HEALTH_BACKUP_HOURS", "26")  # 0: no backup check
# The folder gunicorn's workers and the worker share their counters in (prometheus_client's multiprocess mode):
# made here, so whichever service starts first finds it.
if os.getenv("PROMETHEUS_MULTIPROC_DIR"):
    Path(os.environ["PROMETHEUS_MULTIPROC_DIR"]).mkdir(parents=True, exist_ok=True)
METRICS_TOKEN = os.getenv("NAIKKELAS_METRICS_TOKEN", "")  # when set, /metrics wants "Authorization: Bearer …"
# A monitor on the machine asks over plain HTTP: these two are never redirected to HTTPS.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]

# Which npm package and version of the Kemendagri region tree `load_regions` reads.
REGIONS_PACKAGE = os.getenv("NAIKKELAS_REGIONS_PACKAGE", "idn-area-data@4.0.1")
# Where it is fetched from (once, into DATA_DIR/packages): the npm registry over HTTPS, or a mirror of it.
NPM_REGISTRY = os.getenv("NAIKKELAS_NPM_REGISTRY", "https://registry.npmjs.org")
NAIKKELAS_NOMENCLATURE_EXTRA = os.getenv("NAIKKELAS_NOMENCLATURE_EXTRA", "")  # extra urusan 2.17 codes (CSV)
NAIKKELAS_KBLI_EXTRA = os.getenv(
    "NAIKKELAS_KBLI_EXTRA", ""
)  # BPS's full KBLI 2020 table (CSV kode,judul), if had
