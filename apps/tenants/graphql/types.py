from enum import Enum
from typing import TYPE_CHECKING, TypeAlias

import strawberry
import strawberry_django
from strawberry import relay

from apps.core.graphql.errors import choices_enum
from apps.core.graphql.ordering import OrderKey, order_input, ordered_connection
from apps.core.graphql.pagination import BoundedConnection
from apps.tenants.models import BusinessModel, Domain, Tenant, TenantStatus

# choices_enum works in place: the model enums themselves are the GraphQL enums (and types),
# each value described by its label.
choices_enum(BusinessModel, "BusinessModel", "The kind of business a tenant runs.")
choices_enum(TenantStatus, "TenantStatus", "Whether a tenant is served.")
BusinessModelEnum: TypeAlias = BusinessModel
TenantStatusEnum: TypeAlias = TenantStatus


@strawberry.enum(name="TenantOrderField", description="What the tenant list sorts by.")
class TenantOrderField(Enum):
    NAME = strawberry.enum_value("name", description="The tenant's name.")
    SCHEMA_NAME = strawberry.enum_value("schema_name", description="Its database schema.")
    CREATED = strawberry.enum_value("created_at", description="When it was provisioned.")


if TYPE_CHECKING:  # built at run time by order_input
    TenantOrder = OrderKey
else:
    TenantOrder = order_input(
        "TenantOrder", TenantOrderField, description="One sort key of tenants."
    )


@strawberry.enum(name="DomainOrderField", description="What a tenant's domains sort by.")
class DomainOrderField(Enum):
    DOMAIN = strawberry.enum_value("domain", description="The host name.")
    PRIMARY = strawberry.enum_value("is_primary", description="Others before the primary one.")


DomainOrder = order_input("DomainOrder", DomainOrderField, description="One sort key of domains.")


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
    domains: BoundedConnection[DomainType] = ordered_connection(
        DomainOrder,
        default=("domain",),
        default_text="by host name",
        description="Host names of this tenant.",
    )
