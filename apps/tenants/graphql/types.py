from typing import TypeAlias

import strawberry
import strawberry_django
from strawberry import relay

from apps.core.graphql.pagination import BoundedConnection
from apps.tenants.models import BusinessModel, Domain, Tenant, TenantStatus

# strawberry.enum works in place: the model enums themselves are the GraphQL enums (and types).
strawberry.enum(BusinessModel, name="BusinessModel")
strawberry.enum(TenantStatus, name="TenantStatus")
BusinessModelEnum: TypeAlias = BusinessModel
TenantStatusEnum: TypeAlias = TenantStatus


@strawberry_django.type(Domain, name="Domain")
class DomainType(relay.Node):
    domain: str
    is_primary: bool


@strawberry_django.type(Tenant, name="Tenant", description="A customer platform (one schema).")
class TenantType(relay.Node):
    name: str
    schema_name: str
    business_model: BusinessModelEnum
    status: TenantStatusEnum
    suspended_reason: str
    cors_allowed_origins: list[str]
    created_at: strawberry.auto
    domains: BoundedConnection[DomainType] = strawberry_django.connection(
        description="Host names of this tenant."
    )
