"""Typed errors: validation problems are data in a mutation's payload, not exceptions.

Each app declares its own code enum and error type (`AccountError {field, message, code}`);
this module maps Django `ValidationError`s onto them, so no app writes that loop again.
"""

from enum import Enum
from typing import Any, TypeVar

import strawberry
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from graphql import GraphQLError

E = TypeVar("E")


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def graphql_enum(code_enum: type[Enum], descriptions: dict | None = None) -> type[Enum]:
    """Make an app's plain error-code Enum a GraphQL enum (once; in place, so services keep
    using the same class): its docstring describes it, `descriptions` its values."""
    if not hasattr(code_enum, "__strawberry_definition__"):
        strawberry.enum(code_enum, description=code_enum.__doc__)
        for value in code_enum.__strawberry_definition__.values:  # type: ignore[attr-defined]
            value.description = (descriptions or {}).get(code_enum[value.name])
    return code_enum


def error_type(
    name: str, code_enum: type[Enum], description: str, *, descriptions: dict | None = None
) -> type:
    """Build the `<App>Error` type: which input field, what is wrong, and a stable code."""
    graphql_enum(code_enum, descriptions)
    cls = type(
        name,
        (),
        {
            "__annotations__": {"field": str | None, "message": str, "code": code_enum},
            "field": strawberry.field(
                default=None,
                description="Input field at fault (camelCase); null for the whole input.",
            ),
        },
    )
    return strawberry.type(cls, name=name, description=description)


def errors_from_validation(
    exc: ValidationError, error_cls: type[E], code_enum: type[Enum]
) -> list[E]:
    """One typed error per message; codes unknown to the app's enum become its INVALID."""
    known = {member.value: member for member in code_enum}
    fallback = known.get("invalid") or next(iter(code_enum))
    mapping: dict[str, list[ValidationError]] = (
        exc.error_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.error_list}
    )
    errors: list[E] = []
    for field, field_errors in mapping.items():
        for error in field_errors:
            message = error.message % error.params if error.params else error.message
            errors.append(
                error_cls(  # type: ignore[call-arg]
                    field=None if field == NON_FIELD_ERRORS else camel(field),
                    message=str(message),
                    code=known.get(error.code or "", fallback),
                )
            )
    return errors


class ApiError(GraphQLError):
    """A refusal we mean to show (never masked): carries a machine-readable `code`."""

    def __init__(self, message: str, code: str, **extensions: Any) -> None:
        super().__init__(message, extensions={"code": code, **extensions})


class NotFound(ApiError):
    def __init__(self, what: str) -> None:
        super().__init__(f"{what} not found.", "NOT_FOUND")
