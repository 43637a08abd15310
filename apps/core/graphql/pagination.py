"""Bounded Relay connections: page arguments are checked before any SQL runs.

Strawberry's own checks raise plain ValueErrors (masked as "Unexpected error"); these are
typed, visible errors. Omitting `first` gives the maximum page, never every row (pitfall 6).
Cursors come from clients too: one that is not ours (bogus, negative, or an offset too large
for SQL's bigint) is BAD_PAGINATION here, not a traceback in the SQL layer.
"""

import base64
import binascii
from typing import Any

import strawberry
from django.conf import settings
from strawberry import relay
from strawberry.relay.types import PREFIX
from strawberry_django.relay import DjangoListConnection

from apps.core.graphql.errors import ApiError

_library_total_count = DjangoListConnection.total_count

# An offset past any real list (and far below bigint's 2**63): larger cursors are not ours.
MAX_CURSOR_OFFSET = 2**31 - 1


def _bad(name: str, message: str, **extensions: Any) -> ApiError:
    return ApiError(message, "BAD_PAGINATION", argument=name, **extensions)


def check_page_arguments(first: int | None, last: int | None) -> None:
    maximum = settings.GRAPHQL_PAGE_MAX
    for name, value in (("first", first), ("last", last)):
        if value is None:
            continue
        if value < 0:
            raise _bad(name, f"'{name}' must be zero or more.")
        if value > maximum:
            raise _bad(name, f"'{name}' may be at most {maximum}.", maximum=maximum)


def cursor_offset(name: str, cursor: str) -> int:
    """The offset a cursor of ours encodes (`arrayconnection:<n>`), or BAD_PAGINATION."""
    try:
        decoded = base64.b64decode(cursor.encode("ascii"), validate=True).decode("ascii")
        prefix, offset = decoded.split(":", 1)
        value = int(offset)
    except (UnicodeError, binascii.Error, ValueError):
        raise _bad(name, f"'{name}' is not a cursor of this list.") from None
    if prefix != PREFIX or not offset.isdigit() or value > MAX_CURSOR_OFFSET:
        raise _bad(name, f"'{name}' is not a cursor of this list.")
    return value


def check_cursors(before: str | None, after: str | None) -> None:
    for name, cursor in (("before", before), ("after", after)):
        if cursor:  # strawberry treats "" as no cursor
            cursor_offset(name, cursor)


# strawberry describes `last` with `after`'s text ("the items … that come after the specified
# cursor"); these are what the four page arguments of every connection mean here.
PAGE_ARGUMENTS = {
    "first": "The first n items (at most 100); omitted: the first 100.",
    "after": "Only items after this cursor (pageInfo.endCursor of the previous page).",
    "last": "The last n items (at most 100), counted back from `before` or from the end.",
    "before": "Only items before this cursor (pageInfo.startCursor of the next page).",
}


def describe_page_arguments(schema: Any) -> None:
    """Give the page arguments of every connection field of a built graphql-core schema their
    right description (the SDL export and introspection read these)."""
    from graphql import GraphQLInterfaceType, GraphQLObjectType, get_named_type

    for gql_type in schema.type_map.values():
        if not isinstance(gql_type, (GraphQLObjectType, GraphQLInterfaceType)):
            continue
        for field in gql_type.fields.values():
            named = get_named_type(field.type)
            if not {"edges", "pageInfo"} <= set(getattr(named, "fields", {}) or {}):
                continue
            for name, text in PAGE_ARGUMENTS.items():
                if name in field.args:
                    field.args[name].description = text


@strawberry.type(name="Connection", description="A page of a list, at most 100 items.")
class BoundedConnection(DjangoListConnection[relay.NodeType]):
    @strawberry.field(description="How many items the whole list holds, on every page.")
    def total_count(self) -> int:
        # strawberry-django declares `Int` (null for an unsized iterable); every list here is a
        # QuerySet or a list, so the count is always known: `Int!` in the schema.
        count = _library_total_count(self)
        if count is None:
            raise TypeError("A connection's nodes must be a QuerySet or a list.")
        return count

    @classmethod
    def resolve_connection(
        cls,
        nodes: Any,
        *,
        info: Any,
        before: str | None = None,
        after: str | None = None,
        first: int | None = None,
        last: int | None = None,
        **kwargs: Any,
    ) -> Any:
        check_page_arguments(first, last)
        check_cursors(before, after)
        return super().resolve_connection(
            nodes, info=info, before=before, after=after, first=first, last=last, **kwargs
        )
