"""Nested lists of the emergency types: connections with `orderBy` (the list's own order, or
reversed). One parent's list per request is the use (a detail page), so no prefetch here."""

from enum import Enum
from typing import Annotated, Any

import strawberry
import strawberry_django

from apps.core.graphql.pagination import BoundedConnection


@strawberry.enum(name="EmergencyListOrder", description="How a nested emergency list is sorted.")
class ListOrder(Enum):
    NATURAL = strawberry.enum_value(
        "natural",
        description="The list's own order: steps and tasks by position, timeline oldest first, "
        "versions, drills and activations newest first.",
    )
    REVERSE = strawberry.enum_value("reverse", description="The same, reversed.")


def nested(node_type: Any, attr: str, description: str) -> Any:
    """A connection over `self.<attr>` in its model's order (or reversed)."""

    def resolve(
        self,
        order_by: Annotated[ListOrder, strawberry.argument(description="Sort order.")] = (
            ListOrder.NATURAL
        ),
    ) -> list[node_type]:
        rows = getattr(self, attr).all()
        return rows.reverse() if order_by == ListOrder.REVERSE else rows

    resolve.__name__ = attr
    return strawberry_django.connection(BoundedConnection[node_type], description=description)(
        resolve
    )
