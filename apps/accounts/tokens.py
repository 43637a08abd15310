"""Token secrets: generation, hashing, and the lookup that authenticates a bearer token."""

import hashlib
import secrets

from django.conf import settings
from django.utils import timezone

from apps.accounts.models import ApiToken

TOKEN_PREFIX = "fk_"


def new_secret() -> tuple[str, str]:
    """A fresh secret and its recognisable prefix (`fk_` + 8 characters shown in listings)."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    return secret, secret[: len(TOKEN_PREFIX) + 8]


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def authenticate_bearer(secret: str) -> ApiToken | None:
    """The usable token with this secret, or None. Records `last_used_at`, at most once a minute."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user", "tenant")
        .filter(key_hash=hash_secret(secret))
        .first()
    )
    now = timezone.now()
    if token is None or not token.is_usable(now) or not token.user.is_active:
        return None
    interval = settings.FENGKONG_TOKEN_TOUCH_INTERVAL
    if token.last_used_at is None or now - token.last_used_at > interval:
        # A plain UPDATE: not a user action, so no audit entry and no model signals.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
