from datetime import datetime
from typing import Annotated

import strawberry
from django.contrib.auth import logout as session_logout
from strawberry import relay
from strawberry.types import Info

from apps.accounts import services
from apps.accounts.graphql.errors import AccountError, AccountErrorCode
from apps.accounts.graphql.types import ApiTokenType, MemberType, RoleEnum, UserType
from apps.accounts.models import ApiToken, Membership
from apps.accounts.roles import Role
from apps.core.graphql.ids import decode_pk
from apps.core.graphql.permissions import IsAuthenticated, IsTenantAdmin, IsViewer
from apps.core.graphql.resolvers import run_service

Errors = list[AccountError]  # type: ignore[valid-type]


@strawberry.input
class LoginInput:
    email: str
    password: str


@strawberry.type
class LoginPayload:
    errors: Errors
    token: str | None = strawberry.field(
        default=None, description="Send as 'Authorization: Bearer <token>'."
    )
    api_token: ApiTokenType | None = None
    user: UserType | None = None


@strawberry.type
class LogoutPayload:
    errors: Errors
    revoked: bool = False


@strawberry.input
class ApiTokenCreateInput:
    name: str
    expires_at: datetime | None = None


@strawberry.type
class ApiTokenCreatePayload:
    errors: Errors
    api_token: ApiTokenType | None = None
    secret: str | None = strawberry.field(default=None, description="Shown once, never again.")


@strawberry.input
class ApiTokenRevokeInput:
    id: relay.GlobalID


@strawberry.type
class ApiTokenRevokePayload:
    errors: Errors
    api_token: ApiTokenType | None = None


@strawberry.input
class MemberInviteInput:
    email: str
    role: RoleEnum
    full_name: str = ""


@strawberry.type
class MemberInvitePayload:
    errors: Errors
    member: MemberType | None = None
    invite_code: str | None = strawberry.field(
        default=None, description="For a new user: pass it to inviteAccept to set a password."
    )


@strawberry.input
class MemberRoleChangeInput:
    id: relay.GlobalID
    role: RoleEnum


@strawberry.type
class MemberPayload:
    errors: Errors
    member: MemberType | None = None


@strawberry.input
class MemberRemoveInput:
    id: relay.GlobalID


@strawberry.type
class MemberRemovePayload:
    errors: Errors
    removed_id: relay.GlobalID | None = None


@strawberry.input
class InviteAcceptInput:
    invite_code: str
    password: str


@strawberry.type
class InviteAcceptPayload:
    errors: Errors
    user: UserType | None = None


def _run(payload, call, atomic: bool = True, *, input=None):
    return run_service(payload, AccountError, AccountErrorCode, call, atomic=atomic, input=input)


@strawberry.type
class LoginMutation:
    @strawberry.mutation(
        description="Sign in with e-mail and password; returns a bearer token "
        "valid on this host only."
    )
    def login(
        self,
        info: Info,
        input: Annotated[LoginInput, strawberry.argument(description="Your e-mail and password.")],
    ) -> LoginPayload:
        request = info.context.request

        def call() -> dict:
            issued = services.login(request=request, email=input.email, password=input.password)
            return {"token": issued.secret, "api_token": issued.token, "user": issued.token.user}

        return _run(LoginPayload, call, atomic=False, input=input)

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Revoke the token of this request (and end a session).",
    )
    def logout(self, info: Info) -> LogoutPayload:
        request = info.context.request
        token = request.api_token
        if token is not None and token.revoked_at is None:
            services.token_revoke_own(token=token)
        if request.session.session_key:
            session_logout(request)
        return LogoutPayload(errors=[], revoked=token is not None)

    @strawberry.mutation(description="Set the password of an invited user.")
    def invite_accept(
        self,
        input: Annotated[
            InviteAcceptInput,
            strawberry.argument(description="The invite code and your new password."),
        ],
    ) -> InviteAcceptPayload:
        return _run(
            InviteAcceptPayload,
            lambda: {
                "user": services.invite_accept(
                    invite_code=input.invite_code, password=input.password
                )
            },
            input=input,
        )


@strawberry.type
class AccountsMutation(LoginMutation):
    @strawberry.mutation(
        permission_classes=[IsViewer],
        description="Create an API token for yourself on this tenant.",
    )
    def api_token_create(
        self,
        info: Info,
        input: Annotated[
            ApiTokenCreateInput, strawberry.argument(description="The token's name and lifetime.")
        ],
    ) -> ApiTokenCreatePayload:
        request = info.context.request

        def call() -> dict:
            issued = services.token_issue(
                user=request.user,
                tenant=request.tenant,
                name=input.name,
                expires_at=input.expires_at,
            )
            return {"api_token": issued.token, "secret": issued.secret}

        return _run(ApiTokenCreatePayload, call, input=input)

    @strawberry.mutation(
        permission_classes=[IsViewer],
        description="Revoke one of your tokens (an admin: any token here).",
    )
    def api_token_revoke(
        self,
        info: Info,
        input: Annotated[
            ApiTokenRevokeInput, strawberry.argument(description="The token to revoke.")
        ],
    ) -> ApiTokenRevokePayload:
        request = info.context.request
        return _run(
            ApiTokenRevokePayload,
            lambda: {
                "api_token": services.token_revoke(
                    actor=request.user,
                    tenant=request.tenant,
                    token_id=decode_pk(input.id, "ApiToken", ApiToken),
                    actor_is_admin=request.membership.role == Role.ADMIN,
                )
            },
            input=input,
        )

    @strawberry.mutation(
        permission_classes=[IsTenantAdmin],
        description="Add a user to this tenant (created and invited if new).",
    )
    def member_invite(
        self,
        info: Info,
        input: Annotated[
            MemberInviteInput, strawberry.argument(description="Whom to invite, with which role.")
        ],
    ) -> MemberInvitePayload:
        request = info.context.request

        def call() -> dict:
            invitation = services.member_invite(
                tenant=request.tenant,
                email=input.email,
                role=input.role.value,
                full_name=input.full_name,
            )
            return {"member": invitation.membership, "invite_code": invitation.invite_code}

        return _run(MemberInvitePayload, call, input=input)

    @strawberry.mutation(permission_classes=[IsTenantAdmin])
    def member_role_change(
        self,
        info: Info,
        input: Annotated[
            MemberRoleChangeInput, strawberry.argument(description="The member and the new role.")
        ],
    ) -> MemberPayload:
        tenant = info.context.request.tenant
        return _run(
            MemberPayload,
            lambda: {
                "member": services.member_change_role(
                    tenant=tenant,
                    membership_id=decode_pk(input.id, "Member", Membership),
                    role=input.role.value,
                )
            },
            input=input,
        )

    @strawberry.mutation(
        permission_classes=[IsTenantAdmin],
        description="Remove a member; their tokens here are revoked.",
    )
    def member_remove(
        self,
        info: Info,
        input: Annotated[
            MemberRemoveInput, strawberry.argument(description="The member to remove.")
        ],
    ) -> MemberRemovePayload:
        tenant = info.context.request.tenant

        def call() -> dict:
            services.member_remove(
                tenant=tenant, membership_id=decode_pk(input.id, "Member", Membership)
            )
            return {"removed_id": input.id}

        return _run(MemberRemovePayload, call, input=input)
