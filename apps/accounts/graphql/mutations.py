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


@strawberry.input(description="Credentials to sign in with.")
class LoginInput:
    email: str = strawberry.field(description="Your e-mail.")
    password: str = strawberry.field(description="Your password.")


@strawberry.type(description="A signed-in session, or why not.")
class LoginPayload:
    errors: Errors = strawberry.field(
        description="Empty when it worked; otherwise nothing was changed."
    )
    token: str | None = strawberry.field(
        default=None, description="Send as 'Authorization: Bearer <token>'."
    )
    api_token: ApiTokenType | None = strawberry.field(
        default=None, description="The session's token record."
    )
    user: UserType | None = strawberry.field(default=None, description="Who signed in.")


@strawberry.type(description="Whether the session ended.")
class LogoutPayload:
    errors: Errors = strawberry.field(
        description="Empty when it worked; otherwise nothing was changed."
    )
    revoked: bool = strawberry.field(default=False, description="True when the token was revoked.")


@strawberry.input(description="A new API token for yourself.")
class ApiTokenCreateInput:
    name: str = strawberry.field(description="What it is for.")
    expires_at: datetime | None = strawberry.field(
        default=None, description="When it stops working; null: never."
    )


@strawberry.type(description="The new token (its secret is shown here only), or why not.")
class ApiTokenCreatePayload:
    errors: Errors = strawberry.field(
        description="Empty when it worked; otherwise nothing was changed."
    )
    api_token: ApiTokenType | None = strawberry.field(
        default=None, description="The token's record."
    )
    secret: str | None = strawberry.field(default=None, description="Shown once, never again.")


@strawberry.input(description="Revoke a token.")
class ApiTokenRevokeInput:
    id: relay.GlobalID = strawberry.field(description="The ApiToken.")


@strawberry.type(description="The revoked token, or why not.")
class ApiTokenRevokePayload:
    errors: Errors = strawberry.field(
        description="Empty when it worked; otherwise nothing was changed."
    )
    api_token: ApiTokenType | None = strawberry.field(
        default=None, description="The token, now revoked."
    )


@strawberry.input(description="Invite someone by e-mail.")
class MemberInviteInput:
    email: str = strawberry.field(description="Their e-mail.")
    role: RoleEnum = strawberry.field(description="Their role here.")
    full_name: str = strawberry.field(default="", description="Their name, for a new account.")


@strawberry.type(description="The invited member, or why not.")
class MemberInvitePayload:
    errors: Errors = strawberry.field(
        description="Empty when it worked; otherwise nothing was changed."
    )
    member: MemberType | None = strawberry.field(default=None, description="The new membership.")
    invite_code: str | None = strawberry.field(
        default=None, description="For a new user: pass it to inviteAccept to set a password."
    )


@strawberry.input(description="Change a member's role.")
class MemberRoleChangeInput:
    id: relay.GlobalID = strawberry.field(description="The Member.")
    role: RoleEnum = strawberry.field(description="The new role.")


@strawberry.type(description="The member as changed, or why not.")
class MemberPayload:
    errors: Errors = strawberry.field(
        description="Empty when it worked; otherwise nothing was changed."
    )
    member: MemberType | None = strawberry.field(default=None, description="The membership.")


@strawberry.input(description="Remove a member from this tenant.")
class MemberRemoveInput:
    id: relay.GlobalID = strawberry.field(description="The Member.")


@strawberry.type(description="The removed membership's id, or why not.")
class MemberRemovePayload:
    errors: Errors = strawberry.field(
        description="Empty when it worked; otherwise nothing was changed."
    )
    removed_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The Member id that was removed."
    )


@strawberry.input(description="Accept an invitation.")
class InviteAcceptInput:
    invite_code: str = strawberry.field(description="The code from the invitation.")
    password: str = strawberry.field(description="The password to set.")


@strawberry.type(description="The new account, or why not.")
class InviteAcceptPayload:
    errors: Errors = strawberry.field(
        description="Empty when it worked; otherwise nothing was changed."
    )
    user: UserType | None = strawberry.field(
        default=None, description="The account created or joined."
    )


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
