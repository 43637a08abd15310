"""Input objects of leaf fields built by a plan made once per type (issue 14, section 5).

strawberry's `convert_argument` rebuilds an input object field by field on every value: the
field's GraphQL name (camel-casing it), its resolved type, and a chain of type checks before
finding that a scalar or an enum passes through as graphql-core coerced it. For 10,000
`ObservationInput` points that was ~1.6 s of a 2.6 s call. Here an input type whose fields are
all scalars or enums (optional or not; never a global id, a `Maybe`, a list, a nested input or a
lazy type) gets a plan the first time — (GraphQL name, Python name) pairs and the implicit
`None` defaults — and each value is `type_(**kwargs)` from it, exactly what strawberry's loop
builds for such a type. Every other value takes strawberry's function, which this wraps.
Pinned by tests/core/test_fast_fields.py (same objects as strawberry's own conversion).
"""

from dataclasses import MISSING
from typing import Any

from strawberry.relay.types import GlobalID
from strawberry.scalars import is_scalar
from strawberry.types import arguments
from strawberry.types.base import StrawberryMaybe, StrawberryOptional, has_object_definition
from strawberry.types.enum import StrawberryEnumDefinition, has_enum_definition

_strawberry_convert_argument = arguments.convert_argument
_NO_PLAN = object()
_plans: dict[tuple[Any, int, int], Any] = {}


def _passes_through(field_type: Any, scalar_registry: Any) -> bool:
    """Whether strawberry's conversion returns a value of this type as it is."""
    if isinstance(field_type, StrawberryMaybe):
        return False
    if isinstance(field_type, StrawberryOptional):
        field_type = field_type.of_type
    if field_type is GlobalID:
        return False
    return (
        isinstance(field_type, StrawberryEnumDefinition)
        or has_enum_definition(field_type)
        or is_scalar(field_type, scalar_registry)
    )


def _plan(type_: Any, scalar_registry: Any, config: Any) -> Any:
    definition = type_.__strawberry_definition__
    if not definition.is_input or definition.from_input is not None:
        return _NO_PLAN
    names = []
    for field in definition.fields:
        if not _passes_through(field.resolve_type(type_definition=definition), scalar_registry):
            return _NO_PLAN
        names.append((config.name_converter.from_field(field), field.python_name))
    defaults = {
        field.python_name: None
        for field in definition.fields
        if field.default_value is MISSING and field.default_factory is MISSING
    }
    return tuple(names), defaults


def convert_argument(value: object, type_: Any, scalar_registry: Any, config: Any, *a, **k):
    if isinstance(value, dict) and isinstance(type_, type) and has_object_definition(type_):
        key = (type_, id(scalar_registry), id(config))
        plan = _plans.get(key)
        if plan is None:
            plan = _plans[key] = _plan(type_, scalar_registry, config)
        if plan is not _NO_PLAN:
            names, defaults = plan
            kwargs = dict(defaults)
            for graphql_name, python_name in names:
                if graphql_name in value:
                    kwargs[python_name] = value[graphql_name]
            return type_(**kwargs)
    return _strawberry_convert_argument(value, type_, scalar_registry, config, *a, **k)


def install() -> None:
    """Route strawberry's conversion (its recursion and `convert_arguments` look the name up
    in the module) through the plans."""
    arguments.convert_argument = convert_argument
