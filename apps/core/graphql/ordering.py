"""`orderBy: [XOrder!]` on connections: a list of `{field, direction}`, later keys breaking ties.

Root connections take `order_by` as a resolver argument and call `apply_order`. Nested
connections (`Indicator.rules`) have no resolver of ours — the optimizer prefetches them for the
whole page in one window query — so `ordered_connection(...)` makes a field that adds the
argument and orders the queryset the optimizer (or a lone parent) builds:

    rules: BoundedConnection[RuleType] = ordered_connection(RuleOrder, default=("kind",))

Every order ends with the primary key, so pages are stable whatever the keys.

`totalCount` of a nested connection: with `edges` (or `pageInfo`) selected, the optimizer's
window prefetch carries the count on every row (no statement of its own). Selected alone, the
optimizer fetches nothing, so each parent would run its own COUNT; instead the field adds a
correlated `(SELECT COUNT(*) …)` to the statement that fetches the parents (the root list's or
the prefetch of a page of parents), over the same rows the list would show (the node type's
`get_queryset`, the related model's default manager), and the field answers from it — no
statement per parent, whatever the page size.
"""

from collections.abc import Mapping, Sequence
from enum import Enum
from typing import Any, Protocol

import strawberry
import strawberry_django
from django.db.models import (
    F,
    IntegerField,
    ManyToManyField,
    ManyToManyRel,
    ManyToOneRel,
    OuterRef,
    QuerySet,
    Subquery,
)
from strawberry.annotation import StrawberryAnnotation
from strawberry.relay.utils import should_resolve_list_connection_edges
from strawberry.types.arguments import StrawberryArgument
from strawberry.types.nodes import InlineFragment
from strawberry_django.fields.field import StrawberryDjangoField
from strawberry_django.optimizer import OptimizerStore
from strawberry_django.queryset import get_queryset_config, run_type_get_queryset
from strawberry_django.utils.typing import get_django_definition

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


class _RowCount(Subquery):
    """`(SELECT COUNT(*) FROM (<rows>) …)`: how many rows a correlated queryset holds (as
    `QuerySet.count()` counts them, DISTINCT included); 0 for an empty `.none()`."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) fk_counted)"
    output_field = IntegerField()
    empty_result_set_value = 0


class _CountedRows:
    """A relation's rows when only their number is asked: a sized, empty sequence (the
    connection answers `totalCount` from its length and builds no edges)."""

    def __init__(self, total: int) -> None:
        self.total = total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index: Any) -> list:
        return []

    def __iter__(self) -> Any:
        return iter(())


def count_label(field: Any) -> str:
    """The annotation on a parent row carrying the count of `field`'s relation."""
    return f"_fk_total_{field.python_name}"


def selects_total_count_only(info: Any) -> bool:
    """True when the field's selection asks `totalCount` and neither `edges` nor `pageInfo`."""
    if should_resolve_list_connection_edges(info):
        return False
    stack = [selection for field in info.selected_fields for selection in field.selections]
    while stack:
        selection = stack.pop()
        if not isinstance(selection, InlineFragment) and selection.name == "totalCount":
            return True
        stack.extend(getattr(selection, "selections", None) or [])
    return False


def total_count_expression(field: Any, info: Any) -> Any:
    """The correlated count of `field`'s rows for each parent row (OuterRef "pk"), over the
    rows the field would list (the related model's default manager, the node type's
    `get_queryset`); None for a relation this does not know (the field then counts itself)."""
    parent = get_django_definition(field.origin)
    if parent is None or field.django_model is None:
        return None
    relation = parent.model._meta.get_field(field.django_name or field.python_name)
    if isinstance(relation, ManyToManyField):
        lookup = relation.related_query_name()
    elif isinstance(relation, (ManyToOneRel, ManyToManyRel)):
        lookup = relation.field.name
    else:
        return None
    rows = field.django_model._default_manager.all()
    if field.django_type is not None:
        rows = run_type_get_queryset(rows, field.django_type, info)
    return _RowCount(rows.filter(**{lookup: OuterRef("pk")}).order_by().values("pk"))


class _CountingStore(OptimizerStore):
    """The field's optimizer hints, plus — when only `totalCount` is selected — the count
    annotation on the parents' statement (see the module docstring). Always truthy, so the
    optimizer asks it for every selection of the field."""

    def __bool__(self) -> bool:
        return True

    def with_resolved_callables(self, info: Any) -> OptimizerStore:
        resolved = super().with_resolved_callables(info)
        store = OptimizerStore(
            only=resolved.only[:],
            select_related=resolved.select_related[:],
            prefetch_related=resolved.prefetch_related[:],
            annotate=dict(resolved.annotate),
        )
        field = info._field
        if selects_total_count_only(info):
            expression = total_count_expression(field, info)
            if expression is not None:
                store.annotate[count_label(field)] = expression
        return store

    def with_prefix(self, prefix: str, *, info: Any) -> OptimizerStore:
        # A prefix (a parent reached through model inheritance) would need the count against
        # that parent's key: none here, the field counts itself.
        return OptimizerStore.with_prefix(
            OptimizerStore(**{k: getattr(self, k) for k in _STORE_PARTS}), prefix, info=info
        )


_STORE_PARTS = ("only", "select_related", "prefetch_related", "annotate")


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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.store = _CountingStore(**{k: getattr(self.store, k) for k in _STORE_PARTS})

    def get_result(self, source: Any, info: Any, args: list[Any], kwargs: dict[str, Any]) -> Any:
        if source is not None and info is not None:
            total = source.__dict__.get(count_label(self))
            if total is not None and not should_resolve_list_connection_edges(info):
                return _CountedRows(total)  # counted with the parents (see the docstring)
        return super().get_result(source, info, args, kwargs)

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
