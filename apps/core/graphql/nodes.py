"""The base of every tenant Node type: authorisation on the type, not only on root fields.

`node(id:)`, nested fields and connections all fetch rows through the type's `get_queryset`
(strawberry-django calls it for lists, for `node`, and — because a type that has one is fetched
with a Prefetch — for to-one relations too). So a type declares, once:

    class WebhookType(TenantNode):
        min_role = Role.ADMIN                   # who may read it at all

        @classmethod
        def restrict(cls, queryset, request):   # optional row rule
            return queryset.filter(...)

Every member is at least a viewer and every tenant root field already requires membership, so a
viewer-level type without a row rule gets no `get_queryset` at all: it keeps its select_related
joins (a get_queryset would turn every foreign key to it into an extra query).
"""

from typing import Any, ClassVar

from strawberry import relay
from strawberry.types import Info

from apps.accounts.roles import Role

_UNSET: Any = object()


def member_rank(request: Any) -> int:
    """The rank of the caller's role in this tenant, or -1 for a non-member."""
    membership = getattr(request, "membership", None)
    return -1 if membership is None else Role.rank(membership.role)


class TenantNode(relay.Node):
    """Base of every Node type of the tenant schema (see the module docstring)."""

    min_role: ClassVar[Role] = _UNSET

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        needs_guard = cls.min_role is not _UNSET and (
            cls.min_role != Role.VIEWER or "restrict" in cls.__dict__
        )
        if needs_guard and "get_queryset" not in cls.__dict__:
            # set on the class strawberry-django will read; TenantNode itself declares none
            cls.get_queryset = classmethod(_guarded_queryset)  # type: ignore[attr-defined]

    @classmethod
    def restrict(cls, queryset: Any, request: Any) -> Any:
        """Row rules of the type, for callers who have its role. Default: every row."""
        return queryset


def _guarded_queryset(cls: type[TenantNode], queryset: Any, info: Info, **kwargs: Any) -> Any:
    request = info.context.request
    if member_rank(request) < Role.rank(cls.min_role):
        return queryset.none()
    return cls.restrict(queryset, request)


def tenant_node_types(schema: Any) -> dict[str, type]:
    """Every Node type the schema exposes, by GraphQL name (for the contract tests)."""
    found = {}
    for name, gql_type in schema._schema.type_map.items():
        definition = (getattr(gql_type, "extensions", None) or {}).get("strawberry-definition")
        if definition is None or getattr(definition, "is_interface", False):
            continue  # `Node` itself
        origin = getattr(definition, "origin", None)  # a union (JobResult) has none
        if isinstance(origin, type) and issubclass(origin, relay.Node):
            found[name] = origin
    return found
