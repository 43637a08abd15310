"""A compiled plan for persisted documents: the fields that need no machinery complete in one loop.

graphql-core completes every field the same way: a `Path`, a `GraphQLResolveInfo`, the
resolver through the middleware chain, `complete_value`'s walk (non-null, list, leaf, abstract,
object), `collect_subfields` and a recursive `execute_fields`. For a persisted document
(apps/core/graphql/persisted.py) the executor compiles, once per (type, selection set), a list
of steps, one per response key, and completes the fields that qualify without any of it:

- **leaf**: a plain column or strawberry basic field (execution.install marked its resolver
  with the row attribute) whose value is loaded and not null: the leaf type's serialised value;
- **object**: a basic attribute (edges' `node`, a connection's `pageInfo`) or a to-one relation
  Django already holds (select_related or the optimizer's prefetch): its selection set run on
  the object (the type's `is_type_of`, when strawberry generated one, still checked);
- **list**: a basic attribute holding a list (a connection's `edges`), item by item.

Everything else — a resolver of ours, arguments, permission or connection extensions, a
deferred column, a relation not fetched, a null where the type forbids one, `__typename`, a
fragment variable, `@defer` — runs `execute_field`, graphql-core's own path, from the plan: the
same resolver, middleware, argument coercion and error handling as without a plan. A fast step
only ever reads what the normal resolver would return without side effects; whenever it would
have to decide something the normal path decides (a refusal, a null, a coercion failure) it
hands the field to `execute_field` before anything was done for it, so errors, their paths and
`null` propagation are graphql-core's (tests/core/test_persisted_plans.py compares answers).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Manager, QuerySet
from graphql import (
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    Undefined,
    is_leaf_type,
)
from graphql.execution.executor import invalid_return_type_error
from graphql.pyutils import Path
from strawberry.relay import GlobalID

complete_leaf_value = __import__("graphql").execution.executor.Executor.complete_leaf_value

DELEGATE, LEAF, OBJECT, LIST, NODE_ID, RESOLVER = 0, 1, 2, 3, 4, 5
DEFINITION = "strawberry-definition"  # strawberry's back-reference on graphql-core objects
_MISSING = object()
_NO_DICT: dict[str, Any] = {}
# Directives collect_fields applies itself; any other on a field hands it to execute_field.
_APPLIED_DIRECTIVES = frozenset({"skip", "include"})


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


def compile_step(schema: Any, parent_type: Any, key: str, field_details_list: list) -> Step:
    first = field_details_list[0]
    node = first.node
    if (
        any(d.defer_usage is not None or d.fragment_variable_values for d in field_details_list)
        or node.arguments
        or any(d.name.value not in _APPLIED_DIRECTIVES for d in node.directives or ())
        or node.name.value.startswith("__")
    ):
        return Step(key, DELEGATE)
    field_def = parent_type.fields.get(node.name.value)
    if field_def is None or field_def.args:
        return Step(key, DELEGATE)
    resolve = field_def.resolve
    attribute = getattr(resolve, "attribute", None)
    to_one = getattr(resolve, "to_one", None)
    named, non_null = _unwrap(field_def.type)
    step = Step(key, DELEGATE, field_def)
    step.label = f"{parent_type.name}.{node.name.value}"
    step.non_null = non_null
    if attribute is None and to_one is None:
        return _resolver_step(schema, parent_type, step, named)
    step.attribute, step.to_one = attribute, to_one
    if is_leaf_type(named):
        if attribute is not None:
            step.kind, step.leaf_type = LEAF, named
        return step
    if isinstance(named, GraphQLList):
        if attribute is None:
            return step
        item, item_non_null = _unwrap(named.of_type)
        target = _object_target(item)
        if target is None:
            return step
        step.kind, step.item_non_null = LIST, item_non_null
        step.object_type, step.is_type_of = target
        return step
    target = _object_target(named)
    if target is not None:
        step.kind = OBJECT
        step.object_type, step.is_type_of = target
    return step


def _node_id_attname(schema: Any, parent_type: Any, field: Any) -> str | None:
    """The row attribute of a model Node's `id` when strawberry's `Node._id` would compute it
    from the pk (strawberry-django's resolve_model_id, the default type name), else None."""
    from strawberry import relay
    from strawberry_django.relay.utils import resolve_model_id

    function = getattr(getattr(field, "base_resolver", None), "wrapped_func", None)
    function = getattr(function, "__func__", function)
    if function is None or function is not relay.Node.__dict__["_id"].__func__:
        return None
    origin = getattr((parent_type.extensions or {}).get(DEFINITION), "origin", None)
    definition = getattr(origin, "__strawberry_django_definition__", None)
    if (
        definition is None
        or field.extensions
        or getattr(origin.resolve_id, "__func__", None) is not resolve_model_id
        or origin.resolve_typename.__func__ is not relay.Node.resolve_typename.__func__
        or origin.resolve_id_attr() != "pk"
    ):
        return None
    return definition.model._meta.pk.attname


def _resolver_step(schema: Any, parent_type: Any, step: Step, named: Any) -> Step:
    """NODE_ID or RESOLVER when the field's resolver can be called directly, else DELEGATE.

    RESOLVER: a strawberry-django field whose resolver takes the row alone (no info, no
    arguments, not async), with no field extension (permission classes are extensions) and no
    schema exception handler: strawberry would call `resolver(row)` through `django_resolver`
    (which calls a callable result and turns a manager into `.all()`); the plan does the same.
    Its value completes as a leaf or an object (lists keep execute_field: the optimizer)."""
    from strawberry_django.fields.field import StrawberryDjangoField

    field = (step.field_def.extensions or {}).get(DEFINITION)
    strawberry_schema = getattr(schema, "_strawberry_schema", None)
    if field is None or strawberry_schema is None:
        return step
    if is_leaf_type(named) and (attname := _node_id_attname(schema, parent_type, field)):
        step.kind, step.leaf_type, step.attribute = NODE_ID, named, attname
        return step
    resolver = field.base_resolver
    if (
        not isinstance(field, StrawberryDjangoField)
        or resolver is None
        or field.extensions
        or field.arguments
        or resolver.is_async
        or resolver.info_parameter is not None
        or resolver.arguments
        or getattr(strawberry_schema.schema_converter, "_exception_handler_specs", None)
    ):
        return step
    function = resolver.wrapped_func
    if not callable(function) or getattr(function, "is_async_safe", False):
        return step
    if is_leaf_type(named):
        step.kind, step.leaf_type, step.function = RESOLVER, named, function
    elif (target := _object_target(named)) is not None:
        step.kind, step.function = RESOLVER, function
        step.object_type, step.is_type_of = target
    return step


class PlanMixin:
    """The plan's half of the execution context (apps/core/graphql/execution.py mixes it in).

    `self.plans` is the document's compiled steps by (type, selection set) or None (no plan:
    graphql-core's `execute_fields`). Per request, `_groups` maps each grouped field set
    graphql-core collected (one per selection set and type, memoised by collect_subfields) to
    its steps, so the steps are found with one dictionary look-up per object.
    """

    plans: dict | None = None

    def _steps(self, parent_type: Any, grouped_field_set: dict) -> list[Step]:
        groups = self._groups
        entry = groups.get(id(grouped_field_set))
        if entry is not None:
            return entry[1]
        key = (
            parent_type.name,
            tuple((k, id(fdl[0].node), len(fdl)) for k, fdl in grouped_field_set.items()),
        )
        plans = self.plans
        steps = plans.get(key) if plans is not None else None
        if steps is None:
            schema = self.schema  # type: ignore[attr-defined]
            steps = [
                compile_step(schema, parent_type, k, fdl) for k, fdl in grouped_field_set.items()
            ]
            if plans is not None:
                plans[key] = steps
        groups[id(grouped_field_set)] = (grouped_field_set, steps)  # kept alive: ids stay unique
        return steps

    def execute_planned_fields(
        self, parent_type: Any, source: Any, path: Path | None, grouped_field_set: dict
    ) -> Any:
        results: dict[str, Any] = {}
        awaitable_fields: list[str] = []
        is_awaitable = self.is_awaitable  # type: ignore[attr-defined]
        execute_field = self.execute_field  # type: ignore[attr-defined]
        for step in self._steps(parent_type, grouped_field_set):
            key = step.key
            fdl = grouped_field_set[key]
            kind = step.kind
            if kind == LEAF:
                value = getattr(source, "__dict__", _NO_DICT).get(step.attribute, None)
                if value is not None:
                    try:
                        coerced = step.leaf_type.coerce_output_value(value)
                    except Exception:  # noqa: BLE001 - execute_field reports it, located
                        coerced = None
                    if coerced is not None and coerced is not Undefined:
                        results[key] = coerced
                        continue
                elif not step.non_null and step.attribute in getattr(source, "__dict__", _NO_DICT):
                    results[key] = None
                    continue
            elif kind == NODE_ID:
                pk = getattr(source, "__dict__", _NO_DICT).get(step.attribute, None)
                if pk is not None:
                    gid = GlobalID(type_name=parent_type.name, node_id=str(pk))
                    try:
                        coerced = step.leaf_type.coerce_output_value(gid)
                    except Exception:  # noqa: BLE001 - execute_field reports it, located
                        coerced = None
                    if coerced is not None and coerced is not Undefined:
                        results[key] = coerced
                        continue
            elif kind == RESOLVER:
                results[key] = self._call_resolver(step, source, fdl, path, parent_type)
                continue
            elif kind != DELEGATE:
                value = self._read(step, source)
                if value is not _MISSING:
                    field_path = Path(path, key, parent_type.name)
                    if kind == OBJECT:
                        results[key] = self._complete_object(step, fdl, field_path, value)
                    else:
                        results[key] = self._complete_list(step, fdl, field_path, value)
                    continue
            result = execute_field(
                parent_type, source, fdl, Path(path, key, parent_type.name), None
            )
            if result is not Undefined:
                results[key] = result
                if is_awaitable(result):
                    awaitable_fields.append(key)
        if awaitable_fields:  # not in a sync execution; graphql-core's way if ever
            return self._gather(results, awaitable_fields)
        return results

    def _call_resolver(
        self, step: Step, source: Any, fdl: list, path: Path | None, parent_type: Any
    ) -> Any:
        """The resolver called as strawberry would, completed as execute_field would."""
        field_path = Path(path, step.key, parent_type.name)
        try:
            value = step.function(source)
            if callable(value):  # django_resolver's
                value = value()
            if isinstance(value, Manager):
                value = value.all()
            if isinstance(value, Exception):
                raise value
            if value is None:
                if step.non_null:
                    raise TypeError(f"Cannot return null for non-nullable field {step.label}.")
                return None
            if step.leaf_type is not None:
                return complete_leaf_value(step.leaf_type, value)
            return self._object_fields(step, fdl, field_path, value)
        except Exception as error:  # noqa: BLE001 - execute_field's handling, same arguments
            self.handle_field_error(error, step.field_def.type, fdl, field_path)  # type: ignore[attr-defined]
            return None

    @staticmethod
    def _read(step: Step, source: Any) -> Any:
        """What the field's resolver returns, when it would return it without deciding
        anything (else _MISSING: execute_field)."""
        if step.to_one is not None:
            try:
                value = source._state.fields_cache[step.to_one]
            except (KeyError, AttributeError):
                return _MISSING
        else:
            value = getattr(source, "__dict__", _NO_DICT).get(step.attribute, _MISSING)
        if value is None:
            return _MISSING if step.non_null else None
        if isinstance(value, Exception):
            return _MISSING  # complete_value raises it: execute_field
        if step.kind == LIST and (
            isinstance(value, QuerySet | Manager) or not isinstance(value, list | tuple)
        ):
            return _MISSING  # the optimizer's middleware or the list checks act on it
        return value

    def _object_fields(self, step: Step, fdl: list, path: Path, value: Any) -> Any:
        """complete_object_value for a value of the step's object type (raises like it)."""
        object_type = step.object_type
        if step.is_type_of is not None and not step.is_type_of(value, None):
            raise invalid_return_type_error(object_type, value, fdl)
        grouped = self.collect_subfields(object_type, fdl)[0]  # type: ignore[attr-defined]
        return self.execute_fields(object_type, value, path, grouped, None)  # type: ignore[attr-defined]

    def _complete_object(self, step: Step, fdl: list, path: Path, value: Any) -> Any:
        if value is None:
            return None
        try:
            return self._object_fields(step, fdl, path, value)
        except Exception as error:  # noqa: BLE001 - execute_field's handling, same arguments
            self.handle_field_error(error, step.field_def.type, fdl, path)  # type: ignore[attr-defined]
            return None

    def _complete_list(self, step: Step, fdl: list, path: Path, items: Any) -> Any:
        if items is None:
            return None
        try:
            completed: list[Any] = []
            append = completed.append
            item_type = step.field_def.type
            item_type = (item_type.of_type if step.non_null else item_type).of_type
            for index, item in enumerate(items):
                item_path = path.add_key(index, None)
                try:
                    if isinstance(item, Exception):
                        raise item  # complete_value raises a returned exception
                    if item is None:
                        if step.item_non_null:
                            raise TypeError(  # complete_value's message
                                f"Cannot return null for non-nullable field {step.label}."
                            )
                        append(None)
                        continue
                    append(self._object_fields(step, fdl, item_path, item))
                except Exception as error:  # noqa: BLE001 - complete_list_item_value's
                    self.handle_field_error(error, item_type, fdl, item_path)  # type: ignore[attr-defined]
                    append(None)
            return completed
        except Exception as error:  # noqa: BLE001 - execute_field's handling
            self.handle_field_error(error, step.field_def.type, fdl, path)  # type: ignore[attr-defined]
            return None

    @staticmethod
    async def _gather(results: dict[str, Any], keys: list[str]) -> dict[str, Any]:
        for key in keys:  # pragma: no cover - sync schemas resolve nothing asynchronously
            results[key] = await results[key]
        return results
