"""Linli settings. Every setting that differs between machines comes from the environment;
`.env.example` documents each variable."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

# Lets typed code subscript Django's generic classes at run time (`ModelAdmin[Resident]`).
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
LOCAL_DIR = Path(os.environ.get("LINLI_LOCAL_DIR", BASE_DIR / ".local"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def local_secret(filename: str, env_name: str) -> str:
    """Return a secret from the environment, or a development secret kept in an ignored
    local file (generated on first use) so that a laptop needs no configuration."""
    value = os.environ.get(env_name)
    if value:
        return value
    LOCAL_DIR.mkdir(parents=True, exist_ok=True)
    path = LOCAL_DIR / filename
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("LINLI_DEBUG", False)
SECRET_KEY = local_secret("secret_key", "LINLI_SECRET_KEY")
# Old secret keys still accepted for signatures while a new one rolls out (docs/operations.md).
SECRET_KEY_FALLBACKS = env_list("LINLI_SECRET_KEY_FALLBACKS", "")
# Key for encrypting citizen IDs and phones at rest and for their keyed lookup hashes.
PII_KEY = local_secret("pii_key", "LINLI_PII_KEY")
ALLOWED_HOSTS = env_list("LINLI_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("LINLI_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "huey.contrib.djhuey",
    "linli.core",
    "linli.accounts",
    "linli.registry",
    "linli.party",
    "linli.hotline",
    "linli.open311",
    "linli.volunteers",
    "linli.riders",
    "linli.deliberation",
    "linli.care",
    "linli.training",
    "linli.nursery",
    "linli.jobs",
    "linli.venues",
    "linli.surveys",
    "linli.cockpit",
    "linli.notify",
    "linli.hub",
    "linli.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "linli.accounts.sessions.IdleSessionMiddleware",
    "linli.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "linli.accounts.middleware.SignInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "linli.accounts.middleware.ActorMiddleware",
    # Before any view or the CSRF check reads a body (both run after every middleware's
    # request phase); after authentication so that its error page shows the person's menu.
    "linli.core.middleware.RequestBodyMiddleware",
    "linli.core.middleware.ApiDocsMiddleware",
    "linli.core.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "linli.accounts.backends.LinliBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "linli" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "linli.core.context_processors.actor",
                "linli.hub.context_processors.hub",
            ],
        },
    },
]

# SQLite (WAL) by default; PostgreSQL when DATABASE_URL is set.
_default_sqlite = f"sqlite:///{os.environ.get('LINLI_SQLITE_PATH', BASE_DIR / 'db.sqlite3')}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", _default_sqlite))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL with synchronous=FULL: a committed write survives a power cut (docs/operations.md);
    # writers queue on a file lock instead of polling (config/sqlite_queue).
    DATABASES["default"]["ENGINE"] = "config.sqlite_queue"
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=10000; "
            f"PRAGMA synchronous={os.environ.get('LINLI_SQLITE_SYNCHRONOUS', 'FULL')};"
        ),
        "transaction_mode": "IMMEDIATE",
        "write_queue": env_bool("LINLI_SQLITE_WRITE_QUEUE", True),
    }
    # ":memory:" (not None): pytest-django only recognises the stock engine name when it gives
    # each xdist worker its own test database, and would otherwise make a path of "test_<NAME>".
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("LINLI_SQLITE_TEST_PATH") or ":memory:"}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # psycopg remembers how it converted each statement, the widest rows too (config/postgresql)
    DATABASES["default"]["ENGINE"] = "config.postgresql"
if DATABASES["default"]["ENGINE"] == "config.postgresql" and env_bool("LINLI_PG_PREPARE", True):
    # Parameters bound by the server, and a statement run 5 times on a connection prepared:
    # PostgreSQL then plans it once per connection instead of at every execution (planning the
    # request list's joins took 6 ms, running it 1 ms). Off (LINLI_PG_PREPARE=0) behind a
    # pooler in transaction mode, which cannot keep a connection's prepared statements.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=5
    )
# Persistent connections on both databases: opening one per request (Django's default) cost a
# signed-in request on SQLite more than the rest of its work (connect, PRAGMAs, functions).
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("LINLI_CONN_MAX_AGE", "60"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background work: huey on SQLite by default, on Redis when REDIS_URL is set.
_redis_url = os.environ.get("REDIS_URL")
HUEY = {
    "name": os.environ.get("LINLI_HUEY_NAME", "linli"),
    "immediate": env_bool("LINLI_HUEY_IMMEDIATE", False),
    "consumer": {"workers": 2, "worker_type": "thread"},
}
if _redis_url:
    # With Redis, even immediate mode (the tests) goes through the real Redis storage.
    HUEY.update({"huey_class": "huey.RedisHuey", "url": _redis_url, "immediate_use_memory": False})
else:
    LOCAL_DIR.mkdir(parents=True, exist_ok=True)
    # Its own file, without an fsync per enqueue: what a request queues is found again from
    # the main database (config/sqlite_queue/huey.py).
    HUEY.update(
        {
            "huey_class": "config.sqlite_queue.huey.Huey",
            "filename": os.environ.get("LINLI_HUEY_SQLITE_PATH", str(LOCAL_DIR / "huey.sqlite3")),
            "synchronous": os.environ.get("LINLI_HUEY_SYNCHRONOUS", "NORMAL"),
        }
    )

# Django's cache: Redis when REDIS_URL is set (shared by every app server; the login throttle's
# counters stay in the database), else each process's memory.
if _redis_url:
    CACHES = {
        "default": {
            "BACKEND": "config.redis_cache.RedisCache",
            "LOCATION": os.environ.get("LINLI_CACHE_URL", _redis_url),
            "KEY_PREFIX": os.environ.get("LINLI_CACHE_PREFIX", "linli"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# What each process remembers between requests (linli.core.memo): rows that change rarely,
# for MEMO_SECONDS while nothing about them changed ("changed" is a token in a file of
# LOCAL_DIR, or in Redis when several servers share REDIS_URL). 0 switches it off.
MEMO_SECONDS = int(os.environ.get("LINLI_MEMO_SECONDS", "10"))
MEMO_TOKENS = "redis" if _redis_url else "file"
MEMO_REDIS_URL = os.environ.get("LINLI_MEMO_REDIS_URL") or _redis_url or ""
MEMO_TOKEN_PREFIX = "memo-"  # a token's file in LOCAL_DIR, or its key in Redis, starts so

# Sessions live in the database; each process remembers the ones it read, with their users,
# for SIGNIN_CACHE_SECONDS while nothing about sign-ins changed (linli.accounts.signin_cache,
# through memo's token "signin").
SESSION_ENGINE = "linli.accounts.sessions"
SIGNIN_CACHE_SECONDS = int(os.environ.get("LINLI_SIGNIN_CACHE_SECONDS", "10"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = env_list(
    "LINLI_PASSWORD_HASHERS",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
)

# Sessions end after 30 minutes without a request: linli.accounts.sessions.IdleSessionMiddleware
# moves the idle expiry at most once a minute instead of saving the session on every request.
SESSION_COOKIE_AGE = int(os.environ.get("LINLI_SESSION_IDLE_SECONDS", "1800"))
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
LOGIN_THROTTLE_FAILURES = 5
LOGIN_THROTTLE_WINDOW_SECONDS = 30 * 60

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "linli" / "static"]
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("LINLI_PLAIN_STATIC", False)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploaded files on an S3-compatible object store (Aliyun OSS, Tencent COS, MinIO, AWS) when
# LINLI_S3_BUCKET is set (django-storages); local MEDIA_ROOT otherwise. Files are always served
# through Linli's own views (permission checks), never by public bucket URLs.
if os.environ.get("LINLI_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["LINLI_S3_BUCKET"],
            "endpoint_url": os.environ.get("LINLI_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("LINLI_S3_REGION") or None,
            "access_key": os.environ.get("LINLI_S3_ACCESS_KEY") or None,
            "secret_key": os.environ.get("LINLI_S3_SECRET_KEY") or None,
            "location": os.environ.get("LINLI_S3_PREFIX", "media"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            "addressing_style": os.environ.get("LINLI_S3_ADDRESSING", "path"),
        },
    }
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = Path(os.environ.get("LINLI_MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
# Request bodies. Form fields and JSON bodies (everything but files) stay small; uploaded files
# above FILE_UPLOAD_MAX_MEMORY_SIZE go to a temporary file instead of memory. The whole body is
# capped by LINLI_MAX_BODY_BYTES (linli.core.middleware.RequestBodyMiddleware answers 413 before
# reading it): the largest legitimate one is a registry import (registry.importing.MAX_FILE_BYTES,
# 20 MiB) — larger than a hotline request's 3 photos of 5 MiB — plus 1 MiB for the other fields
# and the multipart framing.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 10
LINLI_MAX_BODY_BYTES = int(os.environ.get("LINLI_MAX_BODY_BYTES", 21 * 1024 * 1024))

# Content-Security-Policy (django-csp): scripts, styles, fonts, images and requests only from
# Linli itself — no CDN, no inline <script>, no on* handler attributes, no eval, no inline
# <style>. Page behaviours live in linli/static/linli/*.js, driven by data-* attributes and
# json_script data. Style *attributes* stay allowed: ECharts writes its tooltips with them (they
# cannot run code, and img-src still bounds what they may load). data: images and fonts are
# Tabler's inline SVG icons.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# The OpenAPI schema (/api/openapi.json) and its docs page (/api/docs) list every endpoint:
# public only when debugging, else for signed-in people (linli.core.middleware.ApiDocsMiddleware).
LINLI_API_DOCS_PUBLIC = env_bool("LINLI_API_DOCS_PUBLIC", DEBUG)

# Production hardening: on unless LINLI_DEBUG is set. Behind TLS-terminating proxies set
# LINLI_SECURE_PROXY_SSL_HEADER=1.
SECURE = not DEBUG and env_bool("LINLI_SECURE", True)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE and env_bool("LINLI_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("LINLI_HSTS_SECONDS", "31536000")) if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if env_bool("LINLI_SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LINLI_LOG_LEVEL", "WARNING")},
}

# The phone number shown for Community 110 and region used to parse phone numbers.
PHONE_REGION = "CN"

# Notifications (docs/notify.md): every domain publishes through core.notify; the notify app
# keeps the inbox and sends texts through NOTIFY_SMS_BACKEND (the log by default; Alibaba
# Cloud: "linli.notify.channels.AliyunSmsBackend" with NOTIFY_ALIYUN_SMS) and Web Push with
# the VAPID keys below (off while no private key is set).
NOTIFY_SMS_BACKEND = os.environ.get("LINLI_SMS_BACKEND", "linli.notify.channels.LogSmsBackend")
NOTIFY_ALIYUN_SMS = {
    "access_key_id": os.environ.get("LINLI_ALIYUN_SMS_KEY_ID", ""),
    "access_key_secret": os.environ.get("LINLI_ALIYUN_SMS_KEY_SECRET", ""),
    "sign_name": os.environ.get("LINLI_ALIYUN_SMS_SIGN", ""),
    "template_code": os.environ.get("LINLI_ALIYUN_SMS_TEMPLATE", ""),
}
NOTIFY_VAPID_PRIVATE_KEY = os.environ.get("LINLI_VAPID_PRIVATE_KEY", "")
NOTIFY_VAPID_PUBLIC_KEY = os.environ.get("LINLI_VAPID_PUBLIC_KEY", "")
NOTIFY_VAPID_SUBJECT = os.environ.get("LINLI_VAPID_SUBJECT", "mailto:ops@linli.local")
