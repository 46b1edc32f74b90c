"""Settings for the CX maturity project.

Everything deployment-specific comes from the environment (see .env.example).
A fresh checkout runs with DJANGO_DEBUG=1 (the Makefile sets it): SQLite,
console email, a development secret key. With DEBUG off, SECRET_KEY and
ALLOWED_HOSTS must be given or start-up stops with a clear error.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (set DJANGO_DEBUG=1 for development)."
        )
    SECRET_KEY = "django-insecure-development-only-key-not-for-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS must be set when DEBUG is off, e.g. ALLOWED_HOSTS=cx.example.com."
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    # django-tasks-db under a translated name (cxmaturity/apps.py).
    "cxmaturity.apps.TasksConfig",
    # django-axes, the log-in throttle (below), under a translated name.
    "cxmaturity.apps.AxesConfig",
    # The areas of the product, each importing only those above it.
    "playbook",
    "organisations",
    "assessments",
    "results",
    "action_items",
    "reports",
    "dashboard",
    "exports",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Cache-Control for signed-in users and the Permissions-Policy header.
    "cxmaturity.middleware.ResponseHeadersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Content-Security-Policy from SECURE_CSP (below).
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a locked-out log-in into its lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cxmaturity.urls"

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
                "organisations.context_processors.navigation",
            ],
        },
    },
    # One measured hot template only: a section page's question cards (cxmaturity/jinja2.py).
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "cxmaturity.jinja2.environment"},
    },
]

WSGI_APPLICATION = "cxmaturity.wsgi.application"

DATABASES = {
    # An empty DATABASE_URL means the default, as an unset one does.
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the task worker and the web server write without "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Django's cache: local memory per process by default; with REDIS_URL, Django's
# built-in Redis backend, which every web process and task worker shares. It
# holds results pages' content (results/cache.py) and chart drawings for PDFs
# (reports/chart_export.py), each under a key derived from its inputs, so
# nothing is invalidated by hand.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "cxmaturity"),
        }
    }
else:
    # A results page is some 60 KB: 1,000 entries bound a process to about 60 MB.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 1000},
        }
    }

# Sessions in the database; with a shared cache (REDIS_URL) read through it
# (cached_db). Never a per-process cache: a logout handled by one server
# process must end the session in every other process at once.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Log-in throttle (django-axes; README, "Production settings"). After
# AXES_FAILURE_LIMIT failed log-ins for one username, or from one client
# address, within AXES_COOLOFF_MINUTES, that username or address may not log in
# until AXES_COOLOFF_MINUTES after its last failure. The lock is checked before
# the password, so a locked-out guess learns nothing. A successful log-in or a
# password reset clears the username's failures (organisations/accounts.py);
# an admin clears a lock by deleting its access attempt in the admin, or with
# `manage.py axes_reset_username` / `axes_reset_ip`.
AUTHENTICATION_BACKENDS = [
    # First, as django-axes asks: it refuses a locked-out log-in before any check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
# Each entry locks on its own: the username (from any address), or the address
# (for any username).
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Attempts while locked out do not extend the lock: they check no password,
# and an attacker hammering a username should not keep its owner out for good.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Only the user who logged in is cleared, by LoginView: axes' own reset on
# success would also clear the address, so anyone with an account could
# launder the failures of their address against other usernames.
AXES_RESET_ON_SUCCESS = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# No version banner on every manage.py command.
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "organisations.accounts.lockout_response"
AXES_CLIENT_IP_CALLABLE = "organisations.accounts.client_ip_address"
# The client address for the throttle: the connection's own (REMOTE_ADDR) by
# default, so an X-Forwarded-For sent by a client is ignored. Behind a reverse
# proxy, CLIENT_IP_HEADER names the header it sets (X-Forwarded-For, X-Real-IP)
# and TRUSTED_PROXY_COUNT how many proxies append to it: the address is that
# many entries from the right, the one the outermost trusted proxy wrote.
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "")
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "1"))
if TRUSTED_PROXY_COUNT < 1:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 1 or more.")

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("zh-hans", _("Simplified Chinese")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English dates as "7 Dec 2026" everywhere (cxmaturity/formats/en/formats.py).
FORMAT_MODULE_PATH = ["cxmaturity.formats"]
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    # Bootstrap comes from its installed Python package, never a CDN.
    "cxmaturity.staticfinders.PackageAssetFinder",
]
# Prepared PDF action plans. Not served as /media/: downloads go through a view
# that checks who may see them.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MAILERS = {
    "default": {
        "BACKEND": os.environ.get(
            "EMAIL_BACKEND",
            "django.core.mail.backends.console.EmailBackend"
            if DEBUG
            else "django.core.mail.backends.smtp.EmailBackend",
        ),
        "OPTIONS": {
            key: value
            for key, value in {
                "host": os.environ.get("EMAIL_HOST"),
                "port": int(os.environ["EMAIL_PORT"]) if os.environ.get("EMAIL_PORT") else None,
                "username": os.environ.get("EMAIL_HOST_USER"),
                "password": os.environ.get("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS") or None,
            }.items()
            if value is not None
        },
    }
}
# The public address of the site, for links in emails sent without a request
# (the daily reminders), e.g. https://cx.example.com.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "")

DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "cx-maturity@localhost")

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# A PDF plan "being prepared" for longer than this many seconds, or by a task
# worker whose heartbeat is older than TASK_WORKER_HEARTBEAT_TIMEOUT seconds
# (killed, out of memory), is marked failed: its page offers a retry
# (reports.models.ActionPlanQuerySet.stuck; README, "Background jobs").
ACTION_PLAN_TIME_LIMIT = int(os.environ.get("ACTION_PLAN_TIME_LIMIT", "600"))
TASK_WORKER_HEARTBEAT_TIMEOUT = int(os.environ.get("TASK_WORKER_HEARTBEAT_TIMEOUT", "30"))

if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)

# HTTPS, for a site served only over it (README, "Production settings"). Off
# by default so that a plain-HTTP bench or a local DEBUG-off run still works.
# Behind a proxy that terminates TLS, trust its X-Forwarded-Proto header only
# when told to: the proxy must set it and strip any the client sent.
if env_bool("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")

# Content-Security-Policy on every response (README, "Content-Security-Policy"):
# scripts, styles, fonts and images from this site only, no inline script or
# style anywhere, no plugins, and no framing. data: images are Bootstrap's and
# the admin's CSS icons (the select chevron, the close button) and the
# dashboard heatmap, which plotly.js draws as a PNG.
SECURE_CSP: dict[str, list[str]] = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# Two pages, through csp_override on their views alone, also allow one inline
# style attribute each: the one whose exact text the hash names ('unsafe-hashes'
# lets a hash match an attribute; nothing else inline applies).
# The dashboard: plotly.js sets an empty style="" on the heatmap's colour bar.
CSP_DASHBOARD: dict[str, list[str]] = {
    **SECURE_CSP,
    "style-src-attr": [CSP.UNSAFE_HASHES, "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"],
}
# The admin's change history (django-simple-history): style="border-top: 0".
CSP_ADMIN_HISTORY: dict[str, list[str]] = {
    **SECURE_CSP,
    "style-src-attr": [CSP.UNSAFE_HASHES, "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Django's own "django" logger has a console handler of its own in DEBUG:
    # route it through ours only, so each line prints once.
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # Chatty at INFO: a line per rendered page or chart.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "kaleido": {"level": "WARNING"},
        "choreographer": {"level": "WARNING"},
        # A line per log-in; failures and lockouts are warnings and still show.
        "axes": {"level": "WARNING"},
    },
}
