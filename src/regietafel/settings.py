"""Settings for Regietafel, read from the environment.

Every variable is read through `env` (regietafel.conf), which keeps its meaning: docs/configuration.md is generated
from these lines (`regietafel configuration-docs`). The defaults give a local development set-up: SQLite in ./var,
DEBUG on, English code with a Dutch UI. Production sets REGIETAFEL_ENV=production, REGIETAFEL_SECRET_KEY (or
REGIETAFEL_SECRET_KEY_FILE), REGIETAFEL_ALLOWED_HOSTS and DATABASE_URL.
"""

import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from regietafel.conf import Environment

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent.parent

env = Environment()

# "development" (the default: DEBUG on, SQLite, local secret) or "production" (everything from the environment).
ENVIRONMENT = env.str(
    "REGIETAFEL_ENV",
    "development",
    "`production` selects the production settings: `DEBUG` off, secret key and host names required, the HTTPS "
    "protections of [Security](#security) on",
).lower()
if ENVIRONMENT not in {"development", "production"}:
    raise RuntimeError(f"REGIETAFEL_ENV must be 'development' or 'production', not {ENVIRONMENT!r}.")
PRODUCTION = ENVIRONMENT == "production"
DEBUG = env.bool("REGIETAFEL_DEBUG", not PRODUCTION, "cannot be on in production", shown="on in development")
if PRODUCTION and DEBUG:
    raise RuntimeError("REGIETAFEL_DEBUG cannot be on in production.")
DATA_DIR = env.path(
    "REGIETAFEL_DATA_DIR",
    PROJECT_DIR / "var",
    "SQLite database, the file cache and the development secret key",
    shown="`./var`",
)
_secret_key_value = env.str(
    "REGIETAFEL_SECRET_KEY",
    "",
    "required in production (or the file below): 50 random characters or more",
    shown="development: a random key kept in `var/secret_key`",
)
SECRET_KEY_FILE = env.str(
    "REGIETAFEL_SECRET_KEY_FILE", "", "a file holding the secret key instead; suits a mounted secret"
)


def _secret_key() -> str:
    if _secret_key_value:
        return _secret_key_value
    if SECRET_KEY_FILE:
        return Path(SECRET_KEY_FILE).read_text().strip()
    if PRODUCTION:
        raise RuntimeError("Set REGIETAFEL_SECRET_KEY or REGIETAFEL_SECRET_KEY_FILE in production.")
    # Development only: a random key kept in the data directory, so sessions survive a restart.
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env.list(
    "REGIETAFEL_ALLOWED_HOSTS",
    "" if PRODUCTION else "127.0.0.1,localhost",
    "comma-separated host names; required in production",
    shown="development: `127.0.0.1,localhost`; production: empty",
)
CSRF_TRUSTED_ORIGINS = env.list(
    "REGIETAFEL_CSRF_TRUSTED_ORIGINS",
    "",
    "comma-separated origins, e.g. `https://regietafel.example.nl` behind a proxy",
)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework_api_key",
    "drf_spectacular",
    "django_filters",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "mozilla_django_oidc",
    "csp",
    "auditlog",
    "django_tasks",
    "django_tasks_db",
    "django_guid",
    "cachalot",
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
    "regietafel.notifications",
    "regietafel.conditions",
    "regietafel.practices",
    "regietafel.matching",
    "regietafel.distribution",
    "regietafel.reports",
    "regietafel.publication",
    "regietafel.search",
    "regietafel.indicators",
    "regietafel.operations",
]

MIDDLEWARE = [
    # The request id (X-Request-ID, or a new one) for every log line of the request, and the answer's header.
    "django_guid.middleware.guid_middleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files, collected and compressed, straight from the app server (not logged per request).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # One log line and the metrics per request: route, status, duration; never the path's values or the user.
    "regietafel.operations.middleware.RequestLogMiddleware",
    # API responses: the API-Version header, and problem details (not HTML) for errors outside DRF.
    "regietafel.api.middleware.ApiMiddleware",
    # Pages of a signed-in user can hold personal data: never cached (Cache-Control: private, no-store).
    "regietafel.core.middleware.NoStoreMiddleware",
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
                "regietafel.access.context_processors.rights",
                "regietafel.core.context_processors.version",
                "regietafel.notifications.context_processors.unread",
                "regietafel.accounts.menu.menu",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env.str(
            "DATABASE_URL",
            f"sqlite:///{DATA_DIR / 'regietafel.sqlite3'}",
            "e.g. `postgres://user:pass@host:5432/regietafel`",
            shown="`sqlite:///var/regietafel.sqlite3`",
        ),
        conn_max_age=env.int("DATABASE_CONN_MAX_AGE", 0, "persistent connections, in seconds"),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache is shared by every process of one installation (the web server's workers, the background worker):
# Redis with REGIETAFEL_CACHE_URL=redis://host:6379/0 (needed for several servers), otherwise files in the data
# directory. It holds rendered figure tables (regietafel/monitor/pagecache.py) and the API's rate-limit counters.
if cache_url := env.str(
    "REGIETAFEL_CACHE_URL",
    "",
    "the cache shared by all processes of an installation, e.g. `redis://127.0.0.1:6379/0`; use Redis when several "
    "app servers share one database",
    shown="empty: files in `REGIETAFEL_DATA_DIR/cache`",
):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": cache_url}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 10000},
        }
    }
# django-cachalot only notes which tables were written (the figures version), it caches no queries.
CACHALOT_ENABLED = False
# Every write goes through the ORM or tells cachalot itself (core/bulk.py); reading raw SQL for writes would cost a
# regular expression per query.
CACHALOT_INVALIDATE_RAW = False
# How long a rendered figure table is kept at most (it is dropped sooner when a figure changes); 0: not kept.
REGIETAFEL_PAGE_CACHE_SECONDS = env.int(
    "REGIETAFEL_PAGE_CACHE_SECONDS",
    3600,
    "how long the figures part of the overview and a municipality page is kept at most; any change to a figure "
    "drops it at once (see [Page cache](#page-cache)); `0` computes them on every request",
)
REGIETAFEL_PAGE_WARM_LANGUAGES = env.list(
    "REGIETAFEL_PAGE_WARM_LANGUAGES",
    "nl",
    "languages in which the worker renders the figures part of every overview and municipality page right after "
    "figures change (comma-separated; see [Page cache](#page-cache)); other languages are rendered when asked for",
)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"  # after SSO: a municipality or partner lands on its own page (accounts/home.py)
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Collected (`regietafel serve` collects them) and compressed in production. Not renamed with a hash of their
# content: the NL Design System's CSS refers to files its package does not ship, which hashing refuses; so browsers
# check for a newer file after WhiteNoise's minute instead of keeping one for a year.
STORAGES = {
    "default": {
        "BACKEND": env.str(
            "REGIETAFEL_FILE_STORAGE",
            "django.core.files.storage.FileSystemStorage",
            "where uploaded documents and attachments are kept: files in `MEDIA_ROOT` (with several app servers, a "
            "directory they share), or another Django storage, e.g. `storages.backends.s3.S3Storage` from "
            "django-storages for an object store (install it next to Regietafel)",
        ),
        "OPTIONS": env.json(
            "REGIETAFEL_FILE_STORAGE_OPTIONS",
            {},
            'the storage\'s options as a JSON object, e.g. `{"bucket_name": "regietafel"}`',
            shown="`{}`",
        ),
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_AUTOREFRESH = DEBUG
STATIC_ROOT = env.path(
    "STATIC_ROOT", PROJECT_DIR / "staticfiles", "target of `collectstatic`", shown="`./staticfiles`"
)
NODE_MODULES_DIR = env.path(
    "NODE_MODULES_DIR",
    PROJECT_DIR / "node_modules",
    "where `npm ci` put the NL Design System CSS and htmx",
    shown="`./node_modules`",
)
# Front-end packages come from the npm registry (package-lock.json) and are served by us: no CDN.
STATICFILES_DIRS = [
    PACKAGE_DIR / "static",
    ("vendor/utrecht", NODE_MODULES_DIR / "@utrecht/component-library-css/dist"),
    ("vendor/utrecht-tokens", NODE_MODULES_DIR / "@utrecht/design-tokens/dist"),
    ("vendor/htmx", NODE_MODULES_DIR / "htmx.org/dist"),
    # The typeface the NL Design System tokens name ("Noto Sans Variable"), self-hosted: no font from elsewhere.
    ("vendor/noto-sans", NODE_MODULES_DIR / "@fontsource-variable/noto-sans"),
    # The API reference page (/api/v1/docs): Swagger UI, served from here like everything else.
    ("vendor/swagger-ui", NODE_MODULES_DIR / "swagger-ui-dist"),
]

# Documents and attachments: kept in the data directory, served only to logged-in users by our views.
MEDIA_ROOT = env.path(
    "MEDIA_ROOT",
    DATA_DIR / "media",
    "meeting documents and practice attachments, served only to signed-in users",
    shown="`REGIETAFEL_DATA_DIR/media`",
)
MEDIA_URL = "/bestanden/"
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend",
    "how reminders are sent: the console (development) or e.g. `django.core.mail.backends.smtp.EmailBackend`, "
    "which sends through the mail server on localhost:25",
)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", "regietafel@localhost", "sender of reminders")
REGIETAFEL_BASE_URL = env.str(
    "REGIETAFEL_BASE_URL",
    f"https://{ALLOWED_HOSTS[0]}" if PRODUCTION and ALLOWED_HOSTS else "http://127.0.0.1:8000",
    "the address users reach Regietafel at, for the links in e-mails (invitations) and the API's server address in "
    "its OpenAPI document (`…/api/v1`); must start with `https://` in production",
    shown="development: `http://127.0.0.1:8000`; production: `https://` and the first of `REGIETAFEL_ALLOWED_HOSTS`",
).rstrip("/")
if PRODUCTION and not REGIETAFEL_BASE_URL.startswith("https://"):
    raise RuntimeError("REGIETAFEL_BASE_URL must start with https:// in production.")
# An invitation's link to choose a password stays valid this long (Django's password-reset token).
PASSWORD_RESET_TIMEOUT = 7 * 24 * 60 * 60

# Uploads are parsed in memory and kept in the database (ImportBatch); cap them.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", 100000, "largest import accepted (rows)")
IMPORT_MAX_BYTES = int(
    env.float(
        "IMPORT_MAX_MB",
        20,
        "largest import file accepted, in MB; a workbook may also unpack to at most 200 MB and 50 times its size "
        "(a zip bomb is refused before it is opened)",
    )
    * 1024
    * 1024
)
# A checked file of person-level data (the households list) waiting for confirmation is set aside after this.
IMPORT_PERSONAL_HOURS = env.int(
    "IMPORT_PERSONAL_HOURS",
    24,
    "a checked households file not confirmed within this many hours is set aside without its content",
)

# --- Security hardening (see THREAT_MODEL.md and the Security section of docs/configuration.md) ---
# The defaults are the safe production values; each REGIETAFEL_* variable below adapts one to a particular set-up.
env.section = "Security"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool(
    "REGIETAFEL_SECURE_COOKIES",
    PRODUCTION,
    "session and CSRF cookies only over HTTPS, named `__Host-regietafel-session` and `__Host-regietafel-csrf` "
    "(the browser then binds them to this host name)",
    shown="on in production",
)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if SESSION_COOKIE_SECURE:
    # The __Host- prefix: the browser only accepts the cookie over HTTPS, for this host alone (no Domain), path /.
    SESSION_COOKIE_NAME = "__Host-regietafel-session"
    CSRF_COOKIE_NAME = "__Host-regietafel-csrf"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# A session lasts one working day at most and ends when the browser closes.
SESSION_COOKIE_AGE = int(
    env.float(
        "REGIETAFEL_SESSION_HOURS",
        8,
        "longest session after logging in; a session also ends when the browser closes",
    )
    * 3600
)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Our URLs carry no personal data, but a referrer still tells other sites what was being looked at.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# HTTPS only. Behind a proxy that terminates TLS, REGIETAFEL_PROXY_SSL_HEADER names the header the proxy sets
# (and strips from clients), e.g. X-Forwarded-Proto; without it every request looks like plain HTTP and loops.
SECURE_SSL_REDIRECT = env.bool(
    "REGIETAFEL_SSL_REDIRECT", PRODUCTION, "plain HTTP is redirected to HTTPS", shown="on in production"
)
# Load balancers and scrapers ask the app server itself, over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^health/", r"^metrics$"]
if proxy_ssl_header := env.str(
    "REGIETAFEL_PROXY_SSL_HEADER",
    "",
    "behind a proxy that terminates TLS: the header with which it tells us the request came over HTTPS, e.g. "
    "`X-Forwarded-Proto` (value `https`). The proxy must set it and remove it from client requests. Without it "
    "every request looks like plain HTTP and the redirect loops",
):
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + proxy_ssl_header.upper().replace("-", "_"), "https")
# HSTS: browsers refuse plain HTTP to this host for a year. Zero turns it off (development: never on by default).
SECURE_HSTS_SECONDS = env.int(
    "REGIETAFEL_HSTS_SECONDS",
    31536000 if PRODUCTION else 0,
    "`Strict-Transport-Security`: browsers use only HTTPS for this host; `0` sends no header",
    shown="`31536000` (a year) in production, `0` in development",
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool(
    "REGIETAFEL_HSTS_INCLUDE_SUBDOMAINS", True, "HSTS also for subdomains of the host name"
)
SECURE_HSTS_PRELOAD = env.bool(
    "REGIETAFEL_HSTS_PRELOAD",
    True,
    "adds `preload` to the header. It only takes effect once someone submits the domain to the browsers' preload "
    "list, which is hard to undo: do that only for a domain that serves nothing but HTTPS",
)
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
# Every response to a signed-in user is private and never stored (Cache-Control: private, no-store); outermost
# after SecurityMiddleware, so it also covers responses that other middleware returns early.
# --- end of security hardening ---

# --- Login: local accounts (django-axes lockout, optional TOTP) and OpenID Connect SSO ---
# See docs/configuration.md, "Login". Every login, failed login and lock-out is written to the processing log
# (regietafel.accounts.signals); the application log names accounts only by id or pseudonym.
AUTHENTICATION_BACKENDS = [
    # AxesStandaloneBackend first: it refuses locked-out accounts before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lockout per user name: the tenth failed attempt (password or two-factor code) locks the name for the cool-off
# time, counted from that attempt; attempts during the lock are refused and logged but do not extend it.
env.section = "Login"
AXES_FAILURE_LIMIT = env.int(
    "REGIETAFEL_LOGIN_FAILURE_LIMIT",
    10,
    "failed attempts (passwords and two-factor codes) that lock a user name",
)
AXES_COOLOFF_TIME = env.float(
    "REGIETAFEL_LOGIN_COOLOFF_HOURS",
    1,
    "how long the lock lasts, in hours (decimals allowed: `0.25` is 15 minutes)",
)
AXES_LOCKOUT_PARAMETERS = ["username"]
# Deliberately not per IP address: a municipality's staff share one address, and one user's typos would lock out
# the whole office. (axes.W006 asks for the IP address.)
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_CALLABLE = "regietafel.accounts.views.locked_out"
# No user names, IP addresses or user agents in the application log: axes describes a client by account id or
# pseudonym, and does not keep its own log of successful logins (the processing log has them).
AXES_VERBOSE = False
AXES_CLIENT_STR_CALLABLE = "regietafel.accounts.signals.describe_client"
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "user_agent"]
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ACCESS_FAILURE_LOG = False
# Optional two-factor login with an authenticator app (django-otp TOTP); wrong codes are throttled (1, 2, 4 … s).
OTP_TOTP_ISSUER = "Regietafel"
OTP_TOTP_THROTTLE_FACTOR = 1

# OpenID Connect single sign-on (mozilla-django-oidc), on when a client id and the provider are configured.
# The provider is found through REGIETAFEL_OIDC_ISSUER (discovery) or the four explicit endpoints.
OIDC_RP_CLIENT_ID = env.str(
    "REGIETAFEL_OIDC_CLIENT_ID", "", "single sign-on is on when this and the provider are set"
)
OIDC_RP_CLIENT_SECRET = env.str("REGIETAFEL_OIDC_CLIENT_SECRET", "", "the client secret the provider issued")
REGIETAFEL_OIDC_ISSUER = env.str(
    "REGIETAFEL_OIDC_ISSUER",
    "",
    "the provider's issuer URL; its endpoints are read from `<issuer>/.well-known/openid-configuration`",
).rstrip("/")
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str(
    "REGIETAFEL_OIDC_AUTHORIZATION_ENDPOINT",
    "",
    "the authorization endpoint, instead of (or overriding) discovery",
)
OIDC_OP_TOKEN_ENDPOINT = env.str(
    "REGIETAFEL_OIDC_TOKEN_ENDPOINT", "", "the token endpoint, instead of (or overriding) discovery"
)
OIDC_OP_USER_ENDPOINT = env.str(
    "REGIETAFEL_OIDC_USER_ENDPOINT", "", "the user info endpoint, instead of (or overriding) discovery"
)
OIDC_OP_JWKS_ENDPOINT = env.str(
    "REGIETAFEL_OIDC_JWKS_ENDPOINT", "", "the JWKS endpoint, instead of (or overriding) discovery"
)
OIDC_RP_SIGN_ALGO = env.str(
    "REGIETAFEL_OIDC_SIGN_ALGO", "RS256", "the ID token's signing algorithm (RS*/ES* need the JWKS endpoint)"
)
OIDC_RP_SCOPES = env.str(
    "REGIETAFEL_OIDC_SCOPES",
    "openid profile email",
    "scopes asked for; add the one that carries the organisation claim, if the provider needs it",
)
# The claim that names the user's organisation: a CBS municipality code (GM0177) or an organisation's exact name.
REGIETAFEL_OIDC_ORGANISATION_CLAIM = env.str(
    "REGIETAFEL_OIDC_ORGANISATION_CLAIM", "organisation", "the claim that names the user's organisation"
)
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
REGIETAFEL_OIDC_ENABLED = bool(
    OIDC_RP_CLIENT_ID
    and (
        REGIETAFEL_OIDC_ISSUER
        or (OIDC_OP_AUTHORIZATION_ENDPOINT and OIDC_OP_TOKEN_ENDPOINT and OIDC_OP_USER_ENDPOINT)
    )
)
if REGIETAFEL_OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("regietafel.accounts.oidc.OIDCBackend")
# --- end of login ---

# REST API (NL GOV API Design Rules; see docs/api.md): a system's token or a signed-in session, 401 for anonymous
# callers, problem details for errors, JSON only.
REGIETAFEL_API_VERSION = "1.0.0"
env.section = "General"
# Who answers for the API (the OpenAPI document's info.contact): the team that runs this installation.
REGIETAFEL_API_CONTACT_NAME = env.str(
    "REGIETAFEL_API_CONTACT_NAME",
    "Beheer Regietafel",
    "who answers for the API, in the OpenAPI document's `info.contact`: a team, not a person",
)
REGIETAFEL_API_CONTACT_EMAIL = env.str(
    "REGIETAFEL_API_CONTACT_EMAIL",
    "api-beheer@regietafel.example",
    "the e-mail address of that team (not an organisation's general address); the default is a placeholder",
)
REGIETAFEL_API_CONTACT_URL = (
    env.str(
        "REGIETAFEL_API_CONTACT_URL",
        "",
        "a page where API users ask questions or report problems",
        shown="the API's reference page, `REGIETAFEL_BASE_URL/api/v1/docs`",
    )
    or f"{REGIETAFEL_BASE_URL}/api/v1/docs"
)
# Requests per token (or signed-in user) per period: "600/min", "10000/hour".
REGIETAFEL_API_RATE = env.str(
    "REGIETAFEL_API_RATE",
    "600/min",
    "requests per API token (or signed-in user) per period (`/sec`, `/min`, `/hour`, `/day`); then 429. Counted "
    "in Django's cache: with several app servers, configure a shared cache",
)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: its WWW-Authenticate header makes an anonymous call a 401, not a 403.
        "regietafel.api.authentication.SystemTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "regietafel.api.authentication.HasRole",
        "regietafel.api.authentication.TokenScope",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["regietafel.api.authentication.TokenRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "regietafel.api.pagination.Pagination",
    "EXCEPTION_HANDLER": "regietafel.api.problems.exception_handler",
    "PAGE_SIZE": 100,
    "URL_FORMAT_OVERRIDE": None,
    # Figures are numbers for BI tools, not strings ("204", not "204.0000").
    "COERCE_DECIMAL_TO_STRING": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Regietafel API",
    "VERSION": REGIETAFEL_API_VERSION,
    "SERVE_INCLUDE_SCHEMA": False,
    # Paths are relative to the server address, which holds the major version (added by api.schema).
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SCHEMA_PATH_PREFIX_TRIM": True,
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "regietafel.api.schema.complete_document",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ActionStatusEnum": "regietafel.meetings.models.Action.Status",
        "ReferralStatusEnum": "regietafel.meetings.models.Referral.Status",
        "ConditionStatusEnum": "regietafel.conditions.models.Condition.Status",
        "HouseholdStatusEnum": "regietafel.persons.models.Household.Status",
        "DwellingStatusEnum": "regietafel.matching.models.Dwelling.Status",
        "ProposalStatusEnum": "regietafel.matching.models.Proposal.Status",
        "DwellingKindEnum": "regietafel.matching.models.Dwelling.Kind",
        "LocationKindEnum": "regietafel.reception.models.Location.Kind",
        "ThirdCountryStatusEnum": "regietafel.reception.models.ThirdCountryNationalCount.Status",
        "OrganisationKindEnum": "regietafel.organisations.models.Organisation.Kind",
        "YesNoEnum": [("ja", "ja"), ("nee", "nee")],  # the import tables' ja/nee columns
    },
}

# The key of the pseudonyms in the processing log. Set it apart from the secret key, so that rotating the secret key
# does not break the link between old and new log lines about one person.
REGIETAFEL_AUDIT_KEY = env.str(
    "REGIETAFEL_AUDIT_KEY",
    "",
    "key of the pseudonyms in the processing log; set it in production and keep it as long as the log",
    shown="the secret key",
)

# Record history (django-auditlog): who changed what, old -> new. Reads of personal data go to regietafel.audit.
AUDITLOG_INCLUDE_ALL_MODELS = False
# Rows loaded by a restore (saved raw) are not changes: they get no history line of their own.
AUDITLOG_DISABLE_ON_RAW_SAVE = True

# The steering table whose monitor opens by default (CBS code of the safety region).
REGIETAFEL_DEFAULT_REGION = env.str(
    "REGIETAFEL_DEFAULT_REGION", "VR04", "CBS code of the region the monitor opens with"
)
# On-schedule norm: share of the pro-rata norm under which a municipality is "behind" or "far behind".
REGIETAFEL_BEHIND_BELOW = env.fraction(
    "REGIETAFEL_BEHIND_BELOW",
    "9/10",
    'below this share of the pro-rata norm a municipality is "behind"; a region\'s own threshold (its page under '
    "Inrichting) goes first",
)
REGIETAFEL_FAR_BEHIND_BELOW = env.fraction(
    "REGIETAFEL_FAR_BEHIND_BELOW", "7/10", 'below this share it is "far behind"'
)

LOG_FORMAT = env.choice(
    "REGIETAFEL_LOG_FORMAT",
    "json" if PRODUCTION else "text",
    ["json", "text"],
    "`json`: one JSON object per line (time, level, logger, message, request id) for a log collector; `text`: "
    "lines for people",
    shown="`json` in production, `text` in development",
)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # No personal data or secrets in the log: see regietafel.core.logging. Every handler gets the filter.
    "filters": {
        "redact": {"()": "regietafel.core.logging.RedactFilter"},
        "request_id": {"()": "django_guid.log_filters.CorrelationId", "correlation_id_field": "request_id"},
    },
    "formatters": {
        "json": {
            "()": "regietafel.core.logging.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            # ISO 8601 in UTC, to the microsecond.
            "timestamp": "time",
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id", "redact"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", "INFO", "root log level")},
    # WeasyPrint (PDF reports) logs every step and each CSS property it does not support; only errors matter.
    "loggers": {
        # django-guid says at DEBUG level what it did with each request's id: not interesting.
        "django_guid": {"level": "WARNING"},
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "WARNING"},
    },
}
# Request ids: a valid one from the proxy (X-Request-ID) is kept, otherwise a new one; the answer carries it back.
DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",
    "VALIDATE_GUID": True,
    "RETURN_HEADER": True,
    "EXPOSE_HEADER": False,
    "UUID_LENGTH": 32,
}

# --- production server (`regietafel serve`: gunicorn; see docs/operations.md) ---
env.section = "Production server"
SERVE_BIND = env.str(
    "REGIETAFEL_BIND",
    "127.0.0.1:8000",
    "address and port `regietafel serve` listens on; put a reverse proxy with TLS in front (deploy/)",
)
SERVE_WORKERS = env.int(
    "REGIETAFEL_WORKERS",
    0,
    "worker processes of `regietafel serve`; `0`: two per CPU plus one",
)
SERVE_TIMEOUT = env.int(
    "REGIETAFEL_WORKER_TIMEOUT",
    120,
    "seconds a request may take before its worker is restarted (a large import is checked and written in the "
    "request)",
)
# Prometheus metrics at /metrics, for a scraper that sends this token (Authorization: Bearer ...); without a token
# the path answers 404.
METRICS_TOKEN = env.str(
    "REGIETAFEL_METRICS_TOKEN",
    "",
    "the bearer token a Prometheus scraper sends to read `/metrics`; empty: no metrics are served",
)
env.section = "General"

# Weeks a municipality has to offer a home after COA links a household to it.
REGIETAFEL_HOUSING_DEADLINE_WEEKS = env.int(
    "REGIETAFEL_HOUSING_DEADLINE_WEEKS",
    10,
    "weeks a municipality has to offer a home after a household is linked",
)
# Housing-allowance rent limits per month (huurtoeslag 2025, Belastingdienst): a home is proposed only when its rent,
# or a sharer's part of it, is at most the household's limit: the quality-discount limit (kwaliteitskortingsgrens)
# for a single under 23 or an unaccompanied minor, the lower capping limit (aftoppingsgrens) for one or two people,
# the higher one for three or more. Set the new amounts every 1 January.
REGIETAFEL_RENT_LIMIT_YOUNG = env.decimal(
    "REGIETAFEL_RENT_LIMIT_YOUNG",
    "477.20",
    "housing-allowance limit (kwaliteitskortingsgrens 2025) for a single under 23 or an AMV: homes above it are "
    "not proposed",
)
REGIETAFEL_RENT_LIMIT_SMALL = env.decimal(
    "REGIETAFEL_RENT_LIMIT_SMALL",
    "682.96",
    "lower capping limit (aftoppingsgrens 2025) for one or two people",
)
REGIETAFEL_RENT_LIMIT_LARGE = env.decimal(
    "REGIETAFEL_RENT_LIMIT_LARGE",
    "731.93",
    "higher capping limit for three or more people; set the three limits anew every 1 January",
)
# How long the matcher may search per run (seconds); the result states whether it proved the optimum.
REGIETAFEL_MATCHING_SECONDS = env.float(
    "REGIETAFEL_MATCHING_SECONDS",
    30,
    "how long the matcher may search per run; the run page says whether it proved the optimum",
)
# From this many members a household counts as a large family (a need when matching homes).
REGIETAFEL_LARGE_FAMILY_FROM = env.int(
    "REGIETAFEL_LARGE_FAMILY_FROM", 6, "from this many members a household counts as a large family"
)

# Background work (reports for many municipalities): Django tasks, kept in the database and run by
# `regietafel db_worker` (`make run` starts one). "immediate" runs a task inside the request, for tests.
REGIETAFEL_TASKS = env.str(
    "REGIETAFEL_TASKS",
    "database",
    "background work: `database` keeps tasks in the database for `regietafel db_worker` (run one or more); "
    "`immediate` runs them inside the request (tests)",
).lower()
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[REGIETAFEL_TASKS],
    }
}

# --- retention ---
# AVG storage limitation: `regietafel retention`, run daily, removes what is past these periods
# (regietafel.operations.retention; the reasons for the defaults are in the Retention section of docs/configuration.md).
env.section = "Retention"
REGIETAFEL_RETENTION_HOUSEHOLD_MONTHS = env.int(
    "REGIETAFEL_RETENTION_HOUSEHOLD_MONTHS",
    24,
    "months a household is kept after its case closed (housed, or refused without a new offer) and it was last "
    "changed; then it is deleted with its ties, pipeline steps, proposals and their history. Records of "
    "households files imported longer ago go too",
)
REGIETAFEL_RETENTION_LOG_MONTHS = env.int(
    "REGIETAFEL_RETENTION_LOG_MONTHS",
    36,
    "months a line of the processing log (and of django-axes' login logs, if switched on) is kept",
)
