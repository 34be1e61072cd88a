"""Settings for Regietafel, read from the environment (see docs/configuration.md).

The defaults give a local development set-up: SQLite in ./var, DEBUG on, English code with a Dutch UI.
Production sets DEBUG=false, SECRET_KEY (or SECRET_KEY_FILE), ALLOWED_HOSTS and DATABASE_URL.
"""

import os
import secrets
from fractions import Fraction
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent.parent


def envbool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("REGIETAFEL_DATA_DIR", PROJECT_DIR / "var"))
# "development" (the default: DEBUG on, SQLite, local secret) or "production" (everything from the environment).
ENVIRONMENT = os.environ.get("REGIETAFEL_ENV", "development").strip().lower()
if ENVIRONMENT not in {"development", "production"}:
    raise RuntimeError(f"REGIETAFEL_ENV must be 'development' or 'production', not {ENVIRONMENT!r}.")
PRODUCTION = ENVIRONMENT == "production"
DEBUG = envbool("REGIETAFEL_DEBUG", not PRODUCTION)
if PRODUCTION and DEBUG:
    raise RuntimeError("REGIETAFEL_DEBUG cannot be on in production.")


def _secret_key() -> str:
    if key := os.environ.get("REGIETAFEL_SECRET_KEY"):
        return key
    if path := os.environ.get("REGIETAFEL_SECRET_KEY_FILE"):
        return Path(path).read_text().strip()
    if PRODUCTION:
        raise RuntimeError("Set REGIETAFEL_SECRET_KEY or REGIETAFEL_SECRET_KEY_FILE in production.")
    # Development only: a random key kept in the data directory, so sessions survive a restart.
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = envlist("REGIETAFEL_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = envlist("REGIETAFEL_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "mozilla_django_oidc",
    "csp",
    "auditlog",
    "regietafel.core",
    "regietafel.access",
    "regietafel.audit",
    "regietafel.accounts",
    "regietafel.regions",
    "regietafel.housing",
    "regietafel.reception",
    "regietafel.persons",
    "regietafel.imports",
    "regietafel.monitor",
    "regietafel.organisations",
    "regietafel.meetings",
    "regietafel.conditions",
    "regietafel.practices",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Anonymous users go to the login page (the API answers 401); users without a role see only a waiting page.
    "regietafel.access.middleware.AccessMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # Brute-force protection; must come last (django-axes).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "regietafel.urls"
WSGI_APPLICATION = "regietafel.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
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

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'regietafel.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "monitor:overview"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", PROJECT_DIR / "staticfiles"))
NODE_MODULES_DIR = Path(os.environ.get("NODE_MODULES_DIR", PROJECT_DIR / "node_modules"))
# Front-end packages come from the npm registry (package-lock.json) and are served by us: no CDN.
STATICFILES_DIRS = [
    PACKAGE_DIR / "static",
    ("vendor/utrecht", NODE_MODULES_DIR / "@utrecht/component-library-css/dist"),
    ("vendor/utrecht-tokens", NODE_MODULES_DIR / "@utrecht/design-tokens/dist"),
    ("vendor/htmx", NODE_MODULES_DIR / "htmx.org/dist"),
]

# Documents and attachments: kept in the data directory, served only to logged-in users by our views.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
MEDIA_URL = "/bestanden/"
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "regietafel@localhost")

# Uploads are parsed in memory and kept in the database (ImportBatch); cap them.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "20000"))

# --- Security hardening (see THREAT_MODEL.md) ---
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("REGIETAFEL_SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Content Security Policy (django-csp): our own origin only, no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
# --- end of security hardening ---

# --- Login: local accounts (django-axes lockout, optional TOTP) and OpenID Connect SSO ---
AUTHENTICATION_BACKENDS = [
    # AxesStandaloneBackend first: it refuses locked-out accounts before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("REGIETAFEL_LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = float(os.environ.get("REGIETAFEL_LOGIN_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
# --- end of login ---

# REST API (issue: REST API): session or token, 401 for anonymous callers.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}

# Record history (django-auditlog): who changed what, old -> new. Reads of personal data go to regietafel.audit.
AUDITLOG_INCLUDE_ALL_MODELS = False

# The steering table whose monitor opens by default (CBS code of the safety region).
REGIETAFEL_DEFAULT_REGION = os.environ.get("REGIETAFEL_DEFAULT_REGION", "VR04")
# On-schedule norm: share of the pro-rata norm under which a municipality is "behind" or "far behind".
REGIETAFEL_BEHIND_BELOW = Fraction(os.environ.get("REGIETAFEL_BEHIND_BELOW", "9/10"))
REGIETAFEL_FAR_BEHIND_BELOW = Fraction(os.environ.get("REGIETAFEL_FAR_BEHIND_BELOW", "7/10"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
