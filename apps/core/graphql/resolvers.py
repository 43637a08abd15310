"""The one shape of every mutation resolver: call a service, turn ValidationError into data."""

from collections.abc import Callable
from contextlib import nullcontext
from enum import Enum
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction

from apps.core.graphql.errors import errors_from_validation

P = TypeVar("P")


def run_service(
    payload_cls: type[P],
    error_cls: type,
    code_enum: type[Enum],
    call: Callable[[], dict[str, Any]],
    *,
    atomic: bool = True,
) -> P:
    """`call` runs the service and returns the payload's fields.

    The whole call is one transaction: when the service refuses, nothing it did stays written
    (`atomic=False` only where a refusal must itself be recorded, as a failed login is).
    """
    try:
        with transaction.atomic() if atomic else nullcontext():
            fields = call()
    except ValidationError as exc:
        return payload_cls(errors=errors_from_validation(exc, error_cls, code_enum))  # type: ignore[call-arg]
    return payload_cls(errors=[], **fields)  # type: ignore[call-arg]
