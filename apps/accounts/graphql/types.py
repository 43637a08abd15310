from typing import TypeAlias, cast

import strawberry
import strawberry_django
from strawberry import relay

from apps.accounts.models import ApiToken, Membership, TokenKind, User
from apps.accounts.roles import Role
from apps.core.graphql.nodes import TenantNode

# strawberry.enum works in place: the model enums themselves are the GraphQL enums (and types).
strawberry.enum(Role, name="Role")
strawberry.enum(TokenKind, name="TokenKind")
RoleEnum: TypeAlias = Role
TokenKindEnum: TypeAlias = TokenKind


@strawberry_django.type(User, name="User", description="A person or machine identity.")
class UserType:
    """Not a Node on purpose: users live in `public`, shared by every tenant, so they are never
    looked up by id on their own — only reached through this tenant's members and records."""

    email: str
    full_name: str

    @strawberry_django.field(only=["id"], description="Global id, for owner and assessor inputs.")
    def id(self) -> relay.GlobalID:
        return relay.GlobalID("User", str(cast(User, self).pk))


@strawberry_django.type(Membership, name="Member", description="A user's role in this tenant.")
class MemberType(TenantNode):
    min_role = Role.VIEWER

    role: RoleEnum
    created_at: strawberry.auto
    user: UserType

    @classmethod
    def restrict(cls, queryset, request):
        # Memberships live in `public`: only this tenant's are ever visible.
        return queryset.filter(tenant_id=request.tenant.pk)


@strawberry_django.type(
    ApiToken, name="ApiToken", description="A bearer token; its secret is shown only when created."
)
class ApiTokenType(TenantNode):
    min_role = Role.VIEWER

    name: str
    kind: TokenKindEnum
    prefix: str
    created_at: strawberry.auto
    expires_at: strawberry.auto
    revoked_at: strawberry.auto
    last_used_at: strawberry.auto
    user: UserType

    @classmethod
    def restrict(cls, queryset, request):
        queryset = queryset.filter(tenant_id=request.tenant.pk)
        membership = request.membership
        if membership is None or membership.role != Role.ADMIN:
            queryset = queryset.filter(user_id=request.user.pk)  # admins see every member's
        return queryset


@strawberry.type(name="Me", description="The caller, and their role on this host.")
class MeType:
    user: UserType
    role: RoleEnum | None = strawberry.field(
        description="Role in this tenant; null on the platform host."
    )
    is_operator: bool
