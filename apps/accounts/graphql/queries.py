import strawberry
import strawberry_django
from strawberry.types import Info

from apps.accounts import selectors
from apps.accounts.graphql.types import ApiTokenType, MemberType, MeType
from apps.core.graphql.pagination import BoundedConnection
from apps.core.graphql.permissions import IsAuthenticated, IsViewer


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
    def members(self, info: Info) -> list[MemberType]:
        return selectors.members(tenant=info.context.request.tenant)  # type: ignore[return-value]

    @strawberry_django.connection(
        BoundedConnection[ApiTokenType],
        permission_classes=[IsViewer],
        description="Your tokens here; an admin sees every member's.",
    )
    def api_tokens(self, info: Info) -> list[ApiTokenType]:
        return selectors.tokens(tenant=info.context.request.tenant)  # type: ignore[return-value]
