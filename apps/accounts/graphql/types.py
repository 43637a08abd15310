from typing import TYPE_CHECKING

import strawberry
import strawberry_django
from strawberry.types import Info

from apps.accounts.models import ApiToken, Membership, TokenKind, User
from apps.accounts.roles import Role
from apps.core.graphql.errors import choices_enum
from apps.core.graphql.nodes import TenantNode, member_rank

# The GraphQL enums are built from the model's choices (each value described by its label);
# to the type checker they are the model enums themselves.
if TYPE_CHECKING:
    RoleEnum = Role
    TokenKindEnum = TokenKind
else:
    RoleEnum = choices_enum(
        Role,
        "Role",
        "A member's role in this tenant; each can do what the ones before it can.",
        descriptions={
            Role.VIEWER: "Reads everything of the tenant's register and warnings.",
            Role.ANALYST: "Also records risks, assessments and data; works on signals.",
            Role.RISK_MANAGER: "Also configures indicators and rules, decides acceptances.",
            Role.ADMIN: "Also manages members, webhooks, settings and HR data.",
        },
    )
    TokenKindEnum = choices_enum(TokenKind, "TokenKind", "What a token was issued for.")


@strawberry_django.type(
    User,
    name="User",
    description="A person or machine identity. As a Node (`node(id:)`), only a member of this "
    "tenant is found; others are null.",
)
class UserType(TenantNode):
    """Users live in `public`, shared by every tenant. Looked up by id (`node`), a user is found
    only while a member of this tenant. Reached through this tenant's records (an owner, an
    assignee) the reference is read as stored, joined like any other: no row rule, so no query
    per relation (a `restrict` here would turn every user reference into a prefetch)."""

    min_role = Role.VIEWER

    email: str = strawberry_django.field(description="Their e-mail (also their login).")
    full_name: str = strawberry_django.field(description="Their name.")

    @classmethod
    def resolve_node(cls, node_id: str, *, info: Info, required: bool = False, **kwargs):
        request = info.context.request
        tenant = getattr(request, "tenant", None)
        user = None
        if node_id.isdigit() and tenant is not None and member_rank(request) >= 0:
            user = User.objects.filter(pk=int(node_id), memberships__tenant_id=tenant.pk).first()
        if user is None and required:
            raise User.DoesNotExist(node_id)
        return user


@strawberry_django.type(Membership, name="Member", description="A user's role in this tenant.")
class MemberType(TenantNode):
    min_role = Role.VIEWER

    role: RoleEnum = strawberry_django.field(description="Their role here.")
    created_at: strawberry.auto = strawberry_django.field(description="When they joined.")
    user: UserType = strawberry_django.field(description="Their account.")

    @classmethod
    def restrict(cls, queryset, request):
        # Memberships live in `public`: only this tenant's are ever visible.
        return queryset.filter(tenant_id=request.tenant.pk)


@strawberry_django.type(
    ApiToken, name="ApiToken", description="A bearer token; its secret is shown only when created."
)
class ApiTokenType(TenantNode):
    min_role = Role.VIEWER

    name: str = strawberry_django.field(description="What it is for.")
    kind: TokenKindEnum = strawberry_django.field(description="A login session or an API token.")
    prefix: str
    created_at: strawberry.auto = strawberry_django.field(description="When it was issued.")
    expires_at: strawberry.auto = strawberry_django.field(
        description="When it stops working; null: never."
    )
    revoked_at: strawberry.auto = strawberry_django.field(
        description="When it was revoked; null: live."
    )
    last_used_at: strawberry.auto = strawberry_django.field(
        description="When it was last used (to the minute)."
    )
    user: UserType = strawberry_django.field(description="Whose token it is.")

    @classmethod
    def restrict(cls, queryset, request):
        queryset = queryset.filter(tenant_id=request.tenant.pk)
        membership = request.membership
        if membership is None or membership.role != Role.ADMIN:
            queryset = queryset.filter(user_id=request.user.pk)  # admins see every member's
        return queryset


@strawberry.type(name="Me", description="The caller, and their role on this host.")
class MeType:
    user: UserType = strawberry.field(description="Your account.")
    role: RoleEnum | None = strawberry.field(
        description="Role in this tenant; null on the platform host."
    )
    is_operator: bool = strawberry.field(description="True on the platform host for operators.")
