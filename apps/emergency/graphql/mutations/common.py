"""What the emergency mutations share: running a service, ids, the caller."""

from collections.abc import Callable
from typing import Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from apps.core.graphql.ids import pk_or_nothing
from apps.core.graphql.resolvers import run_service
from apps.emergency.graphql.errors import EmergencyError, EmergencyErrorCode

UNSET: Any = strawberry.UNSET
Errors = list[EmergencyError]  # type: ignore[valid-type]
RENAMES: dict[str, str | None] = {
    "risk_category_ids": "riskCategories",
    "risk_ids": "risks",
    "risk_id": "risk",
    "participant_ids": "participants",
    "scenario_id": "scenario",
    "owner_id": "owner",
    "plan_id": "plan",
    "level_id": "level",
    "signal_id": "signal",
    "person_id": "person",
    "drill_id": "drill",
    "control_id": "control",
    "activation_id": "activation",
}


def run(payload: type, input, call) -> Any:
    return run_service(
        payload, EmergencyError, EmergencyErrorCode, call, input=input, fields=RENAMES
    )


def write(
    payload: type,
    info: Info,
    input,
    service: Callable[..., Any],
    *,
    into: str,
    ids: dict[str, tuple[Any, str, Any]] | None = None,
    **values: Any,
) -> Any:
    """The one shape of this module's mutations: parse the global ids (`ids`: service
    argument → (global id, type name, model)), call `service` with them, the `values` and the
    caller as actor, and answer `payload` with the result as its field `into`."""

    def call() -> dict:
        parsed = {
            name: pk(gid, type_name, model) for name, (gid, type_name, model) in (ids or {}).items()
        }
        return {into: service(actor=actor(info), **parsed, **values)}

    return run(payload, input, call)


def pk(gid: relay.GlobalID | None, type_name: str, model) -> Any:
    return pk_or_nothing(gid, type_name, model)


def pks(gids, type_name: str, model) -> list:
    return [pk_or_nothing(gid, type_name, model) for gid in gids or []]


def actor(info: Info) -> Any:
    return info.context.request.user


def actor_role(info: Info) -> str:
    membership = getattr(info.context.request, "membership", None)
    return membership.role if membership else ""


def sent(input, names: tuple[str, ...]) -> dict:
    """The fields the client sent (UNSET left out), enums as their values."""
    out = {}
    for name in names:
        value = getattr(input, name)
        if value is UNSET:
            continue
        out[name] = value.value if hasattr(value, "value") and not isinstance(value, str) else value
    return out
