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
