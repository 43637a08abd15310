"""The one PostgreSQL database (a schema per tenant)."""

import os

import dj_database_url

from config.settings.env import env_bool

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
