"""Nested lists of the emergency types: connections with `orderBy` (the list's own order, or
reversed). One parent's list per request is the use (a detail page); a list whose rows have
lists of their own (a plan's versions) prefetches those (`children`)."""

from collections.abc import Callable
from enum import Enum
from typing import Annotated, Any

import strawberry
import strawberry_django
from django.db.models import Prefetch
from strawberry.types import Info

from apps.core.graphql.pagination import BoundedConnection


@strawberry.enum(name="EmergencyListOrder", description="How a nested emergency list is sorted.")
class ListOrder(Enum):
    NATURAL = strawberry.enum_value(
        "natural",
        description="The list's own order: steps and tasks by position, timeline oldest first, "
        "versions, drills and activations newest first.",
    )
    REVERSE = strawberry.enum_value("reverse", description="The same, reversed.")


def _names(selections) -> set[str]:
    """Every field name selected under `selections` (fragments included)."""
    found: set[str] = set()
    for selection in selections or []:
        name = getattr(selection, "name", None)
        if name:
            found.add(name)
        found |= _names(getattr(selection, "selections", None))
    return found


def nested(
    node_type: Any,
    attr: str,
    description: str,
    children: dict[str, Callable[[], Prefetch]] | None = None,
) -> Any:
    """A connection over `self.<attr>` in its model's order (or reversed). `children`: the
    nested lists of each row (GraphQL name → its Prefetch), prefetched when the request
    selects them, so a page of rows costs one statement per list, not one per row."""

    def resolve(
        self,
        info: Info,
        order_by: Annotated[ListOrder, strawberry.argument(description="Sort order.")] = (
            ListOrder.NATURAL
        ),
    ) -> list[node_type]:
        rows = getattr(self, attr).all()
        if children:
            wanted = _names(info.selected_fields[0].selections)
            lists = [make() for name, make in children.items() if name in wanted]
            rows = rows.prefetch_related(*lists)
        return rows.reverse() if order_by == ListOrder.REVERSE else rows

    resolve.__name__ = attr
    return strawberry_django.connection(BoundedConnection[node_type], description=description)(
        resolve
    )
