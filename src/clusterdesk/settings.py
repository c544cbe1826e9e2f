"""The one settings module; everything that differs between installs comes from the environment.

Safe by default: DEBUG is off unless CLUSTERDESK_DEBUG=1 (which `clusterdesk demo` and
`clusterdesk runserver` set for themselves), and outside DEBUG a secret key must be given.
Development and the demo run with SQLite under ./var, console e-mail and a per-install
secret key kept in var/secret_key; production sets CLUSTERDESK_SECRET_KEY,
CLUSTERDESK_ALLOWED_HOSTS, DATABASE_URL and EMAIL_URL. The tests use tests/settings.py.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

import csp.constants
import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from whitenoise.compress import Compressor

PACKAGE_DIR = Path(__file__).resolve().parent
env = environ.Env()
BASE_DIR = Path(env.str("CLUSTERDESK_HOME", default=str(Path.cwd()))).resolve()
VAR_DIR = BASE_DIR / "var"

DEBUG = env.bool("CLUSTERDESK_DEBUG", default=False)


def _development_secret_key() -> str:
    """A random key made once per install (var/secret_key), never a key known to others."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env.str("CLUSTERDESK_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Set CLUSTERDESK_SECRET_KEY (a long random value), or CLUSTERDESK_DEBUG=1 for "
            "development."
        )
    SECRET_KEY = _development_secret_key()
ALLOWED_HOSTS = env.list("CLUSTERDESK_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CLUSTERDESK_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "clusterdesk.web.admin_site.SuperuserAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    # Second factors: TOTP devices and single-use recovery codes (accounts/two_factor.py).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # From the bottom layer up (docs/architecture.md, "Layers").
    "clusterdesk.core",
    "clusterdesk.jobs",
    "clusterdesk.audit",
    "clusterdesk.accounts",
    "clusterdesk.crm",
    "clusterdesk.projects",
    "clusterdesk.results",
    "clusterdesk.events",
    "clusterdesk.facilities",
    "clusterdesk.brokerage",
    "clusterdesk.support",
    "clusterdesk.web",
    "clusterdesk.backoffice",
    "clusterdesk.portal",
    "clusterdesk.public",
    "clusterdesk.funders",
    "clusterdesk.api",
    "clusterdesk.demo",
    "clusterdesk.ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "clusterdesk.api.middleware.ApiTokenMiddleware",
    # request.user.is_verified(): whether this session passed the second factor.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "clusterdesk.web.middleware.TwoFactorMiddleware",
    "clusterdesk.web.middleware.TenantScopeMiddleware",
    "clusterdesk.web.middleware.DomainErrorMiddleware",
]

if not DEBUG:
    # Production serves its collected static files itself (runserver does it in development).
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "clusterdesk.urls"
WSGI_APPLICATION = "clusterdesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "clusterdesk.web.context_processors.navigation",
            ],
        },
    }
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'clusterdesk.sqlite3'}")
}
if "DATABASE_URL" not in env:
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # where the embedded database lives
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the task worker and the web server work on the same file. Transactions take
    # the write lock when they begin (IMMEDIATE) and wait up to 20 s for it: two requests
    # that read then write no longer deadlock into "database is locked" (a 500).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
else:
    # Connections are kept between requests and checked before reuse, so a database
    # restart costs at most the requests that were running (answered 503), not a restart
    # of the web server. `?conn_max_age=` in DATABASE_URL overrides the 60 s.
    DATABASES["default"].setdefault("CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Content-Security-Policy (django-csp): scripts and styles from our own origin only, no
# inline script or style attribute anywhere (tests/core/test_csp.py checks the templates).
# The one inline style is the 500 and 503 pages', which render without static files: its hash.
ERROR_PAGE_STYLE_HASH = "'sha256-TnMkKFB96gX/GrjsWcWA9xAyoTiZ+7wrXkTBrRphh/A='"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.constants.SELF],
        "script-src": [csp.constants.SELF],
        "style-src": [csp.constants.SELF, ERROR_PAGE_STYLE_HASH],
        "img-src": [csp.constants.SELF, "data:"],
        "object-src": [csp.constants.NONE],
        "base-uri": [csp.constants.SELF],
        "form-action": [csp.constants.SELF],
        "frame-ancestors": [csp.constants.NONE],
    }
}

# Login throttling (django-axes): five failures lock the e-mail/IP pair for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
# Counted trimmed and lower-case: another spelling of the address is the same person.
AXES_USERNAME_CALLABLE = "clusterdesk.accounts.login.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# Two-factor sign-in (django-otp): the name authenticator apps show; a device refuses codes
# for 1, 2, 4 … seconds after each wrong one (django-otp's own throttling).
OTP_TOTP_ISSUER = "ClusterDesk"
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# The admin never shows a device's key or recovery codes.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Paris"

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Front-end libraries (htmx) are vendored under static/vendor/, with their licence.
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("CLUSTERDESK_MEDIA_ROOT", default=str(VAR_DIR / "media")))
# The matcher's dense model (solvers.matching.ENCODERS), or "none" for BM25 alone;
# its embeddings are cached in var/matching/ (projects/matching.py).
MATCHING_ENCODER = env.str("CLUSTERDESK_MATCHING_ENCODER", default="e5-small")
STORAGES: dict[str, dict[str, Any]] = {
    # Files appear whole or not at all (a full disk leaves no half-written file).
    "default": {"BACKEND": "clusterdesk.core.storage.MediaStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
_media_bucket = env.str("CLUSTERDESK_MEDIA_S3_BUCKET", default="")
if _media_bucket:
    # Media on an S3-compatible store (pip install 'clusterdesk[s3]'), so that several web
    # and worker machines share them. Files stay private: downloads go through checked views.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _media_bucket,
            "endpoint_url": env.str("CLUSTERDESK_MEDIA_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("CLUSTERDESK_MEDIA_S3_REGION", default="") or None,
            # Without keys, boto3's usual sources apply (AWS_* variables, instance roles).
            "access_key": env.str("CLUSTERDESK_MEDIA_S3_ACCESS_KEY", default="") or None,
            "secret_key": env.str("CLUSTERDESK_MEDIA_S3_SECRET_KEY", default="") or None,
            "location": env.str("CLUSTERDESK_MEDIA_S3_PREFIX", default=""),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

# Source maps are read by browser tools only: compressing the API docs' 20 MB of them made
# the first `clusterdesk serve` spend minutes in collectstatic.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("CLUSTERDESK_FROM_EMAIL", default="ClusterDesk <noreply@localhost>")

# Background work: the database backend and `clusterdesk worker` by default, the Redis/RQ
# backend when CLUSTERDESK_TASKS=rq (see README), the immediate backend in tests.
_tasks_backend = env.str("CLUSTERDESK_TASKS", default="database")
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
            "rq": "django_tasks_rq.RQBackend",
        }[_tasks_backend],
        "QUEUES": ["default"],
    }
}
if _tasks_backend == "rq":
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")}}

# Production hardening; `manage.py check --deploy` is clean when DEBUG is off.
SESSION_COOKIE_HTTPONLY = True
# A session ends when the browser closes, and at the latest this many hours after it began
# (or last changed): a forgotten signed-in browser does not stay open for weeks.
SESSION_COOKIE_AGE = int(env.float("CLUSTERDESK_SESSION_HOURS", default=12) * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("CLUSTERDESK_SSL_REDIRECT", default=True)
    if env.bool("CLUSTERDESK_BEHIND_PROXY", default=False):
        # Trusted only when a reverse proxy that sets it (and strips it from clients) is
        # declared; otherwise anyone could claim HTTPS.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

NINJA_PAGINATION_PER_PAGE = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"expected_refusal": {"()": "clusterdesk.web.logging.ExpectedRefusalFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("CLUSTERDESK_LOG_LEVEL", default="INFO")},
    # Libraries that log their progress at INFO (WeasyPrint prints a line per stylesheet at
    # import) stay quiet on the console; an expected refusal (403) is one line, without the
    # PermissionDenied traceback.
    "loggers": {
        **{name: {"level": "WARNING"} for name in ("axes", "weasyprint", "fontTools", "PIL")},
        "django.request": {"filters": ["expected_refusal"]},
    },
}
SITE_URL = env.str("CLUSTERDESK_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
