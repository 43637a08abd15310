from typing import Annotated

import strawberry
import strawberry_django

from apps.core.graphql.ordering import ORDER_BY_DESCRIPTION, apply_order
from apps.core.graphql.pagination import BoundedConnection
from apps.core.graphql.permissions import IsOperator
from apps.tenants import selectors
from apps.tenants.graphql.types import TenantOrder, TenantStatusEnum, TenantType


@strawberry.type
class TenantsQuery:
    @strawberry_django.connection(
        BoundedConnection[TenantType],
        permission_classes=[IsOperator],
        description="Customer tenants, by name.",
    )
    def tenants(
        self,
        status: Annotated[
            TenantStatusEnum | None, strawberry.argument(description="Only tenants in this status.")
        ] = None,
        order_by: Annotated[
            list[TenantOrder] | None,
            strawberry.argument(description=ORDER_BY_DESCRIPTION.format(default="by name")),
        ] = None,
    ) -> list[TenantType]:
        tenants = apply_order(selectors.customer_tenants(), order_by, default=("name",))
        if status is not None:
            tenants = tenants.filter(status=status.value)
        return tenants  # type: ignore[return-value]
