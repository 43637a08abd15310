"""Who is on the other end of a websocket: the tenant its host names, and the token's member.

A websocket never passes through Django's middleware (DESIGN pitfall 13), so this does what
TenantMiddleware and MembershipMiddleware do for HTTP, with the same rules: the host names the
tenant (the same per-process host cache), a suspended tenant is refused, a token is valid only
on its own tenant's host, and the role is the token user's membership of *this* tenant.
`recheck` runs again before every event sent, so a revoked or expired token, a removed member
or a suspended tenant stops receiving at once, and a changed role applies to the next event.

Plain synchronous functions: the consumer calls them through database_sync_to_async.
"""

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django_tenants.utils import get_public_schema_name

from apps.accounts.models import ApiToken, Membership
from apps.accounts.tokens import authenticate_bearer
from apps.tenants.host_cache import host_cache
from apps.tenants.models import Domain, Tenant, TenantStatus

# graphql-ws close codes (its PROTOCOL.md uses 4401 and 4403 the same way).
UNAUTHORIZED = 4401
FORBIDDEN = 4403


class Refused(Exception):
    """The socket is closed with `code` and `reason` (the client sees both)."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code, self.reason = code, reason


NO_TOKEN = Refused(
    UNAUTHORIZED,
    "Unauthorized: send the token in connection_init's payload as "
    '{"authorization": "Bearer <token>"}.',
)
BAD_TOKEN = Refused(UNAUTHORIZED, "Unauthorized: invalid, expired or revoked token for this host.")
NOT_A_MEMBER = Refused(FORBIDDEN, "Forbidden: you are not a member of this tenant.")
SUSPENDED = Refused(FORBIDDEN, "Forbidden: this tenant is suspended.")


@dataclass
class LiveRequest:
    """What resolvers and permission classes read as `info.context.request` over HTTP."""

    tenant: Tenant
    user: Any = field(default_factory=AnonymousUser)
    membership: Membership | None = None
    api_token: ApiToken | None = None
    on_public_host: bool = False


def tenant_for_host(hostname: str) -> Tenant | None:
    """The active tenant of a tenant host; None for an unknown or the platform host."""
    try:
        tenant = host_cache.tenant_for_host(hostname)
    except Domain.DoesNotExist:
        return None
    if tenant.schema_name == get_public_schema_name():
        return None
    return tenant


def bearer_secret(value: Any) -> str | None:
    """The secret of "Bearer <secret>" (any case of "bearer"), else None."""
    if not isinstance(value, str):
        return None
    scheme, _, secret = value.strip().partition(" ")
    return secret.strip() or None if scheme.lower() == "bearer" else None


def authenticate(*, request: LiveRequest, secret: str | None) -> None:
    """Fill `request` with the token's user and membership here, or raise Refused."""
    _check_active(request.tenant)  # before the token: a suspended tenant says so to anyone
    if secret is None:
        raise NO_TOKEN
    token = authenticate_bearer(secret)
    if token is None or token.tenant_id != request.tenant.pk:
        raise BAD_TOKEN  # a platform token or another tenant's is worthless on this host
    request.user, request.api_token = token.user, token
    recheck(request=request)


def recheck(*, request: LiveRequest) -> None:
    """The connection's credentials still hold (see the module docstring), or raise Refused.
    Refreshes the membership (its role) on `request`. One query: token, user, tenant, role."""
    token = request.api_token
    assert token is not None, "authenticate first"
    here = Membership.objects.filter(user_id=OuterRef("user_id"), tenant_id=request.tenant.pk)
    row = (
        ApiToken.objects.filter(pk=token.pk, tenant_id=request.tenant.pk)
        .annotate(
            membership_id=Subquery(here.values("pk")[:1]),
            role=Subquery(here.values("role")[:1]),
        )
        .values(
            "revoked_at",
            "expires_at",
            "user_id",
            "user__is_active",
            "tenant__status",
            "membership_id",
            "role",
        )  # fmt: skip
        .first()
    )
    if row is None:
        raise BAD_TOKEN
    if row["tenant__status"] != TenantStatus.ACTIVE:
        raise SUSPENDED
    now = timezone.now()
    usable = row["revoked_at"] is None and row["user__is_active"]
    if not usable or (row["expires_at"] is not None and row["expires_at"] <= now):
        raise BAD_TOKEN
    if row["membership_id"] is None:
        raise NOT_A_MEMBER
    request.membership = Membership(
        pk=row["membership_id"],
        user_id=row["user_id"],
        tenant_id=request.tenant.pk,
        role=row["role"],
    )


def _check_active(tenant: Tenant) -> None:
    # Read from the database, not the host cache: a suspension applies to the next event.
    status = Tenant.objects.filter(pk=tenant.pk).values_list("status", flat=True).first()
    if status != TenantStatus.ACTIVE:
        raise SUSPENDED
