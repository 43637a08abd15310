"""Bounded Relay connections: page arguments are checked before any SQL runs.

Strawberry's own checks raise plain ValueErrors (masked as "Unexpected error"); these are
typed, visible errors. Omitting `first` gives the maximum page, never every row (pitfall 6).
"""

from typing import Any

import strawberry
from django.conf import settings
from strawberry import relay
from strawberry_django.relay import DjangoListConnection

from apps.core.graphql.errors import ApiError


def check_page_arguments(first: int | None, last: int | None) -> None:
    maximum = settings.GRAPHQL_PAGE_MAX
    for name, value in (("first", first), ("last", last)):
        if value is None:
            continue
        if value < 0:
            raise ApiError(f"'{name}' must be zero or more.", "BAD_PAGINATION", argument=name)
        if value > maximum:
            raise ApiError(
                f"'{name}' may be at most {maximum}.",
                "BAD_PAGINATION",
                argument=name,
                maximum=maximum,
            )


@strawberry.type(name="Connection", description="A page of a list, at most 100 items.")
class BoundedConnection(DjangoListConnection[relay.NodeType]):
    @classmethod
    def resolve_connection(
        cls,
        nodes: Any,
        *,
        info: Any,
        first: int | None = None,
        last: int | None = None,
        **kwargs: Any,
    ) -> Any:
        check_page_arguments(first, last)
        return super().resolve_connection(nodes, info=info, first=first, last=last, **kwargs)
