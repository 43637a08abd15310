"""Typed errors: validation problems are data in a mutation's payload, not exceptions.

Each app declares its own code enum and error type (`AccountError {field, message, code}`);
this module maps Django `ValidationError`s onto them, so no app writes that loop again.
"""

import logging
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


def choices_enum(
    choices: type[Enum], name: str, description: str, *, descriptions: dict | None = None
) -> Any:
    """A GraphQL enum of a model's TextChoices, each value described by its label (or by
    `descriptions[member]`), so a closed set is typed once and described once."""
    enum = strawberry.enum(choices, name=name, description=description)
    for value in enum.__strawberry_definition__.values:  # type: ignore[attr-defined]
        member: Any = choices[value.name]  # a TextChoices member: it has a label
        value.description = (descriptions or {}).get(member) or str(member.label)
    return enum


@strawberry.interface(
    name="UserError",
    description="A problem of a mutation's input, as data in its payload: every payload's "
    "`errors` items implement it. `code` is on each app's error type (its own enum).",
)
class UserError:
    field: str | None = strawberry.field(
        default=None,
        description="Input field at fault (camelCase, dotted path for nested inputs: "
        "`steps.2.title`); null for the whole input.",
    )
    message: str = strawberry.field(description="What is wrong, for a person.")


def error_type(
    name: str, code_enum: type[Enum], description: str, *, descriptions: dict | None = None
) -> type:
    """Build the `<App>Error` type implementing `UserError`: which input field, what is
    wrong, and a stable code of the app's enum."""
    graphql_enum(code_enum, descriptions)
    cls = type(
        name,
        (UserError,),
        {
            "__annotations__": {"code": code_enum},
            "code": strawberry.field(description="Stable machine-readable code."),
        },
    )
    return strawberry.type(cls, name=name, description=description)


def _input_fields(input_type: Any) -> dict[str, Any]:
    """GraphQL name → StrawberryField of an input type (empty when it is not one)."""
    definition = getattr(input_type, "__strawberry_definition__", None)
    if definition is None:
        return {}
    return {field.graphql_name or camel(field.python_name): field for field in definition.fields}


def _element_type(field: Any) -> Any:
    """The input type a field holds (unwrapping `X | None` and `list[X]`)."""
    type_ = field.type
    for _ in range(4):
        type_ = getattr(type_, "of_type", type_)
    return type_


def _candidates(name: str) -> list[str]:
    """A service keyword → the input names it may stand for (`category_id` → `category`)."""
    names = [camel(name)]
    if name.endswith("_ids"):
        names.append(camel(name[: -len("_ids")]) + "s")
    elif name.endswith("_id"):
        names.append(camel(name[: -len("_id")]))
    return names


def input_field_path(
    service_field: str, input_type: Any, renames: dict[str, str | None] | None = None
) -> str | None:
    """The input field (as the schema spells it: `category`, `steps.2.title`) a service's
    field names; None — the whole input — when the input has no such field.

    Services keep their own keyword names (`category_id`, `status`); `renames` maps the ones
    no rule can guess (`{"status": "to"}`), keyed by the service's name.
    """
    renames = renames or {}
    if service_field in renames:
        return renames[service_field]
    if input_type is None:
        return camel(service_field)
    parts: list[str] = []
    current = input_type
    for segment in service_field.split("."):
        if segment.isdigit():
            parts.append(segment)
            continue
        fields = _input_fields(current)
        match = next((name for name in _candidates(segment) if name in fields), None)
        if match is None and segment.endswith("_id") and not parts and "id" in fields:
            match = "id"  # the object being changed (`risk_id` of riskUpdate)
        if match is None:
            return ".".join(parts) or None
        parts.append(match)
        current = _element_type(fields[match])
    return ".".join(parts)


def errors_from_validation(
    exc: ValidationError,
    error_cls: type[E],
    code_enum: type[Enum],
    *,
    input_type: Any = None,
    renames: dict[str, str | None] | None = None,
) -> list[E]:
    """One typed error per message; codes unknown to the app's enum become its INVALID.

    With `input_type` (the mutation's input class), `field` names an input field exactly as
    the schema spells it, or is null when the service's field is not one of the input's.
    """
    known = {member.value: member for member in code_enum}
    fallback = known.get("invalid") or next(iter(code_enum))
    mapping: dict[str, list[ValidationError]] = (
        exc.error_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.error_list}
    )
    errors: list[E] = []
    for field, field_errors in mapping.items():
        path = None if field == NON_FIELD_ERRORS else input_field_path(field, input_type, renames)
        for error in field_errors:
            message = error.message % error.params if error.params else error.message
            errors.append(
                error_cls(  # type: ignore[call-arg]
                    field=path,
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


refusals = logging.getLogger("apps.core.graphql.refusals")
# Refusals that concern who is calling are worth a warning; the rest are the client's input.
WARN_CODES = {"UNAUTHENTICATED", "FORBIDDEN", "TENANT_SUSPENDED"}


class Schema(strawberry.Schema):
    """strawberry's Schema, logging an expected refusal (permission, not found, pagination,
    validation, bad input) as one line without a traceback; only unexpected failures — the
    errors MaskErrors hides — keep strawberry's ERROR with the traceback. Its scalars refuse
    what no field can hold (apps.core.graphql.scalars)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from apps.core.graphql.pagination import describe_page_arguments
        from apps.core.graphql.scalars import SCALAR_OVERRIDES

        kwargs["scalar_overrides"] = {**SCALAR_OVERRIDES, **(kwargs.get("scalar_overrides") or {})}
        super().__init__(*args, **kwargs)
        describe_page_arguments(self._schema)

    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        from apps.core.graphql.extensions import client_code, should_mask

        unexpected = [error for error in errors if should_mask(error)]
        if unexpected:
            super().process_errors(unexpected, execution_context)
        for error in errors:
            if any(error is other for other in unexpected):
                continue
            code = client_code(error)
            level = logging.WARNING if code in WARN_CODES else logging.INFO
            where = ".".join(str(p) for p in error.path) if error.path else "-"
            refusals.log(level, "GraphQL %s at %s: %s", code, where, error.message[:300])
