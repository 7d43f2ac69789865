"""Django settings. Everything deployment-specific comes from environment variables
(see `.env.example`); with none set, planwatch runs on an embedded SQLite database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url

from planwatch.core.queue import huey_from_url
from planwatch.env import (
    audit_key,
    audit_key_file,
    env_bool,
    env_int,
    env_list,
    env_str,
    s3_options,
    secret_key,
)

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(env_str("PLANWATCH_VAR_DIR", str(PROJECT_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("PLANWATCH_DEBUG", False)
# PLANWATCH_SECRET_KEY when set; otherwise one key kept in var/secret_key (mode 0600), made
# once by the first process to start, so every gunicorn worker signs sessions alike.
SECRET_KEY = secret_key(VAR_DIR)
# The audit log's anchor (docs/decisions/0031-audit-anchor.md): a key outside the database
# (PLANWATCH_AUDIT_KEY, else var/audit_key, made once) for the events' MACs, and the append-only
# file of checkpoints of the chain head. Neither is in a backup: keep both off the database
# server and back them up separately.
PLANWATCH_AUDIT_KEY = audit_key(VAR_DIR)
# The file the key is kept in (None when it comes from the environment): re-read when it
# changes, so `planwatch audit rotate-key` reaches every running process. The keys retired by
# a rotation are kept, one JSON line each, in PLANWATCH_AUDIT_KEYRING (var/audit_keys).
PLANWATCH_AUDIT_KEY_FILE = audit_key_file(VAR_DIR)
PLANWATCH_AUDIT_KEYRING = Path(env_str("PLANWATCH_AUDIT_KEYRING", str(VAR_DIR / "audit_keys")))
# Checkpoints are also mailed to the administrators (a copy outside planwatch's reach): the
# worker's ten-minute checkpoint at most once in PLANWATCH_AUDIT_CHECKPOINT_MAIL_HOURS (0: each
# one), a checkpoint written by a command (`audit checkpoint`, `rotate-key`, setup) always.
PLANWATCH_AUDIT_CHECKPOINT_MAIL = env_bool("PLANWATCH_AUDIT_CHECKPOINT_MAIL", True)
PLANWATCH_AUDIT_CHECKPOINT_MAIL_HOURS = env_int("PLANWATCH_AUDIT_CHECKPOINT_MAIL_HOURS", 24)
PLANWATCH_AUDIT_CHECKPOINTS = Path(
    env_str("PLANWATCH_AUDIT_CHECKPOINTS", str(VAR_DIR / "audit-checkpoints.log"))
)
ALLOWED_HOSTS = env_list("PLANWATCH_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("PLANWATCH_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django.forms",
    "django_filters",
    "django_tables2",
    "axes",
    "planwatch.core",
    "planwatch.audit",
    "planwatch.orgunits",
    "planwatch.accounts",
    "planwatch.plans",
    "planwatch.search",
    "planwatch.tasks",
    "planwatch.reports",
    "planwatch.supervision",
    "planwatch.rollups",
    "planwatch.indicators",
    "planwatch.projects",
    "planwatch.publication",
    "planwatch.surveys",
    "planwatch.feedback",
    "planwatch.assessment",
    "planwatch.intake",
    "planwatch.documents",
    "planwatch.notices",
    "planwatch.portal",
    "planwatch.dashboards",
    "planwatch.api",
    "planwatch.pages",
]

MIDDLEWARE = [
    "planwatch.audit.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "planwatch.core.middleware.IdsAtTheEdgeMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "planwatch.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "planwatch.core.replica.ReplicaMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "planwatch.urls"
WSGI_APPLICATION = "planwatch.wsgi.application"

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
                "django.template.context_processors.i18n",
                "planwatch.pages.context.header",
            ],
        },
    },
]

# One layout for every form (labels aligned, help and errors under the field): decision 0015.
FORM_RENDERER = "planwatch.core.forms.FormRenderer"

_default_sqlite = f"sqlite:///{VAR_DIR / 'planwatch.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", "") or _default_sqlite,
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
        conn_health_checks=True,  # a kept connection the server dropped is reopened
    )
}
# A test run may name its own test database, so that runs side by side never collide.
if env_str("PLANWATCH_TEST_DB_NAME", ""):
    DATABASES["default"]["TEST"] = {"NAME": env_str("PLANWATCH_TEST_DB_NAME", "")}
# A PostgreSQL streaming replica for the read-only pages (planwatch/core/replica.py).
if env_str("DATABASE_REPLICA_URL", ""):
    DATABASES["replica"] = dj_database_url.parse(
        env_str("DATABASE_REPLICA_URL", ""),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["planwatch.core.replica.ReplicaRouter"]
PLANWATCH_REPLICA_PATHS = tuple(
    p.strip()
    for p in env_str("PLANWATCH_REPLICA_PATHS", "/dashboards/,/gongkai/").split(",")
    if p.strip()
)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and one writer work at once; a busy timeout instead of "locked" errors.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    # argon2id at OWASP's parameters; hashes of Django's own argon2 parameters and of PBKDF2
    # still verify and are re-hashed at the next sign-in (planwatch/accounts/hashers.py)
    "planwatch.accounts.hashers.OwaspArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "pages:workbench"  # the 工作台, not the public home page
LOGOUT_REDIRECT_URL = "/"

# Login throttling (django-axes): lock a username+IP pair after repeated failures, and an
# address after many failures across usernames (planwatch/accounts/lockout.py).
AXES_FAILURE_LIMIT = env_int("PLANWATCH_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
# The client address: the peer, or X-Forwarded-For when the peer is a trusted reverse proxy
# (addresses or networks, comma-separated). Unset: X-Forwarded-For is never read.
PLANWATCH_TRUSTED_PROXIES = env_list("PLANWATCH_TRUSTED_PROXIES", [])
AXES_CLIENT_IP_CALLABLE = "planwatch.core.client_address.client_address"
# Against password spraying: an address is locked once its failed logins across all
# usernames reach this many within the cool-off time (0 turns the limit off).
PLANWATCH_LOGIN_ADDRESS_LIMIT = env_int("PLANWATCH_LOGIN_ADDRESS_LIMIT", 30)
AXES_HANDLER = "planwatch.accounts.lockout.AddressLimitHandler"
# Surveys (问卷, docs/decisions/0023-surveys.md): responses one address may submit to one survey
# a day and to all surveys an hour; the longest comment or text answer, in characters.
PLANWATCH_SURVEY_PER_SURVEY_DAY = env_int("PLANWATCH_SURVEY_PER_SURVEY_DAY", 3)
PLANWATCH_SURVEY_PER_HOUR = env_int("PLANWATCH_SURVEY_PER_HOUR", 20)
PLANWATCH_SURVEY_COMMENT_MAX = env_int("PLANWATCH_SURVEY_COMMENT_MAX", 500)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# The open data's catalogue is its own (planwatch/portal/opendata/locale), beside the portal's.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "portal" / "opendata" / "locale"]
FORMAT_MODULE_PATH = ["planwatch.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Front-end packages installed from the npm registry at set-up (see package.json); only the
# files the pages load are found and collected (planwatch.core.vendor.VENDOR_FILES).
NODE_MODULES = PROJECT_DIR / "node_modules"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "planwatch.core.vendor.VendorFinder",
]
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Uploaded files (evidence, documents, plan sources) on object storage when a bucket is named:
# any S3-compatible server (MinIO, Ceph, a cloud's object storage) through django-storages.
# Files are private (no public URL): every download goes through a view that checks access.
# docs/decisions/0030-load-and-storage.md.
if env_str("PLANWATCH_S3_BUCKET", ""):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": s3_options(),
    }
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"

# Security headers and cookies.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# A session ends after this many hours (a working day by default), and on logout.
SESSION_COOKIE_AGE = env_int("PLANWATCH_SESSION_HOURS", 12) * 3600
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Scripts never read the CSRF cookie: templates pass the token (htmx: hx-headers on <body>).
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("PLANWATCH_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("PLANWATCH_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("PLANWATCH_HSTS_SECONDS", 0)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "planwatch@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("PLANWATCH_LOG_LEVEL", "WARNING")},
    # Each checkpoint of the audit chain goes to the log too: a second copy out of the
    # database's reach when the log is shipped elsewhere (journald, syslog).
    "loggers": {"planwatch.audit.checkpoint": {"level": "INFO"}},
}
# The job queue (huey): a SQLite file by default (no server; `planwatch serve` runs the worker),
# Redis in production with `planwatch worker` as its own service. See planwatch/core/queue.py.
HUEY = huey_from_url(
    env_str("PLANWATCH_QUEUE_URL", "") or f"sqlite:///{VAR_DIR / 'queue.sqlite3'}",
    name=env_str("PLANWATCH_QUEUE_NAME", "planwatch"),
)
# Whether `planwatch serve` starts a worker process beside the web workers: "auto" (when the
# queue needs no server), "on" or "off".
PLANWATCH_SERVE_WORKER = env_str("PLANWATCH_SERVE_WORKER", "auto")
# Local time (Asia/Shanghai) after which the daily supervision job runs; a worker that was
# down at that time runs it as soon as it is back.
PLANWATCH_SUPERVISE_AT = env_str("PLANWATCH_SUPERVISE_AT", "06:30")
# Messages (留言, planwatch/feedback/conf.py): answer deadline in working days, duplicate
# window in days, rate limits per client address.
PLANWATCH_FEEDBACK_ANSWER_WORKDAYS = env_int("PLANWATCH_FEEDBACK_ANSWER_WORKDAYS", 15)
PLANWATCH_FEEDBACK_DUPLICATE_DAYS = env_int("PLANWATCH_FEEDBACK_DUPLICATE_DAYS", 7)
PLANWATCH_FEEDBACK_PER_HOUR = env_int("PLANWATCH_FEEDBACK_PER_HOUR", 5)
PLANWATCH_FEEDBACK_PER_DAY = env_int("PLANWATCH_FEEDBACK_PER_DAY", 20)
PLANWATCH_FEEDBACK_RECEIPT_PER_HOUR = env_int("PLANWATCH_FEEDBACK_RECEIPT_PER_HOUR", 60)
# Notification e-mails are queue jobs: retried this many times, this many seconds apart.
PLANWATCH_MAIL_RETRIES = env_int("PLANWATCH_MAIL_RETRIES", 5)
PLANWATCH_MAIL_RETRY_DELAY = env_int("PLANWATCH_MAIL_RETRY_DELAY", 300)
# The worker is reported as stopped (and administrators alerted) after this many minutes
# without its heartbeat.
PLANWATCH_WORKER_STALE_MINUTES = env_int("PLANWATCH_WORKER_STALE_MINUTES", 10)
# The licence of the open data at /gongkai/data/ (an SPDX id: CC-BY-4.0, CC0-1.0, ODC-BY-1.0),
# stated on the page, in each file and in datapackage.json.
PLANWATCH_OPEN_DATA_LICENSE = env_str("PLANWATCH_OPEN_DATA_LICENSE", "CC-BY-4.0")
