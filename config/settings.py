"""Guichet settings: production-safe by default, development through GUICHET_DEBUG=true."""

from pathlib import Path

import dj_database_url
from csp.constants import NONCE, SELF
from django.core.exceptions import ImproperlyConfigured
from pythonjsonlogger.core import RESERVED_ATTRS

from config.env import env_bool, env_int, env_list, env_str
from config.oidc_key import oidc_private_key
from config.storage import default_storage
from guichet.interfaces.idp.scopes import SCOPES as IDP_SCOPES

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("GUICHET_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("GUICHET_DEBUG", False)
_DEV_SECRET = "dev-only-secret-key-never-used-in-production-0123456789abcdef"  # noqa: S105
SECRET_KEY = env_str("GUICHET_SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("GUICHET_SECRET_KEY est obligatoire hors développement.")
ALLOWED_HOSTS = env_list("GUICHET_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("GUICHET_CSRF_TRUSTED_ORIGINS", [])
CSRF_FAILURE_VIEW = "config.errors.csrf_failure"
SITE_URL = env_str("GUICHET_SITE_URL", "http://localhost:8000")
# The URLs of the site that SITE_URL serves: what notices' and emails' links point at, whatever
# URLconf serves the request that writes them (guichet.notifications.links).
SITE_URLCONF = "config.urls"

INSTALLED_APPS = [
    # Django's admin, whose login is the agents' login with its second factor (guichet.interfaces.agents).
    "guichet.interfaces.agents.admin_apps.AgentAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "dsfr",
    # After dsfr, whose templates of Django's own widgets and error lists then win.
    "django.forms",
    "widget_tweaks",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Domain apps
    "guichet.core",
    "guichet.reference",
    "guichet.accounts",
    "guichet.notifications",
    "guichet.feedback",
    "guichet.cards",
    "guichet.ceam",
    "guichet.certificates",
    "guichet.powers",
    "guichet.frontdesk",
    "guichet.cases",
    "guichet.complementary",
    "guichet.enrollment",
    "guichet.apitokens",
    "guichet.terminals",
    "guichet.appointments",
    "guichet.exchanges",
    "guichet.situation",
    "guichet.demo",
    # Interfaces
    "guichet.interfaces.web",
    "guichet.interfaces.agents",
    "guichet.interfaces.fcsandbox",
    "guichet.interfaces.demopartner",
    "oauth2_provider",
    "guichet.interfaces.idp",
    "guichet.interfaces.api",
]

MIDDLEWARE = [
    # Health and metrics (/sante/…) answer before the host check, the HTTPS redirect and the
    # session: a load balancer probes by address and in plain HTTP (docs/operations.md).
    "guichet.interfaces.ops.middleware.OpsEndpointsMiddleware",
    # One JSON log line per request, its X-Request-ID, its latency in the metrics.
    "guichet.core.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files from STATIC_ROOT (collectstatic), before the pages' middleware.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # First in, last out: every write of the request is seen (read your own writes, issue 16).
    "guichet.core.db.ReadYourWritesMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "guichet.core.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, with the account read in the session's own statement (issue 16).
    "guichet.accounts.sessions.SessionAuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # django-csp's, the settings' policy built once per process (issue 16).
    "guichet.core.middleware.CSPMiddleware",
    "guichet.interfaces.api.middleware.ApiErrorShapeMiddleware",
    "guichet.interfaces.api.text.ControlCharacterMiddleware",
]

ROOT_URLCONF = "config.urls"

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
                "guichet.interfaces.web.context_processors.site",
            ],
        },
    },
]

# Forms render with the project's templates first, so that templates/dsfr/form_field_snippets/
# overrides django-dsfr's snippets (docs/decisions/forms-dsfr-rendering.md).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

WSGI_APPLICATION = "config.wsgi.application"

# Database: SQLite when DATABASE_URL is unset (the embedded default), PostgreSQL otherwise.
_DATABASE_URL = env_str("DATABASE_URL", "")
if _DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(_DATABASE_URL, conn_max_age=60)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "guichet.sqlite3",
            "OPTIONS": {
                # WAL and a busy timeout let the web server and the task worker share the file.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
    # The contracts' index INCLUDEs their id for PostgreSQL's index-only scan (the overlap
    # detection, issue 16); SQLite builds it without the INCLUDE, which is what we want.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
# A PostgreSQL streaming replica for the heavy reads (payments lists, statements, the overlap
# detection's scan) when GUICHET_REPLICA_URL is set; a person who has just written reads the
# primary for GUICHET_REPLICA_PIN_SECONDS (guichet/core/db.py, docs/decisions/database-replicas.md).
_REPLICA_URL = env_str("GUICHET_REPLICA_URL", "")
if _REPLICA_URL:
    if not _DATABASE_URL:
        raise ImproperlyConfigured("GUICHET_REPLICA_URL demande DATABASE_URL (le primaire).")
    DATABASES["replica"] = {
        **dj_database_url.parse(_REPLICA_URL, conn_max_age=60),
        # Tests read the replica through the primary's test database (never created there).
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["guichet.core.db.PrimaryReplicaRouter"]
GUICHET_REPLICA_PIN_SECONDS = env_int("GUICHET_REPLICA_PIN_SECONDS", 30)
if GUICHET_REPLICA_PIN_SECONDS < 0:
    raise ImproperlyConfigured("GUICHET_REPLICA_PIN_SECONDS doit être positif.")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["guichet.accounts.backends.AccountBackend"]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

# Sessions live in the database (shared by every process) and expire when idle; an unchanged
# session is written back at most once per GUICHET_SESSION_TOUCH_SECONDS (guichet.core.sessions);
# the row is read with its account and person in one statement (guichet.accounts.sessions).
SESSION_ENGINE = "guichet.accounts.sessions"
SESSION_COOKIE_AGE = env_int("GUICHET_SESSION_IDLE_SECONDS", 15 * 60)
SESSION_SAVE_EVERY_REQUEST = True
GUICHET_SESSION_TOUCH_SECONDS = env_int("GUICHET_SESSION_TOUCH_SECONDS", 60)
if not 0 <= GUICHET_SESSION_TOUCH_SECONDS < SESSION_COOKIE_AGE:
    raise ImproperlyConfigured(
        "GUICHET_SESSION_TOUCH_SECONDS doit être positif et inférieur à "
        "GUICHET_SESSION_IDLE_SECONDS."
    )
# However active, a signed-in session ends this long after the sign-in (guichet.core.sessions).
GUICHET_SESSION_ABSOLUTE_SECONDS = env_int("GUICHET_SESSION_ABSOLUTE_SECONDS", 12 * 3600)
if GUICHET_SESSION_ABSOLUTE_SECONDS <= SESSION_COOKIE_AGE:
    raise ImproperlyConfigured(
        "GUICHET_SESSION_ABSOLUTE_SECONDS doit être supérieur à GUICHET_SESSION_IDLE_SECONDS."
    )
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_COOKIES = env_bool("GUICHET_SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_SSL_REDIRECT = env_bool("GUICHET_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("GUICHET_HSTS_SECONDS", 0 if DEBUG else 31536000)
# includeSubDomains: the service's own host name and every name below it are HTTPS only; a fund
# whose subdomains still serve plain HTTP sets it to false (docs/security.md).
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("GUICHET_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("GUICHET_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("GUICHET_BEHIND_TLS_PROXY", False) else None
)

# No page uses a powerful browser feature: every one is denied, to the page and to its frames.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "ambient-light-sensor",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "interest-cohort",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": ["'none'"],
        "form-action": [SELF, *env_list("GUICHET_CSP_FORM_ACTION", [])],
        "base-uri": [SELF],
        "object-src": ["'none'"],
    }
}

# Cache: the database, so that every web and worker process sees the same values.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "guichet_cache",
    }
}

# Files go through Django's storage API, outside the web root: the local disk in MEDIA_ROOT, or
# an S3-compatible object store when GUICHET_S3_BUCKET is set (config/storage.py, issue 16).
MEDIA_ROOT = Path(env_str("GUICHET_MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": default_storage(),
    # whitenoise serves what collectstatic gathered in STATIC_ROOT, compressed (gzip, brotli);
    # GUICHET_STATIC_MANIFEST (the production recipe) adds hashed names cached for a year,
    # and then every page needs collectstatic's manifest
    # (docs/decisions/operations-serving.md). Both remember each URL per process (issue 16).
    "staticfiles": {
        "BACKEND": "guichet.core.staticfiles.ManifestStaticFilesStorage"
        if env_bool("GUICHET_STATIC_MANIFEST", False)
        else "guichet.core.staticfiles.StaticFilesStorage"
    },
}
STATIC_URL = "static/"
# In development (and tests) whitenoise finds the files where they are; in production only in
# STATIC_ROOT, read once at start-up.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
STATIC_ROOT = Path(env_str("GUICHET_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# Email: console in development, SMTP in production, all read from the environment.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
# Seconds the SMTP client waits on the server at each step; a worker's claim on an outbox row
# (its lease) outlasts a send by far, then a dead worker's email is sent again (same Message-ID).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 15)
EMAIL_LEASE_SECONDS = env_int("GUICHET_EMAIL_LEASE_SECONDS", 120)
# How long before its start an insured person may still cancel an appointment online (rule RDV5).
APPOINTMENT_CANCEL_HOURS = env_int("GUICHET_APPOINTMENT_CANCEL_HOURS", 24)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Guichet <ne-pas-repondre@guichet.localhost>")

# Background work: the Django tasks API, stored in the database (django-tasks-db).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# What the worker (manage.py run_worker) also runs every --sweep-interval seconds.
WORKER_SWEEPS = ["guichet.notifications.services.emails_send_due"]

# Logs: one JSON object per line on the standard error (python-json-logger), each with the
# request's id; one line per request from guichet.request; no personal data
# (guichet.core.logs, docs/operations.md « Journaux »).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "guichet.core.logs.RequestIdFilter"},
        "django_request": {"()": "guichet.core.logs.DjangoRequestFilter"},
    },
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "{levelname}{name}{message}",
            "style": "{",
            "timestamp": "time",  # ISO 8601, UTC
            "json_ensure_ascii": False,
            "rename_fields": {"levelname": "level", "name": "logger"},
            # A record's request object (Django's) is never printed: its repr has the query.
            "reserved_attrs": [*RESERVED_ATTRS, "request"],
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["django_request", "request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("GUICHET_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # runserver's own access line has the query string; guichet.request says it all.
        "django.server": {"level": "ERROR"},
    },
}

# Operations (issue 16, docs/operations.md): a worker's heartbeat is stale after this many
# seconds (it beats every 10 s), and the bearer token of /metriques (unset: no metrics).
GUICHET_WORKER_STALE_SECONDS = env_int("GUICHET_WORKER_STALE_SECONDS", 60)
GUICHET_METRICS_TOKEN = env_str("GUICHET_METRICS_TOKEN", "")

# Login throttling (rule G1): failures per (NIR, IP), per NIR across IPs and per IP across
# NIRs within a window, then a cool-off of the same length (accounts.services.login_limits).
LOGIN_FAILURE_LIMIT = env_int("GUICHET_LOGIN_FAILURE_LIMIT", 5)
LOGIN_ACCOUNT_FAILURE_LIMIT = env_int("GUICHET_LOGIN_ACCOUNT_FAILURE_LIMIT", 20)
LOGIN_IP_FAILURE_LIMIT = env_int("GUICHET_LOGIN_IP_FAILURE_LIMIT", 50)
LOGIN_FAILURE_WINDOW_SECONDS = env_int("GUICHET_LOGIN_FAILURE_WINDOW_SECONDS", 15 * 60)

# The agents' second factor (docs/decisions/security-agents-second-factor.md): django-otp's own
# per-device back-off is off, wrong codes are counted by guichet.core.throttle instead; the
# admin never shows a TOTP seed again after enrolment.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
OTP_TOTP_ISSUER = env_str("GUICHET_OTP_ISSUER", "Guichet")
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# The DSFR's "bloc marque" (Marianne) is reserved to State services: see docs/decisions.
GUICHET_STATE_BRAND = env_bool("GUICHET_STATE_BRAND", False)
GUICHET_SERVICE_NAME = env_str("GUICHET_SERVICE_NAME", "Guichet")
GUICHET_SERVICE_TAGLINE = env_str("GUICHET_SERVICE_TAGLINE", "Mon compte d'assuré")
# The legal pages (mentions légales, données personnelles, accessibilité) name the operator.
GUICHET_OPERATOR_NAME = env_str(
    "GUICHET_OPERATOR_NAME", "la caisse d'assurance maladie qui exploite ce service"
)
GUICHET_HOSTING = env_str(
    "GUICHET_HOSTING",
    "Serveurs de la caisse, situés en France, opérés par son service informatique.",
)
GUICHET_ACCESSIBILITY_EMAIL = env_str("GUICHET_ACCESSIBILITY_EMAIL", "accessibilite@caisse.invalid")
GUICHET_DPO_EMAIL = env_str("GUICHET_DPO_EMAIL", "dpo@caisse.invalid")

# FranceConnect relying party (rule C9). The local sandbox (guichet.interfaces.fcsandbox, mounted under
# /sandbox/franceconnect/) is on by default in development and tests; the real service is a
# matter of configuration: FC_DISCOVERY_URL, FC_CLIENT_ID, FC_CLIENT_SECRET (and
# GUICHET_CSP_FORM_ACTION for the provider's domain).
GUICHET_FC_SANDBOX = env_bool("GUICHET_FC_SANDBOX", DEBUG)
_FC_SANDBOX_DISCOVERY = (
    f"{SITE_URL.rstrip('/')}/sandbox/franceconnect/.well-known/openid-configuration"
)
FC_DISCOVERY_URL = env_str("FC_DISCOVERY_URL", _FC_SANDBOX_DISCOVERY if GUICHET_FC_SANDBOX else "")
FC_CLIENT_ID = env_str("FC_CLIENT_ID", "guichet-sandbox" if GUICHET_FC_SANDBOX else "")
FC_CLIENT_SECRET = env_str(
    "FC_CLIENT_SECRET", "sandbox-secret-not-for-production" if GUICHET_FC_SANDBOX else ""
)
# The sandbox's registration of this service, as FranceConnect's partner space holds it: the
# exact redirect and post-logout URIs, compared character for character (issue 13).
_SITE = SITE_URL.rstrip("/")
FC_SANDBOX_REDIRECT_URIS = env_list(
    "GUICHET_FC_SANDBOX_REDIRECT_URIS", [f"{_SITE}/franceconnect/retour/"]
)
FC_SANDBOX_POST_LOGOUT_REDIRECT_URIS = env_list(
    "GUICHET_FC_SANDBOX_POST_LOGOUT_REDIRECT_URIS",
    [
        f"{_SITE}{path}"
        for path in (
            "/connexion/",
            "/creer-mon-compte/validation-email/",
            "/creer-mon-compte/autres-solutions/",
            "/creer-mon-compte/activation/",
        )
    ],
)

# A demo relying party of /oidc/ at /partenaire-demo/ (issue 14), never in production (system
# check core.E001): seed_demo registers its client (guichet.interfaces.demopartner).
GUICHET_DEMO_PARTNER = env_bool("GUICHET_DEMO_PARTNER", DEBUG)

# The account as an OpenID Connect identity provider (rule C10), under /oidc/. The key comes from
# the environment in production (system check core.E002: the same on every machine).
_OIDC_KEY = env_str("GUICHET_OIDC_RSA_PRIVATE_KEY", "")
GUICHET_OIDC_KEY_FROM_ENV = bool(_OIDC_KEY)
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": oidc_private_key(_OIDC_KEY, VAR_DIR),
    # Issue 13 (docs/decisions/security-identity-provider.md): the code flow only, PKCE S256
    # only, a replayed code or refresh token revokes what was issued from it.
    "OIDC_SERVER_CLASS": "guichet.interfaces.idp.server.GuichetServer",
    "OAUTH2_VALIDATOR_CLASS": "guichet.interfaces.idp.validator.GuichetOAuth2Validator",
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "SCOPES": IDP_SCOPES,
    "DEFAULT_SCOPES": ["openid"],
    "PKCE_REQUIRED": True,
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    "ACCESS_TOKEN_EXPIRE_SECONDS": 300,
    "ID_TOKEN_EXPIRE_SECONDS": 300,
    "REFRESH_TOKEN_EXPIRE_SECONDS": 3600,
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": False,
    "OIDC_RP_INITIATED_LOGOUT_STRICT_REDIRECT_URIS": True,
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "guichet.accounts.passwords.CodePersonnelValidator"},
    {"NAME": "guichet.accounts.passwords.FrenchCommonPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 24 * 3600

# Kiosk (borne multi-services, rule A7): idle seconds before the session is cleared.
KIOSK_IDLE_SECONDS = env_int("GUICHET_KIOSK_IDLE_SECONDS", 120)
