"""What the register's mutation modules share: the error type and the resolver shape."""

from typing import Any

import strawberry

from apps.core.graphql.resolvers import run_service
from apps.risks.graphql.errors import RiskError, RiskErrorCode

Errors = list[RiskError]  # type: ignore[valid-type]


def run(payload: type, call, *, input: Any = None, fields: dict | None = None) -> Any:
    """`input` lets refusals name the input's fields; `fields` maps service names to them."""
    return run_service(payload, RiskError, RiskErrorCode, call, input=input, fields=fields)


def given(**values) -> dict:
    """The arguments the client actually sent (UNSET ones are left out of an update)."""
    return {key: value for key, value in values.items() if value is not strawberry.UNSET}


def actor(info) -> Any:
    return info.context.request.user
