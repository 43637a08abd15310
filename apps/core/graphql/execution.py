"""Execution without per-field machinery a field does not need (issue 14, docs/decisions.md).

A 100-row list page resolves ~2,600 fields. strawberry and strawberry-django give every field
the same path: a middleware chain (a schema extension's `resolve` — the optimizer's — becomes
graphql-core middleware for *every* field), strawberry's resolver (an `Info`, argument
conversion, the field extensions) and strawberry-django's `get_result` (descriptor lookups,
then a related manager and the queryset hooks for relations). Most fields need none of it:

- **Middleware only where it can act.** The optimizer's `resolve` only touches a result that is
  a QuerySet or a manager, which only a list field returns: fields of any other type skip it
  (`FastExecutionContext`). Other middleware, if any is ever added, still wraps every field.
- **Plain columns read straight from the row.** A strawberry-django field with no resolver,
  argument or extension (permission classes are extensions) over a concrete column reads the
  row's loaded value; a value not loaded (deferred) takes strawberry's own path. strawberry's
  own "basic" fields (edges, node, page info, ratings: `getattr(source, name)`) likewise read
  the instance's value. A loaded, non-null leaf value is completed in one step (the leaf
  type's `coerce_output_value`, as graphql-core would).
- **To-one relations already fetched** (select_related or the optimizer's prefetch: Django's
  cache on the row) are returned from it, as strawberry-django would; an unfetched one takes
  its path (which applies the related type's `get_queryset`).
- **Nested lists and connections from the prefetch cache.** When the optimizer prefetched a
  relation for the whole page, the rows are in the parent's `_prefetched_objects_cache`
  (fetched through the field's and the type's `get_queryset`: authorised and ordered); they
  are handed to the connection as they are, without a related manager per parent, a queryset
  clone and the `get_queryset` hooks (which leave a fetched page unchanged: pinned by
  tests/core/test_fast_fields.py). Anything else (no cache, a cache of rows a type's
  `get_queryset` did not see) takes strawberry-django's path.

Permission classes, field extensions, typed errors, ordering and pagination are untouched:
a field with any of them keeps its full path, and connections still go through their
extension (page-argument checks, cursors, `totalCount`).
"""

import inspect
from collections.abc import Callable
from functools import partial, reduce
from typing import Any

from django.db.models.fields.related_descriptors import (
    ForwardManyToOneDescriptor,
    ForwardOneToOneDescriptor,
    ManyToManyDescriptor,
    ReverseManyToOneDescriptor,
)
from django.db.models.query_utils import DeferredAttribute
from graphql import (
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    Undefined,
    is_leaf_type,
)
from graphql.execution.middleware import MiddlewareManager
from strawberry.types.field import StrawberryField
from strawberry_django.fields.field import (
    StrawberryDjangoConnectionExtension,
    StrawberryDjangoField,
)
from strawberry_django.optimizer import DjangoOptimizerExtension
from strawberry_django.queryset import get_queryset_config

from apps.core.graphql import plan as _plan
from apps.core.graphql.limits import DeadlineExecutionContext

DEFINITION = "strawberry-definition"  # strawberry's back-reference on a graphql-core field

# Resolvers of the fields whose result no list-only middleware can act on, per built schema.
_PLAIN: dict[int, frozenset[Callable]] = {}


def _is_list_field(gql_type: Any) -> bool:
    if isinstance(gql_type, GraphQLNonNull):
        gql_type = gql_type.of_type
    return isinstance(gql_type, GraphQLList)


def _is_list_only(middleware: Callable) -> bool:
    """Middleware that acts only on list results (QuerySets, managers): the optimizer's."""
    return isinstance(getattr(middleware, "__self__", None), DjangoOptimizerExtension)


class FastMiddlewareManager(MiddlewareManager):
    """graphql-core's manager, minus list-only middleware on fields that are not lists."""

    __slots__ = ("_plain", "_plain_resolvers")

    def __init__(self, *middlewares: Any, plain: frozenset[Callable] = frozenset()) -> None:
        super().__init__(*middlewares)
        self._plain = plain
        self._plain_resolvers = [
            m for m in self._middleware_resolvers or () if not _is_list_only(m)
        ]

    def get_field_resolver(self, field_resolver: Callable) -> Callable:
        cached = self._cached_resolvers.get(field_resolver)
        if cached is None:
            chain = (
                self._plain_resolvers
                if field_resolver in self._plain
                else self._middleware_resolvers or []
            )
            cached = reduce(lambda inner, outer: partial(outer, inner), chain, field_resolver)
            self._cached_resolvers[field_resolver] = cached
        return cached


# The compiled steps of persisted documents' operations, by id of the operation's node (the
# registry keeps each document alive, so an id names one node): apps/core/graphql/persisted.py.
PLANS: dict[int, dict] = {}


class FastExecutionContext(_plan.PlanMixin, DeadlineExecutionContext):
    """The time-budgeted execution context with `FastMiddlewareManager`, and loaded columns
    completed in one step: a plain column whose value is loaded and not null is what
    graphql-core's `execute_field` would return — the leaf type's `coerce_output_value` of
    it — without a resolve info, a resolver call and the completion walk. Anything else (null,
    not loaded, a value the type refuses, a middleware to run) takes `execute_field`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        manager = self.middleware_manager
        if manager is not None and not isinstance(manager, FastMiddlewareManager):
            plain = _PLAIN.get(id(self.schema), frozenset())
            manager = FastMiddlewareManager(*manager.middlewares, plain=plain)
            self.middleware_manager = manager
        self.columns_in_one_step = manager is None or not manager._plain_resolvers
        # A persisted document's operation runs by its plan (apps/core/graphql/plan.py) when no
        # middleware but the list-only optimizer wraps fields (else a plan would skip one).
        self.plans = PLANS.get(id(self.operation)) if self.columns_in_one_step else None
        self._groups: dict[int, tuple] = {}
        self._pages: dict[int, tuple | None] = {}  # plan_connections: page arguments by node

    def execute_fields(self, parent_type, source_value, path, grouped_field_set, *args, **kwargs):
        if self.plans is None:
            return super().execute_fields(
                parent_type, source_value, path, grouped_field_set, *args, **kwargs
            )
        self.check_deadline()
        return self.execute_planned_fields(parent_type, source_value, path, grouped_field_set)

    def execute_field(self, parent_type, source, field_details_list, path, *args, **kwargs):
        if self.columns_in_one_step:
            field = parent_type.fields.get(field_details_list[0].node.name.value)
            column = getattr(field.resolve, "column", None) if field is not None else None
            if column is not None:
                attname, leaf_type = column
                value = getattr(source, "__dict__", _NO_DICT).get(attname)
                if value is not None:
                    try:
                        coerced = leaf_type.coerce_output_value(value)
                    except Exception:  # noqa: BLE001 - execute_field reports it, located
                        coerced = None
                    if coerced is not None and coerced is not Undefined:
                        return coerced
        return super().execute_field(parent_type, source, field_details_list, path, *args, **kwargs)


_NO_DICT: dict[str, Any] = {}


# --- plain columns ------------------------------------------------------------------------------
def column_attname(field: Any, model: type | None) -> str | None:
    """The row attribute a field reads when it is a plain column (else None): a strawberry-django
    field without resolver, argument or extension, over a concrete non-file, non-relation
    column of its type's model."""
    if not _is_simple(field, model) or field.is_relation:
        return None
    attribute = getattr(model, field.django_name or field.python_name, None)
    if type(attribute) is not DeferredAttribute:  # not a file, a property, a relation
        return None
    return attribute.field.attname


def basic_attribute(field: Any, origin: Any, schema: Any) -> str | None:
    """The attribute a strawberry "basic" field (no resolver, no extension: strawberry reads
    `getattr(source, name)`) reads, when the type declares no data descriptor of that name (a
    property would win over the instance's own value)."""
    if (
        not isinstance(field, StrawberryField)
        or isinstance(field, StrawberryDjangoField)
        or not field.is_basic_field
        or schema.config.default_resolver is not getattr
        or not isinstance(origin, type)
    ):
        return None
    declared = inspect.getattr_static(origin, field.python_name, None)
    if hasattr(type(declared), "__set__") or hasattr(type(declared), "__delete__"):
        return None
    return field.python_name


def _is_simple(field: Any, model: type | None) -> bool:
    """A strawberry-django field with no resolver, argument or extension of its own."""
    return (
        model is not None
        and isinstance(field, StrawberryDjangoField)
        and field.base_resolver is None
        and not field.extensions
        and not field.arguments
    )


def to_one_cache_name(field: Any, model: type | None) -> str | None:
    """Django's cache key of a forward to-one relation field (else None)."""
    if not _is_simple(field, model) or not field.is_relation:
        return None
    attribute = getattr(model, field.django_name or field.python_name, None)
    if type(attribute) not in (ForwardManyToOneDescriptor, ForwardOneToOneDescriptor):
        return None
    return attribute.field.cache_name  # type: ignore[union-attr]  # checked by type() above


def to_one_resolver(cache_name: str, fallback: Callable) -> Callable:
    """The related row when Django holds it (`field.get_cached_value`), else `fallback`."""

    def resolve(source: Any, info: Any, **kwargs: Any) -> Any:
        try:
            return source._state.fields_cache[cache_name]
        except (KeyError, AttributeError):
            return fallback(source, info, **kwargs)

    resolve.to_one = cache_name  # type: ignore[attr-defined]  # read by compiled plans
    return resolve


def column_resolver(attname: str, fallback: Callable, gql_type: Any = None) -> Callable:
    """Reads the loaded value (what strawberry-django's get_result returns for a loaded
    column); a deferred or missing one takes strawberry's resolver (`fallback`)."""

    def resolve(source: Any, info: Any, **kwargs: Any) -> Any:
        try:
            return source.__dict__[attname]
        except (KeyError, AttributeError):
            return fallback(source, info, **kwargs)

    resolve._is_default = True  # type: ignore[attr-defined]  # strawberry's marker
    resolve.attribute = attname  # type: ignore[attr-defined]  # read by compiled plans
    named = gql_type.of_type if isinstance(gql_type, GraphQLNonNull) else gql_type
    if is_leaf_type(named):  # FastExecutionContext completes it in one step
        resolve.column = (attname, named)  # type: ignore[attr-defined]
    return resolve


# --- nested lists and connections ---------------------------------------------------------------
def prefetch_cache_name(descriptor: Any) -> str | None:
    """The key of a to-many relation in `instance._prefetched_objects_cache` (Django's
    related managers compute the same name)."""
    if isinstance(descriptor, ManyToManyDescriptor):
        field = descriptor.field
        return field.related_query_name() if descriptor.reverse else field.name
    if isinstance(descriptor, ReverseManyToOneDescriptor):
        return descriptor.field.remote_field.cache_name
    return None


# strawberry-django gives a connection without a resolver this one (`getattr(root, name).all()`
# for a nested field): the same rows as no resolver. Pinned by tests/core/test_fast_fields.py.
CONNECTION_DEFAULT_RESOLVER = "StrawberryDjangoConnectionExtension.apply.<locals>.default_resolver"


def is_connection_default_resolver(field: Any) -> bool:
    function = getattr(field.base_resolver, "wrapped_func", None)
    return getattr(function, "__qualname__", None) == CONNECTION_DEFAULT_RESOLVER


def _relation_cache_name(field: Any, model: type | None) -> str | None:
    """The prefetch cache key a nested list or connection field may read its rows from, or
    None when the field needs its full path (a resolver, filters, ordering or pagination
    arguments of strawberry-django, or any extension but the connection's)."""
    if (
        model is None
        or not isinstance(field, StrawberryDjangoField)
        or not (field.base_resolver is None or is_connection_default_resolver(field))
        or not field.is_relation
        or field.is_paginated
        or not (field.is_connection or field.is_list)
        or field.filters  # UNSET or None when there are none
        or field.order
        or getattr(field, "ordering", None)
        or any(not isinstance(e, StrawberryDjangoConnectionExtension) for e in field.extensions)
    ):
        return None
    return prefetch_cache_name(getattr(model, field.django_name or field.python_name, None))


def prefetched_get_result(field: StrawberryDjangoField, cache_name: str) -> Callable:
    """`field.get_result` that hands over the prefetched rows of the relation when there are
    any the item type's `get_queryset` has seen (or the type has none)."""
    original = field.get_result
    connection = field.is_connection
    guarded = getattr(field.django_type, "get_queryset", None) is not None

    def get_result(source: Any, info: Any, args: list[Any], kwargs: dict[str, Any]) -> Any:
        cache = getattr(source, "_prefetched_objects_cache", None)
        if cache:
            rows = cache.get(cache_name)
            if rows is not None and rows._result_cache is not None:
                config = get_queryset_config(rows)
                if not guarded or config.type_get_queryset_did_run:
                    return rows if connection else rows._result_cache
        return original(source, info, args, kwargs)

    return get_result


def install(schema: Any) -> dict[str, int]:
    """Give every field of a built strawberry schema the fast paths it qualifies for; returns
    how many fields took each (printed by `bench.layers`, checked by the tests)."""
    core: GraphQLSchema = schema._schema
    counts = {"columns": 0, "basic": 0, "to_one": 0, "prefetched": 0, "plain": 0}
    plain: set[Callable] = set()
    for gql_type in core.type_map.values():
        if not isinstance(gql_type, GraphQLObjectType) or gql_type.name.startswith("__"):
            continue
        origin = getattr((gql_type.extensions or {}).get(DEFINITION), "origin", None)
        django_definition = getattr(origin, "__strawberry_django_definition__", None)
        model = getattr(django_definition, "model", None)
        for gql_field in gql_type.fields.values():
            field: Any = (gql_field.extensions or {}).get(DEFINITION)
            if (attname := column_attname(field, model)) and gql_field.resolve is not None:
                gql_field.resolve = column_resolver(attname, gql_field.resolve, gql_field.type)
                counts["columns"] += 1
            elif (name := basic_attribute(field, origin, schema)) and gql_field.resolve:
                gql_field.resolve = column_resolver(name, gql_field.resolve, gql_field.type)
                counts["basic"] += 1
            elif (cache_name := to_one_cache_name(field, model)) and gql_field.resolve:
                gql_field.resolve = to_one_resolver(cache_name, gql_field.resolve)
                counts["to_one"] += 1
            elif cache_name := _relation_cache_name(field, model):
                if not getattr(field, "_fengkong_prefetched", False):
                    field.get_result = prefetched_get_result(field, cache_name)
                    field._fengkong_prefetched = True
                counts["prefetched"] += 1
            if gql_field.resolve is not None and not _is_list_field(gql_field.type):
                plain.add(gql_field.resolve)
    _PLAIN[id(core)] = frozenset(plain)
    counts["plain"] = len(plain)
    return counts
