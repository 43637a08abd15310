"""Global ids from clients: decoded once, and a malformed or foreign id names nothing.

One object, one id: a request holding a global id whose key is a non-canonical spelling of a
UUID or a number is refused (`INVALID_ID`, `CanonicalIds`), and integer-keyed tenant rows carry
their schema in the id (`ScopedIdNode`), so no id names an object in two tenants.
"""

import re
import uuid
from typing import Any, overload

from django.core.exceptions import ValidationError
from django.db.models import Model, UUIDField
from graphql import (
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    OperationDefinitionNode,
    StringValueNode,
    get_named_type,
)
from graphql.utilities import type_from_ast
from graphql.validation import ValidationRule
from strawberry import relay
from strawberry.extensions import SchemaExtension
from strawberry.relay import from_base64
from strawberry.relay.types import GlobalIDValueError
from strawberry.types import Info

from apps.core.schemas import tenant_connection

INVALID_ID = "INVALID_ID"
_NUMBER = re.compile(r"^\s*[+-]?\d+\s*$")
NON_CANONICAL_MESSAGE = (
    "An id is not in its canonical form; send ids exactly as the API returned them."
)


def _from_client_id(cls: type[relay.GlobalID], value: Any) -> relay.GlobalID:
    """A client's `ID` argument or input field as a GlobalID; a value that is not one (not
    base64, no `Type:` prefix) is a GlobalID of no type, which names nothing.

    strawberry refuses such a value while converting the arguments, after validation: the
    error had a path but no code (BAD_REQUEST), and a mutation's non-null payload made the
    whole `data` null. Named nothing, it takes the path every unknown id takes: a lookup
    answers null, a mutation answers `errors [{field: "id", code: NOT_FOUND}]`."""
    try:
        return _strict_from_id.__func__(cls, value)  # type: ignore[attr-defined]
    except GlobalIDValueError:
        return cls(type_name="", node_id=str(value))


# Only strawberry's argument conversion calls from_id (strawberry/types/arguments.py).
_strict_from_id = relay.GlobalID.from_id
relay.GlobalID.from_id = classmethod(_from_client_id)  # type: ignore[method-assign,assignment]


def decode_pk(gid: relay.GlobalID, type_name: str, model: type[Model]) -> Any | None:
    """The primary key `gid` names, or None when it is of another type or malformed."""
    if gid.type_name != type_name:
        return None
    try:
        pk = model._meta.pk.to_python(gid.node_id)
    except (ValidationError, ValueError, TypeError):
        return None
    return pk if is_canonical(pk, gid.node_id) else None


def is_canonical(pk: Any, node_id: str) -> bool:
    """One object, one global id: `{UUID}`, upper case, no hyphens, `urn:uuid:` or a padded
    integer parse to the same key, but only the key's own spelling names it."""
    return pk is not None and str(pk) == node_id


@overload
def pk_or_nothing(gid: relay.GlobalID, type_name: str, model: type[Model]) -> Any: ...
@overload
def pk_or_nothing(gid: None, type_name: str, model: type[Model]) -> None: ...
@overload
def pk_or_nothing(gid: relay.GlobalID | None, type_name: str, model: type[Model]) -> Any: ...


def pk_or_nothing(gid: relay.GlobalID | None, type_name: str, model: type[Model]) -> Any:
    """None when no id was given; else the key it names, or a key no row has (so a bad id is
    "not found" downstream, never "no value")."""
    if gid is None:
        return None
    pk = decode_pk(gid, type_name, model)
    if pk is not None:
        return pk
    return uuid.UUID(int=0) if isinstance(model._meta.pk, UUIDField) else -1


def resolve_node(info: Info, gid: relay.GlobalID) -> relay.Node | None:
    """Relay `node`: null for an unknown type, a malformed key, or another tenant's object."""
    try:
        node = gid.resolve_node_sync(info, required=False)
    except (GlobalIDValueError, ValidationError, ValueError, TypeError):
        return None
    # The ID scalar refused other spellings already; a key still not canonical names nothing.
    return node if canonical_key(gid.node_id) == gid.node_id else None


def use_pk_as_node_id() -> None:
    """Declare the primary key as the id attribute of every model Node type.

    Without a NodeID annotation strawberry-django re-discovers the attribute on every object it
    serialises (~0.3 ms a node: a 100-row page paid 40 ms for it); ours is always the pk.
    """
    pending = list(relay.Node.__subclasses__())
    while pending:
        node_type = pending.pop()
        pending.extend(node_type.__subclasses__())
        if hasattr(node_type, "__strawberry_django_definition__") and node_type._id_attr is None:
            node_type._id_attr = "pk"


def canonical_key(node_id: str) -> str | None:
    """The canonical spelling of the key in `node_id` when it spells a UUID or a number;
    None when it is neither (a malformed key: it names nothing downstream). A tenant-scoped id
    (`schema.key`) is judged by its key."""
    head, dot, key = node_id.rpartition(".")
    canonical: str | None
    try:
        canonical = str(uuid.UUID(key.strip()))
    except ValueError:
        canonical = str(int(key)) if _NUMBER.match(key) else None
    return None if canonical is None else f"{head}{dot}{canonical}"


def is_canonical_global_id(value: str) -> bool:
    """False for a global id whose key is spelt another way than its canonical form (upper
    case, braces, no hyphens, `urn:uuid:`, padding, leading zeros); True otherwise, a value
    that is no global id included (the field's own decoding refuses or ignores it)."""
    try:
        _, node_id = from_base64(value)
    except (ValueError, TypeError):
        return True
    canonical = canonical_key(node_id)
    return canonical is None or canonical == node_id


def _holds_id(gql_type: Any, seen: frozenset = frozenset()) -> bool:
    """Whether a value of this input type can contain an `ID` anywhere (memoised per type)."""
    named = get_named_type(gql_type)
    known = _HOLDS_ID.get(named)
    if known is None:
        if isinstance(named, GraphQLInputObjectType):
            inner = seen | {named.name}
            known = any(
                _holds_id(f.type, inner)
                for f in named.fields.values()
                if get_named_type(f.type).name not in inner
            )
        else:
            known = getattr(named, "name", None) == "ID"
        if known or not seen:  # a "no" found inside a cycle may be a "yes" from its start
            _HOLDS_ID[named] = known
    return known


_HOLDS_ID: dict[Any, bool] = {}


def _non_canonical_path(value: Any, gql_type: Any, path: str) -> str | None:
    """Where in a variable's value (of type `gql_type`) an `ID` is spelt non-canonically."""
    gql_type = gql_type.of_type if isinstance(gql_type, GraphQLNonNull) else gql_type
    if value is None or not _holds_id(gql_type):  # 10,000 ingested points hold no id
        return None
    if isinstance(gql_type, GraphQLList):
        items = value if isinstance(value, list) else [value]  # a lone value is a list of one
        for index, item in enumerate(items):
            if found := _non_canonical_path(item, gql_type.of_type, f"{path}.{index}"):
                return found
        return None
    if isinstance(gql_type, GraphQLInputObjectType) and isinstance(value, dict):
        for name, field in gql_type.fields.items():
            if name in value and (
                found := _non_canonical_path(value[name], field.type, f"{path}.{name}")
            ):
                return found
        return None
    if getattr(gql_type, "name", None) == "ID" and isinstance(value, str):
        return None if is_canonical_global_id(value) else path
    return None


def _id_rule(variables: dict[str, Any]) -> type[ValidationRule]:
    class CanonicalIdsRule(ValidationRule):
        """Refuses a non-canonical global id in a literal or in the request's variables."""

        def enter_operation_definition(self, node: OperationDefinitionNode, *_args) -> None:
            for definition in node.variable_definitions or ():
                name = definition.variable.name.value
                gql_type = type_from_ast(self.context.schema, definition.type)
                if name not in (variables or {}) or gql_type is None:
                    continue
                if where := _non_canonical_path(variables[name], gql_type, f"${name}"):
                    self.report_error(
                        GraphQLError(
                            f"{NON_CANONICAL_MESSAGE} ({where})",
                            definition,
                            extensions={"code": INVALID_ID, "variable": where},
                        )
                    )
                    return

        def enter_string_value(self, node: StringValueNode, *_args) -> None:
            input_type = self.context.get_input_type()
            named = get_named_type(input_type) if input_type is not None else None
            if getattr(named, "name", None) == "ID" and not is_canonical_global_id(node.value):
                self.report_error(
                    GraphQLError(NON_CANONICAL_MESSAGE, node, extensions={"code": INVALID_ID})
                )

    return CanonicalIdsRule


class CanonicalIds(SchemaExtension):
    """Every `ID` a client sends (literal or variable, nested in inputs too) that is a global
    id names its key in the key's canonical spelling, or the request is refused (INVALID_ID).
    Like SafeStrings, the rule sees this request's variables."""

    def on_operation(self):
        context = self.execution_context
        rule = _id_rule(context.variables or {})
        context.validation_rules = (*context.validation_rules, rule)
        yield


class ScopedIdNode(relay.Node):
    """A Node whose rows are keyed by a per-schema sequence (auditlog's entries): its global id
    is `<schema>.<pk>`, and resolving one checks the schema is the request's, so entry 5 of
    tenant A and entry 5 of tenant B have different ids and neither names the other."""

    @classmethod
    def resolve_id(cls, root: Any, *, info: Info) -> str:
        return f"{tenant_connection().schema_name}.{root.pk}"

    @classmethod
    def _local_pk(cls, node_id: Any) -> str | None:
        node_id = getattr(node_id, "node_id", node_id)
        schema, dot, pk = str(node_id).rpartition(".")
        return pk if dot and schema == tenant_connection().schema_name else None

    @classmethod
    def resolve_node(cls, node_id: Any, *, info: Info, required: bool = False) -> Any:
        from strawberry_django.relay.utils import resolve_model_node

        pk = cls._local_pk(node_id)
        if pk is None:
            return None
        # strawberry-django's overloads name Django model types; this is a Node over one
        return resolve_model_node(cls, pk, info=info, required=required)  # type: ignore[call-overload]

    @classmethod
    def resolve_nodes(cls, *, info: Info, node_ids: Any, required: bool = False) -> Any:
        from strawberry_django.relay.utils import resolve_model_nodes

        pks = [cls._local_pk(node_id) for node_id in node_ids]
        found = resolve_model_nodes(
            cls, info=info, node_ids=[pk for pk in pks if pk is not None], required=False
        )
        by_pk = {str(obj.pk): obj for obj in found if obj is not None}  # type: ignore[union-attr]  # sync here: the awaitable variant is for async views
        return [None if pk is None else by_pk.get(pk) for pk in pks]
