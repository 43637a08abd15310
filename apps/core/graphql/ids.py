"""Global ids from clients: decoded once, and a malformed or foreign id names nothing."""

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model, UUIDField
from strawberry import relay
from strawberry.relay.types import GlobalIDValueError
from strawberry.types import Info


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


def pk_or_nothing(gid: relay.GlobalID | None, type_name: str, model: type[Model]) -> Any | None:
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
    pk = getattr(node, "pk", None)  # model nodes: the id attribute is the pk (use_pk_as_node_id)
    return None if pk is not None and not is_canonical(pk, gid.node_id) else node


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
