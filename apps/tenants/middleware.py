"""Host → tenant → search_path (django-tenants), plus the refusal of suspended tenants."""

from django.http import HttpResponse, JsonResponse
from django_tenants.middleware.main import TenantMainMiddleware
from django_tenants.utils import get_public_schema_name

from apps.tenants.host_cache import host_cache
from apps.tenants.models import TenantStatus

# Still answered for a suspended tenant: health probes must keep working.
ALWAYS_OPEN_PREFIXES = ("/healthz",)


class TenantMiddleware(TenantMainMiddleware):
    def get_tenant(self, domain_model, hostname):
        # Per-process cache, invalidated on every tenant/domain change (apps/tenants/host_cache).
        return host_cache.tenant_for_host(hostname)

    def process_request(self, request):
        response = super().process_request(request)
        if response is not None:
            return response
        tenant = request.tenant
        request.on_public_host = tenant.schema_name == get_public_schema_name()
        if tenant.status == TenantStatus.SUSPENDED and not request.path.startswith(
            ALWAYS_OPEN_PREFIXES
        ):
            return suspended_response(request, tenant)
        return None


def suspended_response(request, tenant) -> HttpResponse:
    message = "This tenant is suspended; its data cannot be read or changed."
    if request.path.startswith("/graphql"):
        return JsonResponse(
            {
                "data": None,
                "errors": [{"message": message, "extensions": {"code": "TENANT_SUSPENDED"}}],
            },
            status=403,
        )
    return HttpResponse(message, status=403, content_type="text/plain; charset=utf-8")
