from enum import Enum
from typing import Annotated

import strawberry
import strawberry_django
from django.db.models import Q
from strawberry.types import Info

from apps.accounts import selectors
from apps.accounts.graphql.types import ApiTokenType, MemberType, MeType, RoleEnum
from apps.core.graphql.ordering import ORDER_BY_DESCRIPTION, apply_order, order_input
from apps.core.graphql.pagination import BoundedConnection
from apps.core.graphql.permissions import IsAuthenticated, IsViewer


@strawberry.input(name="MemberFilter", description="Members matching all the conditions.")
class MemberFilterInput:
    roles: list[RoleEnum] | None = strawberry.field(
        default=None, description="Any of these roles."
    )
    search: str | None = strawberry.field(
        default=None, description="Part of the e-mail or the name."
    )


@strawberry.enum(name="MemberOrderField", description="What members sort by.")
class MemberOrderField(Enum):
    EMAIL = strawberry.enum_value("user__email", description="The e-mail.")
    NAME = strawberry.enum_value("user__full_name", description="The name.")
    ROLE = strawberry.enum_value("role", description="The role code, alphabetically.")
    JOINED = strawberry.enum_value("created_at", description="When they joined.")


MemberOrder = order_input("MemberOrder", MemberOrderField, description="One sort key.")


@strawberry.enum(name="ApiTokenOrderField", description="What tokens sort by.")
class ApiTokenOrderField(Enum):
    CREATED = strawberry.enum_value("created_at", description="When it was issued.")
    NAME = strawberry.enum_value("name", description="Its name.")
    LAST_USED = strawberry.enum_value("last_used_at", description="When it was last used.")
    EXPIRES = strawberry.enum_value("expires_at", description="When it expires.")


ApiTokenOrder = order_input("ApiTokenOrder", ApiTokenOrderField, description="One sort key.")


@strawberry.type
class MeQuery:
    @strawberry.field(permission_classes=[IsAuthenticated])
    def me(self, info: Info) -> MeType:
        request = info.context.request
        membership = request.membership
        return MeType(
            user=request.user,
            role=membership.role if membership else None,
            is_operator=bool(request.user.is_staff and request.on_public_host),
        )


@strawberry.type
class AccountsQuery(MeQuery):
    @strawberry_django.connection(
        BoundedConnection[MemberType],
        permission_classes=[IsViewer],
        description="Members of this tenant.",
    )
    def members(
        self,
        info: Info,
        filter: Annotated[
            MemberFilterInput | None, strawberry.argument(description="Whom to list.")
        ] = None,
        order_by: Annotated[  # type: ignore[valid-type]
            list[MemberOrder] | None,
            strawberry.argument(description=ORDER_BY_DESCRIPTION.format(default="by e-mail")),
        ] = None,
    ) -> list[MemberType]:
        rows = selectors.members(tenant=info.context.request.tenant)
        if filter and filter.roles:
            rows = rows.filter(role__in=[r.value for r in filter.roles])
        if filter and filter.search and filter.search.strip():
            term = filter.search.strip()
            rows = rows.filter(Q(user__email__icontains=term) | Q(user__full_name__icontains=term))
        return apply_order(rows, order_by, default=("user__email",))  # type: ignore[return-value]

    @strawberry_django.connection(
        BoundedConnection[ApiTokenType],
        permission_classes=[IsViewer],
        description="Your tokens here; an admin sees every member's.",
    )
    def api_tokens(
        self,
        info: Info,
        order_by: Annotated[  # type: ignore[valid-type]
            list[ApiTokenOrder] | None,
            strawberry.argument(description=ORDER_BY_DESCRIPTION.format(default="newest first")),
        ] = None,
    ) -> list[ApiTokenType]:
        rows = selectors.tokens(tenant=info.context.request.tenant)
        return apply_order(rows, order_by, default=("-created_at",))  # type: ignore[return-value]
