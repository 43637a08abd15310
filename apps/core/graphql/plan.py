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
- **list**: a basic attribute holding a list (a connection's `edges`), item by item;
- **node id**: a model Node's `id` (strawberry's `GlobalID` of the type name and the pk);
- **resolver**: a strawberry-django resolver that takes the row alone, called directly;
- **connection**: a nested connection of prefetched rows (apps/core/graphql/plan_connections.py).

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

from django.db.models import QuerySet
from django.db.models.manager import BaseManager
from graphql import (
    GraphQLList,
    Undefined,
    is_leaf_type,
)
from graphql.execution.executor import invalid_return_type_error, to_nodes
from graphql.pyutils import Path
from strawberry.relay import GlobalID

from apps.core.graphql.plan_connections import MISSING, connection_step, resolve_connection

complete_leaf_value = __import__("graphql").execution.executor.Executor.complete_leaf_value

from apps.core.graphql.plan_steps import (  # noqa: E402
    CONNECTION,
    DEFINITION,
    DELEGATE,
    LEAF,
    LIST,
    NODE_ID,
    OBJECT,
    RESOLVER,
    Step,
    _object_target,
    _unwrap,
)

_MISSING = object()
_NO_DICT: dict[str, Any] = {}
# Directives collect_fields applies itself; any other on a field hands it to execute_field.
_APPLIED_DIRECTIVES = frozenset({"skip", "include"})


def compile_step(schema: Any, parent_type: Any, key: str, field_details_list: list) -> Step:
    first = field_details_list[0]
    node = first.node
    if (
        any(d.defer_usage is not None or d.fragment_variable_values for d in field_details_list)
        or any(d.name.value not in _APPLIED_DIRECTIVES for d in node.directives or ())
        or node.name.value.startswith("__")
    ):
        return Step(key, DELEGATE)
    field_def = parent_type.fields.get(node.name.value)
    if field_def is not None and field_def.args:  # a connection of prefetched rows, or not
        return connection_step(Step(key, DELEGATE, field_def), parent_type, node)
    if field_def is None or field_def.args or node.arguments:
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
    origin: Any = getattr((parent_type.extensions or {}).get(DEFINITION), "origin", None)
    definition = getattr(origin, "__strawberry_django_definition__", None)
    default_typename = relay.Node.__dict__["resolve_typename"].__func__
    if (
        definition is None
        or field.extensions
        or getattr(origin.resolve_id, "__func__", None) is not resolve_model_id
        or getattr(origin.resolve_typename, "__func__", None) is not default_typename
        or origin.resolve_id_attr() != "pk"
    ):
        return None
    return definition.model._meta.pk.attname


def named_type_of(step: Step) -> Any:
    return _unwrap(step.field_def.type)[0]


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
    # get_arguments: the row as the first positional (`self`), and as `root`/`parent` by name
    named = [p.name for p in (resolver.root_parameter, resolver.parent_parameter) if p]
    call = (function, (resolver.self_parameter is not None, *named))
    if is_leaf_type(named_type := named_type_of(step)):
        step.kind, step.leaf_type, step.function = RESOLVER, named_type, call
    elif (target := _object_target(named_type)) is not None:
        step.kind, step.function = RESOLVER, call
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
    _groups: dict[int, tuple]

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
            elif kind == CONNECTION:
                value = resolve_connection(self, step, source, fdl)
                if value is not MISSING:
                    field_path = Path(path, key, parent_type.name)
                    results[key] = self._complete_object(step, fdl, field_path, value)
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
        """The resolver called as strawberry and strawberry-django call it (the row as `self`
        and/or `root`/`parent`; django_resolver's and get_result's handling of what it
        returns), completed as execute_field would."""
        field_path = Path(path, step.key, parent_type.name)
        try:
            positional, named = step.function
            value = positional(*([source] if named[0] else []), **dict.fromkeys(named[1:], source))
            if callable(value):  # django_resolver's
                value = value()
            if isinstance(value, BaseManager):
                value = value.all()
            if isinstance(value, QuerySet):  # get_result's queryset hook (wants an info)
                value = self._queryset_hook(step, fdl, field_path, parent_type, value)
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

    def _queryset_hook(self, step: Step, fdl: list, path: Path, parent_type: Any, value: Any):
        field = step.field_def.extensions[DEFINITION]
        strawberry_schema = self.schema._strawberry_schema  # type: ignore[attr-defined]
        raw = self.build_resolve_info(step.field_def, to_nodes(fdl), parent_type, path)  # type: ignore[attr-defined]
        info = strawberry_schema.config.info_class(_raw_info=raw, _field=field)
        return field.get_queryset_hook(info=info)(value)

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
            isinstance(value, QuerySet | BaseManager) or not isinstance(value, list | tuple)
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
