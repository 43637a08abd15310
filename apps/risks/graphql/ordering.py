"""`orderBy: [XOrder!]` on the register's connections: a list of `{field, direction}`.

Root connections read `orderBy` in their resolver and pass it to a selector. Nested model
connections (`Risk.controls`, `Control.risks`, …) keep the optimizer's one-window-query prefetch:
`ordered_connection` makes a field whose `get_queryset` — which the optimizer calls when it
prefetches a page for every parent at once — sorts by the argument. The sort keys themselves
are built in `apps.risks.selectors.sort_keys` (no strawberry there).
"""

from enum import Enum
from typing import Any, ClassVar

import strawberry
import strawberry_django
from strawberry.annotation import StrawberryAnnotation
from strawberry.types.arguments import StrawberryArgument
from strawberry_django.fields.field import StrawberryDjangoField
from strawberry_django.optimizer import is_optimized_by_prefetching

from apps.core.graphql.queries import OrderDirection
from apps.risks.selectors import Order, sort_keys

ORDER_BY_DESCRIPTION = "Sort keys, the first one first; later keys break ties (the id last)."


def order_input(name: str, fields: type[Enum], what: str) -> type:
    """The `XOrder` input: `{field: XOrderField!, direction: OrderDirection = ASC}`."""

    @strawberry.input(name=name, description=f"One sort key of {what}.")
    class OrderInput:
        field: fields = strawberry.field(description="What to sort by.")  # type: ignore[valid-type]
        direction: OrderDirection = strawberry.field(
            default=OrderDirection.ASC, description="ASC (the default) or DESC."
        )

    OrderInput.__name__ = name
    return OrderInput


def order_spec(order_by: list | None) -> Order:
    """[(field value, descending)] from the argument (empty: the connection's default)."""
    return [(o.field.value, o.direction == OrderDirection.DESC) for o in order_by or []]


class _OrderedField(StrawberryDjangoField):
    """A model connection field with an `orderBy` argument applied in `get_queryset`."""

    # Not `default` or `keys`: StrawberryField has attributes of those names.
    order_input_type: ClassVar[type]
    order_keys: ClassVar[dict[str, tuple[str, ...]]]
    order_default: ClassVar[Order]
    order_default_text: ClassVar[str]

    @property
    def arguments(self) -> list[StrawberryArgument]:
        arguments = super().arguments
        if self.base_resolver is None and all(a.python_name != "order_by" for a in arguments):
            arguments = [
                *arguments,
                StrawberryArgument(
                    python_name="order_by",
                    graphql_name=None,
                    type_annotation=StrawberryAnnotation(list[self.order_input_type] | None),  # type: ignore[name-defined]
                    default=None,
                    description=f"{ORDER_BY_DESCRIPTION} Null or empty: {self.order_default_text}.",
                ),
            ]
            self._cached_arguments = arguments
        return arguments

    @arguments.setter
    def arguments(self, value: list[StrawberryArgument]) -> None:
        StrawberryDjangoField.arguments.fset(self, value)  # type: ignore[attr-defined]

    def get_queryset(self, queryset, info, *, order_by=None, **kwargs):
        # A prefetched page was sorted when the optimizer fetched it (through this method);
        # sorting its queryset again would drop the fetched rows and query once per parent.
        prefetched = getattr(queryset, "_result_cache", None) is not None
        if not prefetched and not is_optimized_by_prefetching(queryset):
            queryset = queryset.order_by(
                *sort_keys(order_spec(order_by) or self.order_default, self.order_keys)
            )
        return super().get_queryset(queryset, info, **kwargs)


def ordered_connection(
    order_input_type: type,
    keys: dict[str, tuple[str, ...]],
    default: Order,
    default_text: str,
    *,
    description: str,
    **kwargs: Any,
) -> Any:
    """`strawberry_django.connection()` with `orderBy` (keys: field value → model fields)."""
    field_cls = type(
        f"Ordered{order_input_type.__name__}Field",
        (_OrderedField,),
        {
            "order_input_type": order_input_type,
            "order_keys": keys,
            "order_default": default,
            "order_default_text": default_text,
        },
    )
    return strawberry_django.connection(field_cls=field_cls, description=description, **kwargs)
