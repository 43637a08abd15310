"""The steps of a compiled plan (apps/core/graphql/plan.py): what one response key does."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLNonNull, GraphQLObjectType

DELEGATE, LEAF, OBJECT, LIST, NODE_ID, RESOLVER, CONNECTION = 0, 1, 2, 3, 4, 5, 6
DEFINITION = "strawberry-definition"  # strawberry's back-reference on graphql-core objects


_STRAWBERRY_DJANGO_IS_TYPE_OF = "_process_type.<locals>.is_type_of"


def _strawberry_is_type_of(function: Any) -> bool:
    """An `is_type_of` that ignores `info` (so a plan may call it with None): strawberry's
    generated one, or strawberry-django's classmethod when every class of the type's MRO
    that defines `is_type_of` defines that one (a type cast or an isinstance check)."""
    if getattr(function, "__qualname__", "").endswith("_get_is_type_of.<locals>.is_type_of"):
        return True
    owner = getattr(function, "__self__", None)
    if not isinstance(owner, type):
        return False
    for cls in owner.__mro__:
        own = cls.__dict__.get("is_type_of")
        if own is not None and (
            getattr(getattr(own, "__func__", own), "__qualname__", None)
            != _STRAWBERRY_DJANGO_IS_TYPE_OF
        ):
            return False
    return True


class Step:
    """How one response key of a selection set is completed."""

    __slots__ = (
        "attribute",
        "field_def",
        "is_type_of",
        "item_non_null",
        "item_type",
        "key",
        "kind",
        "label",
        "connection",
        "leaf_type",
        "function",
        "non_null",
        "object_type",
        "to_one",
    )

    def __init__(self, key: str, kind: int, field_def: Any = None) -> None:
        self.key = key
        self.kind = kind
        self.field_def = field_def
        self.attribute: str | None = None
        self.to_one: str | None = None
        self.leaf_type: Any = None
        self.object_type: Any = None
        self.item_type: Any = None
        self.item_non_null = False
        self.non_null = False
        self.is_type_of: Any = None
        self.label = ""  # "Type.field", as complete_value names a field
        self.connection: Any = None  # CONNECTION: the page's fixed parts (plan_connections)
        self.function: Any = None  # RESOLVER: the resolver's own function, called with the row


def _unwrap(gql_type: Any) -> tuple[Any, bool]:
    if isinstance(gql_type, GraphQLNonNull):
        return gql_type.of_type, True
    return gql_type, False


def _object_target(gql_type: Any) -> tuple[Any, Any] | None:
    """(object type, is_type_of) when values of `gql_type` can be completed by a plan."""
    if not isinstance(gql_type, GraphQLObjectType):
        return None  # interfaces and unions resolve their runtime type: execute_field
    check = gql_type.is_type_of
    if check is not None and not _strawberry_is_type_of(check):
        return None  # a type's own is_type_of may read info: execute_field
    return gql_type, check
