"""The one shape of every mutation resolver: call a service, turn ValidationError into data."""

import logging
from collections.abc import Callable
from contextlib import nullcontext
from enum import Enum
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import DataError, transaction

from apps.core.graphql.errors import errors_from_validation

P = TypeVar("P")
logger = logging.getLogger("apps.core.graphql.refusals")

# The last resort for a value the database refuses that no check caught (a bug to fix where
# the value is validated, logged as such — but the client still gets a typed error, not a 500).
DATA_ERROR_MESSAGE = "A value is out of range or too long for where it is stored."


def run_service(
    payload_cls: type[P],
    error_cls: type,
    code_enum: type[Enum],
    call: Callable[[], dict[str, Any]],
    *,
    atomic: bool = True,
    input: Any = None,
    fields: dict[str, str | None] | None = None,
) -> P:
    """`call` runs the service and returns the payload's fields.

    The whole call is one transaction: when the service refuses, nothing it did stays written
    (`atomic=False` only where a refusal must itself be recorded, as a failed login is).

    `input` (the mutation's input object) lets a refusal name the input field at fault as the
    schema spells it (`category` for the service's `category_id`); `fields` maps the service
    names no rule can guess (`{"status": "to"}`).
    """
    input_type = type(input) if input is not None else None
    try:
        with transaction.atomic() if atomic else nullcontext():
            values = call()
    except ValidationError as exc:
        errors: list[Any] = errors_from_validation(
            exc, error_cls, code_enum, input_type=input_type, renames=fields
        )
        logger.info(
            "%s refused: %s",
            payload_cls.__name__,
            ", ".join(f"{e.field or '-'} {e.code.name}" for e in errors),
        )
        return payload_cls(errors=errors)  # type: ignore[call-arg]
    except DataError as exc:
        logger.warning(
            "%s: the database refused a value: %s", payload_cls.__name__, str(exc).splitlines()[0]
        )
        fallback = next(iter(code_enum))
        refused = ValidationError(DATA_ERROR_MESSAGE, code=fallback.value)
        return payload_cls(errors=errors_from_validation(refused, error_cls, code_enum))  # type: ignore[call-arg]
    return payload_cls(errors=[], **values)  # type: ignore[call-arg]
