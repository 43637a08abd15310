"""`orderBy: [XOrder!]` on connections: a list of `{field, direction}`, later keys breaking ties.

Root connections take `order_by` as a resolver argument and call `apply_order`. Nested
connections (`Indicator.rules`) have no resolver of ours — the optimizer prefetches them for the
whole page in one window query — so `ordered_connection(...)` makes a field that adds the
argument and orders the queryset the optimizer (or a lone parent) builds:

    rules: BoundedConnection[RuleType] = ordered_connection(RuleOrder, default=("kind",))

Every order ends with the primary key, so pages are stable whatever the keys.
"""

from collections.abc import Mapping, Sequence
from enum import Enum
from typing import Any, Protocol

import strawberry
import strawberry_django
from django.db.models import F, QuerySet
from strawberry.annotation import StrawberryAnnotation
from strawberry.types.arguments import StrawberryArgument
from strawberry_django.fields.field import StrawberryDjangoField
from strawberry_django.queryset import get_queryset_config

ORDER_BY_DESCRIPTION = "Sort keys, in order (later keys break ties); null or empty: {default}."


@strawberry.enum(name="OrderDirection", description="Which end of a sort comes first.")
class OrderDirection(Enum):
    ASC = strawberry.enum_value("asc", description="Smallest, earliest or A first.")
    DESC = strawberry.enum_value("desc", description="Largest, latest or Z first.")


class OrderKey(Protocol):
    """What an `XOrder` input is at run time, for the type checker (the input classes are
    built by order_input, so a module declares `XOrder = OrderKey` under TYPE_CHECKING)."""

    field: Any  # the list's XOrderField member
    direction: OrderDirection


def order_input(name: str, fields: type[Enum], *, description: str) -> type:
    """The `<name>` input: `{field: <fields>!, direction: OrderDirection = ASC}`.

    The direction defaults to ASC on every order input (one rule a client can rely on); a
    list whose natural order is newest first says so as its default order, used when
    `orderBy` is null or empty (`jobs`, `auditEntries`, `warningSignals`)."""
    namespace = {
        "__annotations__": {"field": fields, "direction": OrderDirection},
        "field": strawberry.field(description="What to sort by."),
        "direction": strawberry.field(
            default=OrderDirection.ASC, description="Which end first; default ASC."
        ),
    }
    cls = type(name, (), namespace)
    return strawberry.input(cls, name=name, description=description)


def order_keys(order_by: Sequence[Any] | None, columns: Mapping[str, Sequence[str]] | None):
    """Django order expressions for `order_by` (nulls last either way)."""
    keys = []
    for order in order_by or []:
        value = order.field.value
        for column in (columns or {}).get(value, (value,)):
            expression = F(column)
            keys.append(
                expression.desc(nulls_last=True)
                if order.direction == OrderDirection.DESC
                else expression.asc(nulls_last=True)
            )
    return keys


def apply_order(
    queryset: QuerySet,
    order_by: Sequence[Any] | None,
    *,
    default: Sequence[Any],
    columns: Mapping[str, Sequence[str]] | None = None,
) -> QuerySet:
    """`queryset` sorted by `order_by` (or `default`, Django order_by terms), then its key."""
    keys = order_keys(order_by, columns) or list(default)
    return queryset.order_by(*keys, "pk")


class OrderedConnectionField(StrawberryDjangoField):
    """A nested connection with an `orderBy` argument (see the module docstring)."""

    order_type: type
    default_order: Sequence[Any] = ()
    order_columns: Mapping[str, Sequence[str]] | None = None
    default_text: str = "the default order"

    @property
    def arguments(self) -> list[StrawberryArgument]:
        arguments = super().arguments
        if self.base_resolver is None and not any(a.python_name == "order_by" for a in arguments):
            arguments = [
                *arguments,
                StrawberryArgument(
                    python_name="order_by",
                    graphql_name=None,
                    type_annotation=StrawberryAnnotation(list[self.order_type] | None),  # type: ignore[name-defined]
                    default=None,
                    description=ORDER_BY_DESCRIPTION.format(default=self.default_text),
                ),
            ]
        return arguments

    @arguments.setter
    def arguments(self, value: list[StrawberryArgument]) -> None:
        args_prop = super(OrderedConnectionField, self.__class__).arguments
        args_prop.fset(self, value)  # type: ignore[attr-defined]

    def get_queryset(self, queryset, info, *, order_by=None, **kwargs):
        if (
            get_queryset_config(queryset).optimized_by_prefetching
            or queryset._result_cache is not None
        ):
            return queryset  # prefetched for the whole page (ordered then): do not query again
        queryset = super().get_queryset(queryset, info, **kwargs)
        return apply_order(
            queryset, order_by, default=self.default_order, columns=self.order_columns
        )


def ordered_connection(
    order_type: type,
    *,
    default: Sequence[Any],
    default_text: str,
    columns: Mapping[str, Sequence[str]] | None = None,
    **kwargs: Any,
) -> Any:
    """A nested connection field ordered by `orderBy: [order_type!]`.

    No filtering here: the optimizer prefetches one relation once per page, so two fields over
    the same relation with different filters would share (and mix) their rows."""
    field_cls = type(
        f"{order_type.__name__}ConnectionField",
        (OrderedConnectionField,),
        {
            "order_type": order_type,
            "default_order": tuple(default),
            "order_columns": columns,
            "default_text": default_text,
        },
    )
    return strawberry_django.connection(field_cls=field_cls, **kwargs)
