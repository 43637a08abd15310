"""Authentication, lockouts, client addresses, tokens, cookies, CORS."""

import ipaddress
import os
from datetime import timedelta

from config.settings.env import PRODUCTION

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
