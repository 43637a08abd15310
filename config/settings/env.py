"""Where every setting comes from: the environment, and the helpers that read it."""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


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
