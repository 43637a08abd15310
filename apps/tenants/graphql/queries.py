import strawberry
import strawberry_django

from apps.core.graphql.pagination import BoundedConnection
from apps.core.graphql.permissions import IsOperator
from apps.tenants import selectors
from apps.tenants.graphql.types import TenantStatusEnum, TenantType


@strawberry.type
class TenantsQuery:
    @strawberry_django.connection(
        BoundedConnection[TenantType],
        permission_classes=[IsOperator],
        description="Customer tenants, by name.",
    )
    def tenants(self, status: TenantStatusEnum | None = None) -> list[TenantType]:
        tenants = selectors.customer_tenants().order_by("name", "pk")
        if status is not None:
            tenants = tenants.filter(status=status.value)
        return tenants  # type: ignore[return-value]
