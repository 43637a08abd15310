"""Fengkong settings: everything that differs between machines comes from the environment."""

import ipaddress
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    return default if value is None else [item.strip() for item in value.split(",") if item.strip()]


# development | production | test
FENGKONG_ENV = os.environ.get("FENGKONG_ENV", "development")
PRODUCTION = FENGKONG_ENV == "production"
DEBUG = env_bool("DJANGO_DEBUG", not PRODUCTION)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production")
    SECRET_KEY = "dev-only-insecure-key-never-used-in-production"

# Tenant hosts are subdomains (hyphens only, never underscores: DESIGN pitfall 3).
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", [".localhost", "localhost", "127.0.0.1"])
# The host that serves the platform (public schema): operator API and operator admin.
PUBLIC_DOMAIN = os.environ.get("FENGKONG_PUBLIC_DOMAIN", "localhost")

# --- apps -------------------------------------------------------------------------------------
SHARED_APPS = [
    "django_tenants",
    "apps.tenants",
    "apps.accounts",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.admin",
    "django.contrib.staticfiles",
    "corsheaders",
    "axes",
    "auditlog",
    "health_check",
    "strawberry_django",
]
# contenttypes, admin and auditlog live in every schema too: their rows point at content types,
# and a tenant's content types are its own (django-tenants keeps one table per schema).
TENANT_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.admin",
    "auditlog",
    "apps.core",
    "apps.notifications",
    "apps.risks",
    "apps.early_warning",
    "apps.people",
    "apps.training",
    "apps.subscriptions",
    "apps.emergency",
    "apps.reputation",
    "apps.assessments",
]
INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Tenant"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_NAME = "public"
PUBLIC_SCHEMA_URLCONF = "config.urls_public"
ROOT_URLCONF = "config.urls_tenants"
TENANT_LIMIT_SET_CALLS = True  # one SET search_path per request, not per query (pitfall 8)
# Host → tenant cached per process (apps/tenants/host_cache.py): entries live this long, and a
# Redis version bumped on every tenant/domain change is read at most this often (0 = always).
TENANT_CACHE_TTL_SECONDS = float(os.environ.get("TENANT_CACHE_TTL_SECONDS", "30"))
TENANT_CACHE_VERSION_CHECK_SECONDS = float(
    os.environ.get("TENANT_CACHE_VERSION_CHECK_SECONDS", "1")
)
# New tenants are cloned from this migrated schema (apps/tenants/template.py); "" = migrate each.
TENANT_TEMPLATE_SCHEMA = os.environ.get("TENANT_TEMPLATE_SCHEMA", "_template")
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]
AUTH_USER_MODEL = "accounts.User"

MIDDLEWARE = [
    "apps.tenants.middleware.TenantMiddleware",  # host → tenant → search_path; suspended check
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "apps.accounts.middleware.MembershipMiddleware",  # bearer tokens; membership of *this* tenant
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # After auth (it reads request.user as the actor); the address through trusted proxies only.
    "apps.core.client_address.AuditlogMiddleware",
    "axes.middleware.AxesMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

WSGI_APPLICATION = "config.wsgi.application"
# Websockets only (GraphQL subscriptions), in their own process: Procfile `ws`, config/asgi.py.
ASGI_APPLICATION = "config.asgi.application"

# --- database ---------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/fengkong"),
        conn_max_age=0,
    )
}
DATABASES["default"]["ENGINE"] = "django_tenants.postgresql_backend"
if env_bool("DATABASE_POOL", False):
    # Django's psycopg pool: safe with TENANT_LIMIT_SET_CALLS (pitfall 11); needs CONN_MAX_AGE 0.
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 2,
        "max_size": int(os.environ.get("DATABASE_POOL_MAX", "10")),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache and background work ----------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_FUNCTION": "django_tenants.cache.make_key",  # per-tenant keys (pitfall 12)
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
    }
}

# Live updates (apps.core.live → GraphQL subscriptions): Redis pub/sub, fire and forget. Pub/sub
# channels ignore the Redis database number, so the prefix keeps installations (and test runs)
# sharing one Redis apart.
CHANNEL_LAYERS: dict[str, dict[str, Any]] = {
    "default": {
        "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
        "CONFIG": {
            "hosts": [os.environ.get("FENGKONG_LIVE_REDIS_URL", REDIS_URL)],
            "prefix": os.environ.get("FENGKONG_LIVE_PREFIX", "fengkong"),
        },
    }
}

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", REDIS_URL)
# Who re-runs a killed worker's job (docs/decisions.md "Redelivery"): a message is acknowledged
# after its task (acks_late); a prefork child that dies has its message requeued at once
# (reject_on_worker_lost) and the next attempt resumes the job from its checkpoint; a worker
# killed outright leaves its message unacknowledged, and the tick's sweep fails and re-runs the
# job once its heartbeat is FENGKONG_JOB_HEARTBEAT_STALE_SECONDS old (minutes).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = timedelta(days=1)
# A broker that is down must cost a request seconds, not ~20: connect quickly, retry a publish
# once, and the result backend's reconnect policy is bounded too. The caller then answers
# BROKER_UNAVAILABLE and the job's outbox row (Job.enqueued_at null) is re-sent by the tick.
CELERY_BROKER_CONNECTION_TIMEOUT = float(os.environ.get("FENGKONG_BROKER_TIMEOUT_SECONDS", "2"))
# Redis hands an unacknowledged message out again after this long. A last resort, never what
# retries a killed worker's job (the sweep did, long before): run_job drops the late copy of a
# finished job, and a copy of a job a live worker is still running (a job longer than this).
FENGKONG_BROKER_VISIBILITY_TIMEOUT_SECONDS = int(
    os.environ.get("FENGKONG_BROKER_VISIBILITY_TIMEOUT_SECONDS", "3600")
)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": FENGKONG_BROKER_VISIBILITY_TIMEOUT_SECONDS,
    "socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 0.5,
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = CELERY_BROKER_CONNECTION_TIMEOUT
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "retry_policy": {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "timeout": 2}
}
# One queue per kind of work, each with its own worker in production (Procfile, compose), so a
# flood of one kind (webhook deliveries, a big scan) never delays another (an interactive job).
# Unrouted tasks (the ticks) stay on the default queue, which the interactive worker consumes.
FENGKONG_QUEUE_PREFIX = os.environ.get("FENGKONG_QUEUE_PREFIX", "")
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "celery")


def celery_queues(prefix: str, default: str) -> dict[str, str]:
    """Kind of work -> queue name; `prefix` keeps parallel test runs apart."""
    return {
        "default": default,
        "interactive": f"{prefix}interactive",
        "scans": f"{prefix}scans",
        "deliveries": f"{prefix}deliveries",
        "heavy": f"{prefix}heavy",
        # Sentiment models hold ~400 MB per process and score ~100 texts/s (SnowNLP): their own
        # worker, so a flood of mentions never delays a scan or an import.
        "sentiment": f"{prefix}sentiment",
    }


def celery_routes(queues: dict[str, str]) -> dict[str, dict]:
    kinds = {
        "core.run_diagnostics": "interactive",
        "risks.import_file": "interactive",
        "people.import_file": "interactive",
        "early_warning.run_scan": "scans",
        "notifications.deliver": "deliveries",
        "notifications.deliver_webhook": "deliveries",
        "risks.daily_register": "heavy",
        "reputation.score_mentions": "sentiment",
        "reputation.match_topics": "sentiment",  # jieba's dictionary, loaded once there
        "reputation.import_complaints": "interactive",
        "assessments.run": "heavy",
        "assessments.parse_dataset": "heavy",
    }
    return {task: {"queue": queues[kind]} for task, kind in kinds.items()}


FENGKONG_QUEUES = celery_queues(FENGKONG_QUEUE_PREFIX, CELERY_TASK_DEFAULT_QUEUE)
CELERY_TASK_ROUTES = celery_routes(FENGKONG_QUEUES)
CELERY_TASK_TENANT_CACHE_SECONDS = 30
# Sentiment scorers (apps/reputation/scoring): name → class, and the default per language. A
# tenant may pick another registered name (ReputationSettings); models ship in their packages.
FENGKONG_SENTIMENT_SCORERS = {
    "snownlp": "apps.reputation.scoring.snow:SnowNlpScorer",
    "vader": "apps.reputation.scoring.vader:VaderScorer",
}
FENGKONG_SENTIMENT_DEFAULTS = {"zh": "snownlp", "en": "vader"}
# Mentions scored per batch (one read, one UPDATE); a job commits after each batch.
FENGKONG_SENTIMENT_BATCH = int(os.environ.get("FENGKONG_SENTIMENT_BATCH", "500"))
# Beat sends one tick; the dispatcher fans out per active tenant, and each tenant's data says
# what is due (DESIGN "Background work").
CELERY_BEAT_SCHEDULE = {
    "tenant-tick": {
        "task": "core.dispatch_tenant_ticks",
        "schedule": float(os.environ.get("FENGKONG_TICK_SECONDS", "60")),
    }
}
CELERY_BEAT_SCHEDULE_FILENAME = os.environ.get(
    "CELERY_BEAT_SCHEDULE_FILENAME", str(BASE_DIR / ".data" / "celerybeat-schedule")
)
# Upper bound of the random delay spread over tenants by the dispatcher (thundering herd).
FENGKONG_TICK_JITTER_SECONDS = float(os.environ.get("FENGKONG_TICK_JITTER_SECONDS", "10"))
# Scans commit this many indicators at a time (a crash loses at most one chunk of work), and may
# pause between chunks so one tenant's big scan does not monopolise the database. A chunk of
# 1,000 indicators is one short transaction (~0.1 s: bench/warning_scan.py).
FENGKONG_SCAN_CHUNK = int(os.environ.get("FENGKONG_SCAN_CHUNK", "1000"))
FENGKONG_SCAN_PAUSE_SECONDS = float(os.environ.get("FENGKONG_SCAN_PAUSE_SECONDS", "0"))
# A job still "running" after this long was lost with its worker: the tick marks it failed.
FENGKONG_JOB_STALE_AFTER = timedelta(hours=int(os.environ.get("FENGKONG_JOB_STALE_HOURS", "6")))
# Running jobs beat every FENGKONG_JOB_HEARTBEAT_SECONDS; one silent for longer than
# FENGKONG_JOB_HEARTBEAT_STALE_SECONDS lost its worker (SIGKILL, OOM): the tick fails it and
# re-runs it if its task is idempotent (scans). A queued job never sent (broker down at commit)
# is re-sent by the tick after FENGKONG_JOB_UNSENT_AFTER_SECONDS.
FENGKONG_JOB_HEARTBEAT_SECONDS = float(os.environ.get("FENGKONG_JOB_HEARTBEAT_SECONDS", "30"))
FENGKONG_JOB_HEARTBEAT_STALE_SECONDS = float(
    os.environ.get("FENGKONG_JOB_HEARTBEAT_STALE_SECONDS", "300")
)
FENGKONG_JOB_UNSENT_AFTER_SECONDS = float(os.environ.get("FENGKONG_JOB_UNSENT_AFTER_SECONDS", "20"))
# Webhook deliveries of one tenant running at once; its others are deferred to the tick's sweep,
# so one tenant's flood leaves the delivery workers to the others.
FENGKONG_WEBHOOK_TENANT_IN_FLIGHT = int(os.environ.get("FENGKONG_WEBHOOK_TENANT_IN_FLIGHT", "2"))

# --- authentication ---------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses locked-out credentials first
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "email"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_LOCKOUT_CALLABLE = "apps.accounts.lockout.lockout_response"
# Failures from one address across every e-mail (a spray) lock that address out too.
AXES_HANDLER = "apps.accounts.lockout.AddressThrottlingHandler"
FENGKONG_LOGIN_ADDRESS_FAILURE_LIMIT = int(
    os.environ.get("FENGKONG_LOGIN_ADDRESS_FAILURE_LIMIT", "10")
)
# --- Client addresses (apps.core.client_address): for axes and the audit trail ----------------
# CIDRs of the proxies in front of gunicorn (the TLS proxy, a load balancer). Only a request from
# one of them has its X-Forwarded-For read, right-most untrusted hop first; without any, the
# header is ignored. Behind a proxy this must be set, or every client shares the proxy's address
# (and its lockouts).
FENGKONG_TRUSTED_PROXIES = [
    str(ipaddress.ip_network(cidr.strip(), strict=False))  # a malformed entry fails at startup
    for cidr in os.environ.get("FENGKONG_TRUSTED_PROXIES", "").split(",")
    if cidr.strip()
]
AXES_CLIENT_IP_CALLABLE = "apps.core.client_address.client_address"
# Lifetime of the token `login` returns; API tokens for machines choose their own expiry.
FENGKONG_LOGIN_TOKEN_TTL = timedelta(hours=int(os.environ.get("FENGKONG_LOGIN_TOKEN_HOURS", "12")))
# last_used_at is written at most this often per token, not on every request.
FENGKONG_TOKEN_TOUCH_INTERVAL = timedelta(minutes=1)

SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SESSION_COOKIE_HTTPONLY = True

# --- CORS: each tenant lists its own frontends' origins (apps.tenants.cors) --------------------
CORS_ALLOWED_ORIGINS: list[str] = []
CORS_URLS_REGEX = r"^/graphql/?$"
CORS_ALLOW_HEADERS = ["authorization", "content-type"]

# --- GraphQL ----------------------------------------------------------------------------------
GRAPHQL_MAX_DEPTH = 10
GRAPHQL_MAX_ALIASES = 15
GRAPHQL_MAX_TOKENS = 5000
GRAPHQL_MAX_SELECTIONS = 2000  # fields once fragments are expanded (apps/core/graphql/limits.py)
GRAPHQL_TIME_BUDGET_SECONDS = float(os.environ.get("GRAPHQL_TIME_BUDGET_SECONDS", "10"))
GRAPHQL_PAGE_MAX = 100
# Persisted queries (apps/core/graphql/persisted.py): the frontend build's manifest of documents
# by sha256, and whether an unknown hash sent with its text is registered on first use.
GRAPHQL_PERSISTED_DOCUMENTS = os.environ.get(
    "GRAPHQL_PERSISTED_DOCUMENTS", str(BASE_DIR / "persisted-queries.json")
)
GRAPHQL_PERSISTED_REGISTER_ON_USE = env_bool("GRAPHQL_PERSISTED_REGISTER_ON_USE", not PRODUCTION)
# Imports send files as base64 in the GraphQL body: 5 MB of file is about 6.7 MB of request.
DATA_UPLOAD_MAX_MEMORY_SIZE = 8 * 1024 * 1024
# Longest free text a TextField of a tenant model takes (a field may set its own max_length).
FENGKONG_TEXT_MAX_CHARS = int(os.environ.get("FENGKONG_TEXT_MAX_CHARS", "20000"))
# An XLSX upload is checked before and while it is parsed (apps/core/tabular.py): a small
# zip can unpack to gigabytes or hold millions of shared strings that openpyxl loads at once.
FENGKONG_XLSX_MAX_UNCOMPRESSED_BYTES = int(
    os.environ.get("FENGKONG_XLSX_MAX_UNCOMPRESSED_BYTES", str(50 * 1024 * 1024))
)
FENGKONG_XLSX_MAX_COMPRESSION_RATIO = int(
    os.environ.get("FENGKONG_XLSX_MAX_COMPRESSION_RATIO", "100")
)
FENGKONG_XLSX_MAX_SHARED_STRINGS = int(os.environ.get("FENGKONG_XLSX_MAX_SHARED_STRINGS", "200000"))
FENGKONG_XLSX_MAX_CELLS = int(os.environ.get("FENGKONG_XLSX_MAX_CELLS", "1000000"))
STRAWBERRY_DJANGO = {
    "FIELD_DESCRIPTION_FROM_HELP_TEXT": True,
    "TYPE_DESCRIPTION_FROM_MODEL_DOCSTRING": False,
    "MAP_AUTO_ID_AS_GLOBAL_ID": True,
    "PAGINATION_DEFAULT_LIMIT": 20,
}

# --- audit ------------------------------------------------------------------------------------
AUDITLOG_DISABLE_REMOTE_ADDR = False
AUDITLOG_INCLUDE_ALL_MODELS = False
# Values keep their JSON types (null, not "None"); apps/core/audit.py names FK targets.
AUDITLOG_STORE_JSON_CHANGES = True

# --- i18n, static, mail, logging --------------------------------------------------------------
LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
# Production serves what collectstatic gathered there (the Docker image sets it and runs
# collectstatic); elsewhere WhiteNoise finds the files in the apps, so bin/dev needs neither.
STATIC_ROOT = os.environ.get("DJANGO_STATIC_ROOT") or None
WHITENOISE_USE_FINDERS = not PRODUCTION

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "fengkong@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
