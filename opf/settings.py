"""Settings for OPF: one module, every deploy-specific value from the environment.

Defaults give a working single-machine install: SQLite in the project folder,
Celery over kombu's filesystem transport (no server needed), e-mail to the
console. Production sets DATABASE_URL, REDIS_URL (or CELERY_BROKER_URL),
SECRET_KEY and ALLOWED_HOSTS.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("OPF_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG: bool = env.bool("DEBUG", default=False)

if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="insecure-development-key-only-for-debug-mode")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="")
    if not SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS: list[str] = env.list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS: list[str] = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # third party
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "template_partials",
    "django_tables2",
    "simple_history",
    "csp",
    "django_celery_beat",
    "django_celery_results",
    "axes",
    # ours
    "opf",
    "appraisals",
    "actions",
    "deployment",
    "lessons",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "opf.core.freshness.BumpAfterWrites",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "opf.core.ui.htmx.VaryOnHtmx",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last: it turns a lockout into our page
]

ROOT_URLCONF = "opf.urls"
WSGI_APPLICATION = "opf.wsgi.application"
ASGI_APPLICATION = "opf.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "opf.core.navigation.context_processor",
            ],
            "loaders": [
                # Compiled once per process (Django's cached loader; the development
                # server's autoreloader empties it when a template changes): parsing
                # the templates again cost every page tens of milliseconds.
                (
                    "template_partials.loader.Loader",
                    [
                        (
                            "django.template.loaders.cached.Loader",
                            [
                                "django.template.loaders.filesystem.Loader",
                                "django.template.loaders.app_directories.Loader",
                            ],
                        )
                    ],
                )
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]

# --- database ---------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share the file: WAL lets readers run beside a writer,
    # IMMEDIATE transactions and a timeout make writers queue instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if not env.bool("DATABASE_JIT", default=False):
        # PostgreSQL compiles a query whose estimated cost passes jit_above_cost: on the
        # dashboard's aggregates over a whole table that took 0.8 s of a 1.1 s query at
        # scale 10 (#24), for queries that run in a fraction of that. A web app's queries
        # are short: no JIT (DATABASE_JIT=true brings it back, for a reporting database).
        options = DATABASES["default"].setdefault("OPTIONS", {})
        options["options"] = " ".join(filter(None, [options.get("options"), "-c jit=off"]))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- auth -------------------------------------------------------------------
AUTH_USER_MODEL = "opf.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out sign-ins
    "django.contrib.auth.backends.ModelBackend",
    "opf.core.permissions.ObjectRuleBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Brute force: after AXES_FAILURE_LIMIT wrong passwords for one user name from
# one address, that pair is locked out for the cool-off time (django-axes keeps
# the attempts in the database, so a Redis outage does not lift the lock).
AXES_FAILURE_LIMIT: int = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Sessions end after a working day, and when the browser closes.
SESSION_COOKIE_AGE: int = env.int("SESSION_COOKIE_AGE", default=10 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Argon2id (memory-hard; Django's recommended hasher) first: on this project's 2-core
# machine a sign-in's check takes about 0.2 s against 0.6 s for PBKDF2's 1,000,000
# rounds (bench/load-results.md). Passwords stored with an older hasher still sign
# in, and are stored again with Argon2id when they do.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- i18n -------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One date and one date-time format per language (opf/formats/<lang>/formats.py).
FORMAT_MODULE_PATH = ["opf.formats"]
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# --- static and media -------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env.bool("OPF_PLAIN_STATIC", default=False)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploaded and generated files (asset versions, PDFs, backups' files) go through
# Django's storage API only: the folder MEDIA_ROOT by default; with OPF_S3_BUCKET
# set, any S3-compatible store (AWS S3, MinIO, Ceph, Garage...; django-storages),
# so that several web and worker machines share them. The bucket stays private:
# files go out through the app, after a permission check (opf.core.uploads).
OPF_S3_BUCKET: str = env.str("OPF_S3_BUCKET", default="")
if OPF_S3_BUCKET:
    _S3_ENDPOINT = env.str("OPF_S3_ENDPOINT_URL", default="")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": OPF_S3_BUCKET,
            "endpoint_url": _S3_ENDPOINT or None,
            "region_name": env.str("OPF_S3_REGION", default="") or None,
            # Unset: boto3 looks further (its config files, an instance role).
            "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
            "location": env.str("OPF_S3_PREFIX", default=""),
            # A store of one's own (an endpoint URL) is usually reached by path.
            "addressing_style": env.str(
                "OPF_S3_ADDRESSING_STYLE", default="path" if _S3_ENDPOINT else "auto"
            ),
            "default_acl": None,
            "file_overwrite": False,
        },
    }
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- e-mail -----------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="opf@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- cache ------------------------------------------------------------------
REDIS_URL: str = env.str("REDIS_URL", default="")
# django-redis with IGNORE_EXCEPTIONS: with Redis down a cache call answers "miss"
# (logged on "opf.cache") within the short socket timeouts instead of failing the page.
CACHES = {
    "default": (
        {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": env.float("CACHE_CONNECT_TIMEOUT", default=0.2),
                "SOCKET_TIMEOUT": env.float("CACHE_TIMEOUT", default=0.5),
            },
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
# The dashboard's figures are cached until a table they read is written (opf.core.freshness);
# only with a cache every process shares (Redis), else every process would keep its own.
OPF_FIGURES_CACHE_SECONDS = env.int("OPF_FIGURES_CACHE_SECONDS", default=300 if REDIS_URL else 0)
DJANGO_REDIS_LOGGER = "opf.cache"

# --- Celery -----------------------------------------------------------------
# Without a server the broker is kombu's filesystem transport under var/, so a
# real worker and beat still run on a laptop; REDIS_URL switches to Redis.
CELERY_BROKER_URL: str = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS: dict = {}
# Redis hands an unacknowledged message to another worker after this many seconds.
# It must exceed every task's hard time limit (render_document: 900 s), or a long
# task would run twice at once; tests/opf/test_faults.py checks it.
CELERY_VISIBILITY_TIMEOUT: int = env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
if CELERY_BROKER_URL.startswith(("redis://", "rediss://", "redis+socket://")):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
        # A dead or unreachable Redis fails a publish in seconds, not minutes.
        "socket_connect_timeout": env.float("CELERY_BROKER_CONNECT_TIMEOUT", default=2.0),
        "socket_timeout": env.float("CELERY_BROKER_SOCKET_TIMEOUT", default=10.0),
    }
    CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = CELERY_BROKER_TRANSPORT_OPTIONS["socket_connect_timeout"]
elif CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT = "opf.core.broker:Transport"  # atomic message files
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
CELERY_RESULT_BACKEND: str = env.str("CELERY_RESULT_BACKEND", default=REDIS_URL or "django-db")
CELERY_RESULT_EXTENDED = True
CELERY_RESULT_EXPIRES = 7 * 24 * 3600
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_ALWAYS_EAGER: bool = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# --- REST API ---------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "opf.core.rest.throttling.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["opf.core.rest.permissions.RulePermission"],
    "DEFAULT_FILTER_BACKENDS": [
        "opf.core.rest.filters.StrictFilterBackend",
        "opf.core.rest.filters.StrictOrderingFilter",
    ],
    # The caller's address for rate limits: REMOTE_ADDR, or the one address our
    # own TLS proxy appended to X-Forwarded-For (a client cannot forge it).
    "NUM_PROXIES": 1 if env.bool("BEHIND_TLS_PROXY", default=False) else 0,
    "DEFAULT_THROTTLE_CLASSES": [
        "opf.core.rest.throttling.ClientRateThrottle",
        "opf.core.rest.throttling.AnonymousRateThrottle",
    ],
    # Bodies are JSON; an operation that uploads a file opts in to multipart itself
    # (``parser_classes``), so the schema offers one body type per operation (#22).
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "opf.core.rest.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "opf.core.rest.schema.ObjectAutoSchema",
    "DEFAULT_VERSIONING_CLASS": None,
    "EXCEPTION_HANDLER": "opf.core.rest.exceptions.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "OPF API",
    "DESCRIPTION": "Organizational Process Focus: the process improvement program's records.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Swagger UI is served from our own static files (no CDN at run time).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Two choice sets named "method": each gets the name of what it chooses.
    "ENUM_NAME_OVERRIDES": {
        "AppraisalMethodEnum": "appraisals.models.appraisal.Appraisal.Method",
        "InitiativeMethodEnum": "opf.initiatives.models.Initiative.Method",
        "ProcessKindEnum": "lessons.models.architecture.Process.Kind",
        "PhaseEnum": "opf.organization.models.Project.Phase",
        "ProjectTypeEnum": "opf.organization.models.Project.ProjectType",
        "SizeClassEnum": "opf.organization.models.Project.SizeClass",
    },
    "GET_LIB_DOC_EXCLUDES": "opf.core.rest.schema.doc_excludes",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "opf.core.rest.schema.add_error_responses",
        "opf.core.rest.schema.blank_or_format_is_any_of",
        "opf.core.rest.schema.nullable_reference_is_one_of",
    ],
}

# --- security ---------------------------------------------------------------
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_TLS_PROXY", default=False) else None
)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint logs every stylesheet it parses at INFO: keep its warnings only.
    # django-axes logs every sign-in at INFO; keep lockouts and warnings.
    "loggers": {"weasyprint": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}

# --- OPF --------------------------------------------------------------------
# API requests per minute: per signed-in user or token; per address for
# anonymous callers and for wrong tokens. Over the rate: 429 with Retry-After.
OPF_API_RATE_PER_MINUTE: int = env.int("OPF_API_RATE_PER_MINUTE", default=600)
OPF_API_ANON_RATE_PER_MINUTE: int = env.int("OPF_API_ANON_RATE_PER_MINUTE", default=30)
# The size limit of every import (CSV imports, reference models); read by
# opf.core.uploads.import_max_bytes only.
OPF_IMPORT_MAX_BYTES: int = env.int("OPF_IMPORT_MAX_BYTES", default=2 * 1024 * 1024)
OPF_ASSET_MAX_UPLOAD_BYTES: int = env.int("OPF_ASSET_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
# PDF documents one person may have waiting (queued or being generated) at once; the
# same request still pending is answered with the one queued.
OPF_PDF_PENDING_PER_USER: int = env.int("OPF_PDF_PENDING_PER_USER", default=5)
OPF_DEPLOYMENT_STALE_DAYS: int = env.int("OPF_DEPLOYMENT_STALE_DAYS", default=30)
# The most rows one list page or API page holds, and the longest search term;
# read by opf.core.limits only.
OPF_MAX_PAGE_SIZE: int = env.int("OPF_MAX_PAGE_SIZE", default=500)
OPF_MAX_SEARCH_LENGTH: int = env.int("OPF_MAX_SEARCH_LENGTH", default=200)
# A select of records lists every option up to this many; beyond, only the chosen ones,
# and its picker fetches the others as the person types (opf.core.ui.choices).
OPF_FULL_CHOICES: int = env.int("OPF_FULL_CHOICES", default=100)
# Exports read the list's rows through one server-side cursor, this many at a time
# (opf.core.ui.export): memory holds a chunk, never the table.
OPF_EXPORT_CHUNK: int = env.int("OPF_EXPORT_CHUNK", default=2000)
# Links in e-mails and calendar feeds are made absolute with this.
OPF_BASE_URL: str = env.str("OPF_BASE_URL", default="http://127.0.0.1:8000")
# Webhooks (opf.webhooks): seconds to wait for a receiver, and the pauses between
# attempts of a delivery that failed (their count + 1 attempts in all).
OPF_WEBHOOK_TIMEOUT: float = env.float("OPF_WEBHOOK_TIMEOUT", default=5.0)
OPF_WEBHOOK_RETRY_DELAYS: list[int] = [
    int(d) for d in env.list("OPF_WEBHOOK_RETRY_DELAYS", default=["30", "120", "600", "3600"])
]
