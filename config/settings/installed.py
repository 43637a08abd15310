"""Apps (shared and per tenant), django-tenants, middleware, templates."""

import os

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
# Clones of the template kept ready (apps/tenants/spares.py): provisioning renames one instead of
# running ~1,100 DDL statements; a worker makes the next one. 0 = clone during provisioning.
TENANT_SPARE_SCHEMAS = int(os.environ.get("TENANT_SPARE_SCHEMAS", "2"))
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
