"""Per-tenant CORS: a request's Origin is allowed when the tenant of its host lists it."""

from corsheaders.signals import check_request_enabled


def tenant_allows_origin(sender, request, **kwargs) -> bool:
    tenant = getattr(request, "tenant", None)
    origin = request.headers.get("origin")
    return bool(tenant is not None and origin and origin in (tenant.cors_allowed_origins or []))


check_request_enabled.connect(tenant_allows_origin, dispatch_uid="fengkong_tenant_cors")
