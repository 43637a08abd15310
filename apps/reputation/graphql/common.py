"""What the reputation mutations share: one way to call a service, the fields a client sent."""

from typing import Any

import strawberry

from apps.core.graphql.resolvers import run_service
from apps.reputation.graphql.errors import ReputationError, ReputationErrorCode

UNSET: Any = strawberry.UNSET
Errors = list[ReputationError]  # type: ignore[valid-type]


def run(payload: type, input, call, fields=None) -> Any:
    return run_service(
        payload, ReputationError, ReputationErrorCode, call, input=input, fields=fields
    )


def sent(input, names: tuple[str, ...]) -> dict:
    """The fields the client sent (UNSET left out), enums as their values."""
    out = {}
    for name in names:
        value = getattr(input, name)
        if value is UNSET:
            continue
        out[name] = value.value if hasattr(value, "value") and not isinstance(value, str) else value
    return out
