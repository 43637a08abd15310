from django.db.models import QuerySet
from django_tenants.utils import get_public_schema_name

from apps.tenants.models import Tenant, TenantStatus


def customer_tenants() -> QuerySet[Tenant]:
    """Every tenant but the platform's own public schema."""
    return Tenant.objects.exclude(schema_name=get_public_schema_name())


def active_tenant_schemas() -> list[str]:
    return list(
        customer_tenants().filter(status=TenantStatus.ACTIVE).values_list("schema_name", flat=True)
    )


def active_tenants(schemas: list[str]) -> list[Tenant]:
    """The tenants of `schemas` that are active now, in the order given (one query)."""
    found = {
        t.schema_name: t
        for t in customer_tenants().filter(schema_name__in=schemas, status=TenantStatus.ACTIVE)
    }
    return [found[s] for s in schemas if s in found]
