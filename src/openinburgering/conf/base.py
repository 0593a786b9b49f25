"""Base settings: secure by default. `dev` and `test` relax what they must; production uses this module."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url

from .env import env_bool, env_int, env_list, env_str

SRC_DIR = Path(__file__).resolve().parents[1]
BASE_DIR = SRC_DIR.parents[1]

SECRET_KEY = env_str("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    # Koppelingen (#17): services per gemeente in the database (zgw-consumers, certificates from
    # simple-certmanager), outgoing requests logged without bodies (log-outgoing-requests needs django-solo).
    "solo",
    "simple_certmanager",
    "zgw_consumers",
    "log_outgoing_requests",
    "openinburgering.core",
    "openinburgering.accounts",
    "openinburgering.audit",
    "openinburgering.clients",
    "openinburgering.households",
    "openinburgering.signals",
    "openinburgering.letters",
    "openinburgering.intakes",
    "openinburgering.plans",
    "openinburgering.providers",
    "openinburgering.handhaving",
    "openinburgering.progress",
    "openinburgering.followup",
    "openinburgering.monitoring",
    "openinburgering.retention",
    "openinburgering.interop",
    "openinburgering.netwerk",
    "openinburgering.mijn",
    "openinburgering.ontzorgen",
    "openinburgering.api",
    "openinburgering.operations",
    "openinburgering.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "openinburgering.core.middleware.RequestIdMiddleware",
    "openinburgering.core.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "openinburgering.accounts.middleware.IdleSessionMiddleware",
    "openinburgering.accounts.middleware.ActorMiddleware",
    "openinburgering.mijn.middleware.PortalMiddleware",
]

# The client portal (#15): DigiD through django-digid-eherkenning (its mock IdP for the demo and tests). The library
# needs its own apps and those of its models (certificates, singletons, private files); added only when absent, so
# another part of the app that installs one of them too cannot make a label appear twice.
for _app in ("solo", "privates", "simple_certmanager", "digid_eherkenning"):
    if _app not in INSTALLED_APPS:
        INSTALLED_APPS.insert(INSTALLED_APPS.index("openinburgering.core"), _app)
PRIVATE_MEDIA_ROOT = env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "var" / "private-media"))
PRIVATE_MEDIA_URL = "/private-media/"
# Portal uploads (diploma, medical statement) live outside the web root and are served only through the access check.
PORTAL_UPLOAD_ROOT = env_str("PORTAL_UPLOAD_ROOT", str(BASE_DIR / "var" / "portal-uploads"))
PORTAL_UPLOAD_MAX_BYTES = env_int("PORTAL_UPLOAD_MAX_BYTES", 5 * 1024 * 1024)
# A portal session ends after this many idle minutes (DigiD Checklist: at most 15).
# Audit partitions (#18 item 6, docs/audit.md): months older than this leave the database for the archive
# (archive_audit, run by the database owner), written to AUDIT_ARCHIVE_DIR.
AUDIT_ONLINE_MONTHS = env_int("AUDIT_ONLINE_MONTHS", 120)
AUDIT_ARCHIVE_DIR = env_str("AUDIT_ARCHIVE_DIR", "")

PORTAL_IDLE_TIMEOUT_MINUTES = env_int("PORTAL_IDLE_TIMEOUT_MINUTES", 15)
# DigiD: the library's mock IdP (a BSN is typed on a mock page) unless DIGID_MOCK is off; production configures the
# real SAML connection in the admin of django-digid-eherkenning (docs/portal.md).
DIGID_MOCK = env_bool("DIGID_MOCK", False)
DIGID_MOCK_APP_TITLE = "Mijn Inburgering"
DIGID_MOCK_RETURN_URL = "mijn:start"
DIGID_MOCK_CANCEL_URL = "mijn:login"

ROOT_URLCONF = "openinburgering.urls"
WSGI_APPLICATION = "openinburgering.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "openinburgering.accounts.context_processors.actor",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'demo.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded demo database takes concurrent use (#11 item 2: "database is locked" while clicking normally).
    # WAL lets readers go on beside one writer; every transaction starts with BEGIN IMMEDIATE, so a transaction that
    # reads and then writes takes the write lock up front instead of failing when it upgrades its read lock (which
    # no busy timeout can save); the busy timeout lets a second writer wait for the first instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# Background jobs (#18): the Django Tasks API (django.tasks from Django 6.0) with the database as the queue
# (django-tasks-db). A job is a row written in the same transaction as the change that causes it, so a rollback
# never leaves a job behind and a commit never loses one; `manage.py db_worker` runs them (make run starts one).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if env_str("REDIS_URL", ""):
    CACHES["default"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env_str("REDIS_URL", "")}
    # Sessions are read from the shared cache and written through to the database (#18): no session query per page.
    # Only with a shared cache: with each process's local memory, a logout would not reach the other processes.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

AUTHENTICATION_BACKENDS = [
    "openinburgering.accounts.backends.ThrottledModelBackend",
    # Single sign-on (#12 item 3): per gemeente from the database (accounts.sso); inert while none is configured.
    "openinburgering.accounts.oidc.GemeenteOidcBackend",
    # The client portal (#15): a BSN from DigiD (or its mock) to the client's PortalAccount; never a staff user.
    "openinburgering.mijn.backends.PortalDigidBackend",
]
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:sso-callback"
OIDC_USE_PKCE = True
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT_SECONDS", 10)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "openinburgering.accounts.password_validation.UserAttributeContainedValidator"},
    {"NAME": "openinburgering.accounts.password_validation.DistinctCharactersValidator"},
]
# Login throttling (accounts.throttle): short, growing waits per user name + address and per address.
LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", 5)
LOGIN_ADDRESS_MAX_FAILURES = env_int("LOGIN_ADDRESS_MAX_FAILURES", 20)
LOGIN_DELAY_SECONDS = env_int("LOGIN_DELAY_SECONDS", 30)
LOGIN_MAX_DELAY_SECONDS = env_int("LOGIN_MAX_DELAY_SECONDS", 300)
LOGIN_FAILURE_WINDOW_MINUTES = env_int("LOGIN_FAILURE_WINDOW_MINUTES", 60)
# The header with the client's address set by the reverse proxy (e.g. "X-Real-IP"); empty: REMOTE_ADDR.
CLIENT_ADDRESS_HEADER = env_str("CLIENT_ADDRESS_HEADER", "")
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 8)
# A staff session ends after this many minutes without a request (accounts.middleware.IdleSessionMiddleware); the
# page warns SESSION_IDLE_WARNING_MINUTES before and offers to stay logged in (#12 item 4).
SESSION_IDLE_TIMEOUT_MINUTES = env_int("SESSION_IDLE_TIMEOUT_MINUTES", 20)
SESSION_IDLE_WARNING_MINUTES = env_int("SESSION_IDLE_WARNING_MINUTES", 2)
# Two-factor login (django-otp, accounts.two_factor): the name the authenticator app shows beside the user name.
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Open Inburgering")
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# A session is written only when something in it changes (#18): the idle clock moves in 30-second steps
# (accounts.middleware.ACTIVITY_RESOLUTION_SECONDS), so a page view reads one session row and writes none. The
# cookie has no expiry of its own (it ends with the browser); the row expires SESSION_COOKIE_AGE after its last write.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): only the app's own scripts and stylesheets, nothing inline, no eval, no
# plugins, no framing (#12 item 9). Templates carry no inline script, style or event handler (a test checks).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
    }
}
# Browser features the app never uses are switched off (core.middleware.SecurityHeadersMiddleware).
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), payment=(), usb=()"
)

LANGUAGE_CODE = "nl"
# Dutch only: with another language listed, a browser asking for English would get Django's own messages and
# number formats in English next to our Dutch texts.
LANGUAGES = [("nl", "Nederlands")]
LOCALE_PATHS = [SRC_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [SRC_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2 * 1024 * 1024)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "openinburgering.api.authentication.ApiTokenAuthentication",
        "openinburgering.api.authentication.ActorSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["openinburgering.api.permissions.HasActor"],
    "DEFAULT_PAGINATION_CLASS": "openinburgering.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_SCHEMA_CLASS": "openinburgering.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "openinburgering.api.errors.problem_details_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["openinburgering.api.parsers.JsonParser"],  # 413 and clean 400s for bad bodies
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_METADATA_CLASS": "openinburgering.api.metadata.EndpointMetadata",  # OPTIONS without a 500
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Open Inburgering API",
    "DESCRIPTION": (
        "REST API of Open Inburgering. Every token belongs to one user acting in one gemeente with one role; "
        "objects outside that scope answer 404. Errors are Problem Details (RFC 7807)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # One component per enumeration, however many fields use it (status, from_status, to_status).
    "ENUM_NAME_OVERRIDES": {
        "FileStatusEnum": "openinburgering.clients.choices.FileStatus",
        "DoelgroepEnum": "openinburgering.clients.choices.Doelgroep",
        "ResidenceEnum": "openinburgering.clients.choices.Residence",
        "ResidencePurposeEnum": "openinburgering.clients.choices.ResidencePurpose",
        "SexEnum": "openinburgering.clients.choices.Sex",
        "RelationEnum": "openinburgering.households.models.Relation",
        "EducationKindEnum": "openinburgering.households.models.EducationKind",
        "MessageStatusEnum": "openinburgering.signals.choices.MessageStatus",
        "IntakeStatusEnum": "openinburgering.intakes.choices.IntakeStatus",
        "LeerrouteEnum": "openinburgering.intakes.choices.Leerroute",
        "PipStatusEnum": "openinburgering.plans.choices.PipStatus",
        "BezwaarStatusEnum": "openinburgering.plans.choices.BezwaarStatus",
        "ExamLevelEnum": "openinburgering.providers.choices.ExamLevel",
        "ReportSourceEnum": "openinburgering.providers.choices.ReportSource",
        "SourceEnum": "openinburgering.signals.choices.Source",
        "FineDecisionOutcomeEnum": "openinburgering.handhaving.models.DecisionOutcome",
        "AchievementKindEnum": "openinburgering.handhaving.models.AchievementKind",
        "AchievementLevelEnum": "openinburgering.handhaving.models.LevelChoice",
        "ExamPartEnum": "openinburgering.handhaving.models.ExamPartChoice",
        "MilestoneKindEnum": "openinburgering.providers.choices.MilestoneKind",
        "MapThemeEnum": "openinburgering.providers.choices.MapTheme",
        "FollowUpSituationEnum": "openinburgering.followup.choices.Situation",
        "ObligationKindEnum": "openinburgering.ontzorgen.models.ObligationKind",
        "MachtigingKindEnum": "openinburgering.ontzorgen.models.MachtigingKind",
        "LedgerKindEnum": "openinburgering.ontzorgen.models.LedgerKind",
        "PaymentRunStatusEnum": "openinburgering.ontzorgen.models.RunStatus",
        "LeefgebiedEnum": "openinburgering.intakes.choices.Leefgebied",
        "ReferralStatusEnum": "openinburgering.netwerk.models.ReferralStatus",
        "BegeleidingKindEnum": "openinburgering.netwerk.models.BegeleidingKind",
        "BuddyKindEnum": "openinburgering.netwerk.models.BuddyKind",
        "CouncilReportStatusEnum": "openinburgering.monitoring.council_models.CouncilReportStatus",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        # Outgoing requests (#17 item 7): method, URL, status and duration in the database; bodies never (they
        # hold personal data), and every header outside a short allowlist masked (interop.request_log).
        "outgoing_requests_db": {"class": "openinburgering.interop.request_log.MaskedDatabaseHandler"},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "log_outgoing_requests": {"handlers": ["outgoing_requests_db"], "level": "DEBUG", "propagate": False},
    },
}
LOG_OUTGOING_REQUESTS_DB_SAVE = env_bool("LOG_OUTGOING_REQUESTS_DB_SAVE", True)
LOG_OUTGOING_REQUESTS_DB_SAVE_BODY = False
LOG_OUTGOING_REQUESTS_EMIT_BODY = False
LOG_OUTGOING_REQUESTS_MAX_AGE = env_int("LOG_OUTGOING_REQUESTS_MAX_AGE_DAYS", 30)
# DUO's Notificatie API (#17): the WSGI variable in which the TLS front passes DUO's verified client certificate
# (PEM, may be URL-encoded). SSL_CLIENT_CERT cannot be set by a client; a header (HTTP_X_SSL_CLIENT_CERT) only when
# the front overwrites it.
DUO_CLIENT_CERT_META = env_str("DUO_CLIENT_CERT_META", "SSL_CLIENT_CERT")

# Where the shared reference data lives (CBS gemeenten table, BRP test persons).
SHARED_DATA_DIR = Path(env_str("OPENINBURGERING_SHARED_DIR", str(BASE_DIR.parent / "shared"))) / "data"
# Days before a deadline that count as "due soon" in worklists.
DEADLINE_SOON_DAYS = env_int("DEADLINE_SOON_DAYS", 14)
ACCESS_TOKEN_MAX_AGE = timedelta(days=env_int("API_TOKEN_MAX_AGE_DAYS", 365))
