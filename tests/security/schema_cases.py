"""Malformed requests derived from a schema by introspection (graphql-core types), no hand list.

For every root field: one request with plausible values for the required arguments (the
baseline), then one request per argument or input field (nested too, list elements included)
with that one value replaced by each malformed value its type admits. A new mutation or
argument is covered the day it is added.
"""

import base64
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    Undefined,
    get_named_type,
    print_type,
)


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


UNKNOWN_UUID = "00000000-0000-4000-8000-000000000001"
CURSOR_ARGS = {"after", "before"}

BASELINE: dict[str, Any] = {
    "String": "x",
    "ID": b64(f"Risk:{UNKNOWN_UUID}"),
    "Int": 1,
    "BigInt": 1,  # reputation: a mention's counts
    "Float": 1.0,
    "Boolean": True,
    "Decimal": "1",
    "JSON": {},
    "DateTime": "2026-01-01T00:00:00+00:00",
    "Date": "2026-06-01",
    "Upload": None,  # a JSON request carries no file; multipart is tests/people/test_uploads.py
}

LONG = "x" * 100_000
# One representative per check: NUL and surrogates are refused by one rule for every string,
# and graphql-core coerces Int, enum, list and object shapes itself.
BAD: dict[str, list[Any]] = {
    "String": ["\x00", "a\ud800b", LONG],
    "ID": ["bogus", b64("Tenant:1"), "9" * 40, b64("Risk:" + "9" * 40)],
    "Int": [-1, 2**31 - 1, 2**40],
    "BigInt": [-1, 2**53, 2**70, 1.5, "1"],  # reputation: refused by its scalar or the service
    "Float": [-1.0, 1e308],
    "Boolean": [],
    "Decimal": ["1e30", "-1e30", "NaN", "sNaN", "Infinity"],
    "JSON": [[1, 2], "x", {}, 1, [[[[[[[[[[1]]]]]]]]]]],
    "DateTime": ["9999-12-31T23:59:59+00:00", "0001-01-01T00:00:00+00:00", "2026-01-01T00:00:00"],
    "Date": ["9999-12-31", "0001-01-01"],
    "Upload": ["x", {"name": "f.csv"}],  # not a file: an upload is only a multipart part
}
BAD_CURSORS = [
    "bogus",
    b64("arrayconnection:" + "9" * 30),
    b64("arrayconnection:-5"),
    b64("other:1"),
]


@dataclass
class Case:
    operation: str  # "query" | "mutation"
    field: str
    slot: str  # which value is malformed ("" for the baseline)
    document: str
    variables: dict[str, Any]
    value: Any = None  # the malformed value

    @property
    def label(self) -> str:
        value = "" if not self.slot or self.slot[0] == "(" else f" = {repr(self.value)[:40]}"
        return f"{self.operation} {self.field} {self.slot or '(baseline)'}{value}"


def _unwrap(type_: Any) -> tuple[Any, bool]:
    if isinstance(type_, GraphQLNonNull):
        return type_.of_type, True
    return type_, False


# Which object an id argument names, by its name (`id` itself: the type the field returns).
ID_NAMES = {
    "risk": "Risk",
    "risks": "Risk",
    "relatedRisks": "Risk",
    "category": "RiskCategory",
    "parent": "RiskCategory",
    "owner": "Person",
    "responsible": "User",
    "indicator": "Indicator",
    "indicators": "Indicator",
    "control": "Control",
    "tenantId": "Tenant",
}
# Plausible text where "x" would be refused before anything deeper runs.
TEXT_NAMES = {
    "email": "fuzz@example.com",
    "adminEmail": "fuzz@example.com",
    "url": "https://example.com/hook",
    "domain": "fuzz.example.com",
    "code": "fuzz_code",
    "password": "Correct-Horse-Battery-9",
    "csv": "indicator,observed_at,value\n",
    "contentBase64": "",
}


def baseline(type_: GraphQLInputType, name: str = "", ids: dict | None = None) -> Any:
    """A plausible value: real ids (from `ids`, by type name) so the service gets past lookups.

    Input objects get their required fields, or every field but an optional `id` (which would
    turn a create into an update) when `ids["@full"]`: a save-style input whose fields are all
    optional then reaches the code that checks and stores them."""
    ids = ids or {}
    inner, _ = _unwrap(type_)
    if isinstance(inner, GraphQLList):
        return [baseline(inner.of_type, name, ids)]
    if isinstance(inner, GraphQLEnumType):
        return next(iter(inner.values))
    if isinstance(inner, GraphQLInputObjectType):
        return {
            field_name: baseline(field.type, field_name, ids)
            for field_name, field in inner.fields.items()
            if (ids.get("@full") and field_name != "id")  # an optional id means "update"
            or (isinstance(field.type, GraphQLNonNull) and field.default_value is Undefined)
        }
    assert isinstance(inner, GraphQLScalarType), inner
    if inner.name == "ID":
        return ids.get(ID_NAMES.get(name, ids.get("@id", "")), BASELINE["ID"])
    if inner.name == "String" and name in TEXT_NAMES:
        return TEXT_NAMES[name]
    return BASELINE[inner.name]


def _returned_node_type(field: GraphQLField) -> str:
    """The object type a root field is about: itself, or the first object of its payload."""
    named = get_named_type(field.type)
    if not isinstance(named, GraphQLObjectType):
        return ""
    if "id" in named.fields:
        return named.name
    for name, sub in named.fields.items():
        child = get_named_type(sub.type)
        if name != "errors" and isinstance(child, GraphQLObjectType) and "id" in child.fields:
            return child.name
    return ""


def bad_values(type_: GraphQLInputType, name: str) -> list[Any]:
    inner, _ = _unwrap(type_)
    if isinstance(inner, GraphQLList):
        return [[]]
    if isinstance(inner, GraphQLEnumType):
        return ["BOGUS"]
    if isinstance(inner, GraphQLInputObjectType):
        return []
    values = list(BAD[inner.name])
    if name in CURSOR_ARGS:
        values += BAD_CURSORS
    if name in {"first", "last"}:
        values = [-1, 101]
    return values


def variants(
    type_: GraphQLInputType, name: str, value: Any, ids: dict, depth: int = 0
) -> Iterator[tuple[str, Any]]:
    """(path, replacement) for this value and every value nested in it."""
    for bad in bad_values(type_, name):
        yield "", bad, bad
    inner, _ = _unwrap(type_)
    if depth > 3:
        return
    if isinstance(inner, GraphQLList):
        element = value[0] if value else baseline(inner.of_type, name, ids)
        for path, bad, leaf in variants(inner.of_type, name, element, ids, depth + 1):
            yield f"0{'.' + path if path else ''}", [bad], leaf
    elif isinstance(inner, GraphQLInputObjectType):
        for field_name, field in inner.fields.items():
            sub = (
                value.get(field_name)
                if field_name in value
                else baseline(field.type, field_name, ids)
            )
            for path, bad, leaf in variants(field.type, field_name, sub, ids, depth + 1):
                yield f"{field_name}{'.' + path if path else ''}", {**value, field_name: bad}, leaf


def _leaf_selection(type_: Any, depth: int = 0) -> str:
    named = get_named_type(type_)
    if not isinstance(named, GraphQLObjectType):
        return ""
    parts = ["__typename"]
    for name, field in named.fields.items():
        if any(isinstance(a.type, GraphQLNonNull) for a in field.args.values()):
            continue
        child = get_named_type(field.type)
        if isinstance(child, GraphQLScalarType | GraphQLEnumType):
            parts.append(name)
        elif depth < 2 and name in {"errors", "edges", "node", "pageInfo"}:
            parts.append(f"{name} {{ {_leaf_selection(field.type, depth + 1)} }}")
    return " ".join(parts)


def _document(operation: str, name: str, field: GraphQLField) -> str:
    decl = ", ".join(f"${arg}: {arg_def.type}" for arg, arg_def in field.args.items())
    call = ", ".join(f"{arg}: ${arg}" for arg in field.args)
    selection = _leaf_selection(field.type)
    body = f"{name}{f'({call})' if call else ''}{f' {{ {selection} }}' if selection else ''}"
    return f"{operation}{f'({decl})' if decl else ''} {{ {body} }}"


def cases(schema: GraphQLSchema, ids: dict[str, str] | None = None) -> Iterator[Case]:
    """`ids`: a global id of a real object per type name, for baselines that get past lookups."""
    roots = (("query", schema.query_type), ("mutation", schema.mutation_type))
    for operation, root in roots:
        if root is None:
            continue
        for name, field in sorted(root.fields.items()):
            if name == "logout":  # would revoke the token the remaining cases use
                continue
            document = _document(operation, name, field)
            context = {**(ids or {}), "@id": _returned_node_type(field)}
            required = {
                arg: baseline(arg_def.type, arg, context)
                for arg, arg_def in field.args.items()
                if isinstance(arg_def.type, GraphQLNonNull)
            }
            yield Case(operation, name, "", document, required)
            context["@full"] = True
            base = {arg: baseline(field.args[arg].type, arg, context) for arg in required}
            if base != required:
                yield Case(operation, name, "(every field)", document, base)
            for arg, arg_def in field.args.items():
                start = base.get(arg, baseline(arg_def.type, arg, context))
                for path, bad, leaf in variants(arg_def.type, arg, start, context):
                    slot = f"{arg}{'.' + path if path else ''}"
                    yield Case(operation, name, slot, document, {**base, arg: bad}, leaf)


def input_field_paths(schema: GraphQLSchema, mutation: str) -> set[str]:
    """Every field path of a mutation's `input` (camelCase; list positions as `*`)."""
    field = schema.mutation_type.fields[mutation]
    arg = field.args.get("input")
    paths: set[str] = set()

    def walk(type_: Any, prefix: str, depth: int) -> None:
        inner = get_named_type(type_)
        if not isinstance(inner, GraphQLInputObjectType) or depth > 4:
            return
        for name, sub in inner.fields.items():
            path = f"{prefix}{name}"
            paths.add(path)
            if isinstance(_unwrap(sub.type)[0], GraphQLList):
                walk(sub.type, f"{path}.*.", depth + 1)
            else:
                walk(sub.type, f"{path}.", depth + 1)

    if arg is not None:
        walk(arg.type, "", 0)
    return paths


__all__ = ["Case", "cases", "input_field_paths", "print_type"]
