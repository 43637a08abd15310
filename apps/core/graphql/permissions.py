"""Authorisation in one place: a permission class per role, and one for platform operators.

The request carries `membership` (this tenant's, set by MembershipMiddleware) or none; a
token or session of another tenant never yields a membership here.
"""

from typing import Any, ClassVar

from strawberry.permission import BasePermission
from strawberry.types import Info

from apps.accounts.roles import Role
from apps.core.graphql.errors import ApiError


def _require_user(info: Info) -> Any:
    request = info.context.request
    if not request.user.is_authenticated:
        raise ApiError(
            "Authentication required: send 'Authorization: Bearer <token>'.", "UNAUTHENTICATED"
        )
    return request


class _RolePermission(BasePermission):
    role: ClassVar[Role]
    error_extensions = {"code": "FORBIDDEN"}

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        request = _require_user(info)
        membership = getattr(request, "membership", None)
        return membership is not None and Role.rank(membership.role) >= Role.rank(self.role)


class IsViewer(_RolePermission):
    role = Role.VIEWER
    message = "You are not a member of this tenant."


class IsAnalyst(_RolePermission):
    role = Role.ANALYST
    message = "This needs the analyst role or higher."


class IsRiskManager(_RolePermission):
    role = Role.RISK_MANAGER
    message = "This needs the risk_manager role or higher."


class IsTenantAdmin(_RolePermission):
    role = Role.ADMIN
    message = "This needs the admin role."


class IsAuthenticated(BasePermission):
    """Any signed-in user on this host (used by `me`, `logout`)."""

    error_extensions = {"code": "UNAUTHENTICATED"}
    message = "Authentication required."

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        _require_user(info)
        return True


class IsOperator(BasePermission):
    """Platform operators: staff users, on the public host, with a platform token or session."""

    error_extensions = {"code": "FORBIDDEN"}
    message = "This needs a platform operator."

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        request = _require_user(info)
        return bool(request.user.is_staff and getattr(request, "on_public_host", False))
