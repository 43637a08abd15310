"""Nested connections of prefetched rows in a compiled plan (apps/core/graphql/plan.py).

`controls(first: 5)` on each of 100 risks costs most of a list page when each goes through
strawberry: an Info, argument conversion, the connection extension, `BoundedConnection` →
`DjangoListConnection` → `ListConnection.resolve_connection` (the selected-fields walk, the
slice, an `Edge` with a cursor per row, the `PageInfo`). When the optimizer prefetched the
rows for the whole page, a CONNECTION step builds the very same connection object from them:

- the field is a strawberry-django connection whose only extension is the connection's, over
  a prefetched relation (execution.install gave it `prefetched_get_result`), its connection
  class `BoundedConnection[...]` with the library's `resolve_connection`, `resolve_node` and
  `Edge.resolve_edge` (anything overridden: execute_field);
- the request gives no argument but `first` (a valid one: `check_page_arguments`; the others
  at their null defaults), so the
  slice is `[0:first + 1]` with the overfetched row telling `hasNextPage`; `last`, `before`,
  `after`, `orderBy` or filters: execute_field;
- the rows are in the parent's prefetch cache, fetched through the type's `get_queryset`, and
  not paginated by the optimizer's window (`optimized_by_prefetching`: strawberry-django's
  own path), and no `totalCount` under an optimized queryset (it would annotate a count).

The selection checks strawberry makes per connection (`edges`/`pageInfo` selected,
`totalCount` selected) are made once per request on the same nodes, the same way.
"""

from __future__ import annotations

from typing import Any

from graphql import FieldNode, FragmentSpreadNode, InlineFragmentNode
from graphql.execution.values import get_argument_values
from strawberry import relay
from strawberry_django.fields.field import (
    StrawberryDjangoConnectionExtension,
    StrawberryDjangoField,
)
from strawberry_django.queryset import get_queryset_config
from strawberry_django.relay.list_connection import DjangoListConnection

from apps.core.graphql.pagination import BoundedConnection, check_page_arguments
from apps.core.graphql.plan_steps import (
    CONNECTION,
    DEFINITION,
    Step,
    _object_target,
    _unwrap,
)

MISSING = object()


def _library(cls: type, name: str, owner: type) -> bool:
    """`cls.name` is `owner`'s own (not overridden below it)."""
    return getattr(getattr(cls, name), "__func__", None) is owner.__dict__[name].__func__


def connection_step(step: Step, parent_type: Any, node: FieldNode) -> Step:
    from apps.core.graphql.execution import _relation_cache_name

    field = (step.field_def.extensions or {}).get(DEFINITION)
    if (
        not isinstance(field, StrawberryDjangoField)
        or not field.is_connection
        or not getattr(field, "_fengkong_prefetched", False)
        or len(field.extensions) != 1
        or not isinstance(field.extensions[0], StrawberryDjangoConnectionExtension)
        or any(a.name.value != "first" for a in node.arguments or ())
    ):
        return step
    origin = getattr((parent_type.extensions or {}).get(DEFINITION), "origin", None)
    model = getattr(getattr(origin, "__strawberry_django_definition__", None), "model", None)
    cache_name = _relation_cache_name(field, model)
    extension = field.extensions[0]
    connection_cls = extension.connection_type
    named, _ = _unwrap(step.field_def.type)
    target = _object_target(named)
    edges_type = getattr(named, "fields", {}).get("edges")
    edge_type = _unwrap(_unwrap(edges_type.type)[0].of_type)[0] if edges_type else None
    edge_cls = getattr(
        (getattr(edge_type, "extensions", None) or {}).get(DEFINITION), "origin", None
    )
    if (
        cache_name is None
        or target is None
        or not isinstance(connection_cls, type)
        or not issubclass(connection_cls, BoundedConnection)
        or not _library(connection_cls, "resolve_connection", BoundedConnection)
        or not _library(connection_cls, "resolve_node", relay.Connection)
        or not isinstance(edge_cls, type)
        or not _library(edge_cls, "resolve_edge", relay.Edge)
    ):
        return step
    guarded = getattr(field.django_type, "get_queryset", None) is not None
    step.kind = CONNECTION
    step.connection = (cache_name, guarded, connection_cls, edge_cls, extension.max_results)
    step.object_type, step.is_type_of = target
    return step


def _selects(executor: Any, field_nodes: list, names: frozenset[str]) -> bool:
    """strawberry's walk of `info.selected_fields` (should_resolve_list_connection_edges and
    strawberry-django's total-count check): a field or fragment spread of one of `names`
    anywhere below the field, inline fragments looked into but not named, no directive
    applied."""
    stack: list[Any] = []
    for node in field_nodes:
        stack.extend(node.selection_set.selections if node.selection_set else ())
    fragments = executor.fragment_definitions
    while stack:
        selection = stack.pop()
        if isinstance(selection, FragmentSpreadNode):
            if selection.name.value in names:
                return True
            fragment = fragments.get(selection.name.value)
            selection_set = fragment.selection_set if fragment is not None else None
        elif isinstance(selection, InlineFragmentNode):
            selection_set = selection.selection_set
        else:
            if selection.name.value in names:
                return True
            selection_set = selection.selection_set
        if selection_set is not None:
            stack.extend(selection_set.selections)
    return False


def _page(executor: Any, step: Step, fdl: list) -> tuple | None:
    """(first, edges selected, totalCount selected) of this field in this request, or None
    when the page arguments are not ones the plan serves (once per request and node)."""
    pages = executor._pages
    node = fdl[0].node
    found = pages.get(id(node), MISSING)
    if found is not MISSING:
        return found
    page = None
    try:
        args = get_argument_values(step.field_def, node, executor.variable_values)
        first = args.get("first")
        # Defaults (orderBy: null...) reach resolve_connection as keywords it passes on to
        # resolve_node, which ignores them; the rows are the prefetched ones either way.
        if all(value is None for name, value in args.items() if name != "first") and (
            first is None or type(first) is int
        ):
            check_page_arguments(first, None)
            nodes = [d.node for d in fdl]
            edges = _selects(executor, nodes, frozenset({"edges", "pageInfo"}))
            page = (first, edges, _selects(executor, nodes, frozenset({"totalCount"})))
    except Exception:  # noqa: BLE001 - refused arguments: execute_field reports them
        page = None
    pages[id(node)] = page
    return page


def resolve_connection(executor: Any, step: Step, source: Any, fdl: list) -> Any:
    """The connection object strawberry would build for `source`, or MISSING."""
    cache_name, guarded, connection_cls, edge_cls, max_results = step.connection
    cache = getattr(source, "_prefetched_objects_cache", None)
    rows = cache.get(cache_name) if cache else None
    if rows is None or rows._result_cache is None:
        return MISSING
    config = get_queryset_config(rows)
    if (guarded and not config.type_get_queryset_did_run) or config.optimized_by_prefetching:
        return MISSING
    page = _page(executor, step, fdl)
    if page is None:
        return MISSING
    first, edges_selected, total_selected = page
    if config.optimized and total_selected:
        return MISSING  # strawberry-django would annotate a window count
    # SliceMetadata.from_arguments with first only: [0, first) and one row more
    if max_results is None:
        max_results = executor.schema._strawberry_schema.config.relay_max_results
    if first is not None and first > max_results:
        return MISSING  # SliceMetadata refuses it: execute_field
    end = first if first is not None else max_results
    if not edges_selected:
        edges: list = []
        has_next = False
    else:
        edges = [
            edge_cls.resolve_edge(row, cursor=i)
            for i, row in enumerate(rows._result_cache[: end + 1])
        ]
        has_next = len(edges) == end + 1
        if has_next:
            edges = edges[:-1]
    connection = connection_cls(
        edges=edges,
        page_info=relay.PageInfo(
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
            has_previous_page=False,
            has_next_page=has_next,
        ),
    )
    connection.nodes = rows  # DjangoListConnection's, for totalCount
    return connection


assert issubclass(BoundedConnection, DjangoListConnection)  # what the steps above assume
