"""Scalars that refuse, at the boundary, values no field of ours can hold.

strawberry's Decimal accepts NaN, sNaN and infinities (comparisons with them raise, and no
column stores them); its DateTime accepts a naive time (comparing it with an aware one
raises). Both are replaced in every schema: a non-finite decimal is a coded coercion error,
and a time without an offset is read as UTC, as Django would store it.
"""

import dataclasses
import datetime as dt
import decimal
from typing import Any, NewType

import strawberry
from strawberry.exceptions import StrawberryInputCoercionError
from strawberry.file_uploads import Upload, UploadDefinition
from strawberry.schema.types.base_scalars import (
    DateDefinition,
    DateTimeDefinition,
    DecimalDefinition,
)


def _parse(definition: Any, value: object) -> Any:
    """strawberry's own parser of a built-in scalar (typed Optional there; always set)."""
    return definition.parse_value(value)


def _finite_decimal(value: object) -> decimal.Decimal:
    parsed = _parse(DecimalDefinition, value)
    if not parsed.is_finite():
        raise StrawberryInputCoercionError(
            f'Value cannot represent a Decimal: "{value}". A finite number is required.'
        )
    return parsed


# A count that may pass GraphQL's 32-bit Int (a viral video's views, an outlet's audience):
# a whole JSON number, exact to 2^53 − 1 (a JavaScript number's safe range). To Python and the
# type checker a plain int; annotate a field `BigInt` and SCALAR_OVERRIDES makes it the scalar.
BigInt = NewType("BigInt", int)
BIG_INT_MAX = 2**53 - 1


def _big_int(value: object) -> int:
    if type(value) is not int or not -BIG_INT_MAX <= value <= BIG_INT_MAX:
        raise StrawberryInputCoercionError(
            f"BigInt cannot represent {value!r}: a whole number up to 2^53 - 1."
        )
    return value


def _aware_datetime(value: object) -> dt.datetime:
    parsed = _parse(DateTimeDefinition, value)
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=dt.UTC)


# What each scalar is on the wire (docs/graphql.md "Scalars"), with the spec where one exists.
SCALAR_OVERRIDES: dict[object, Any] = {
    decimal.Decimal: dataclasses.replace(
        DecimalDefinition,
        parse_value=_finite_decimal,
        description='An exact decimal number as a string, e.g. "12.50" (no precision is '
        "lost, as a float would lose it). Input: a string or a number; NaN and infinities are "
        "refused.",
    ),
    dt.datetime: dataclasses.replace(
        DateTimeDefinition,
        parse_value=_aware_datetime,
        description="A date and time, RFC 3339 `date-time` (ISO 8601) with an offset, e.g. "
        '"2026-11-01T08:30:00+00:00". The server answers in UTC; an input without an offset '
        "is read as UTC.",
        specified_by_url="https://www.rfc-editor.org/rfc/rfc3339#section-5.6",
    ),
    Upload: dataclasses.replace(
        UploadDefinition,
        description="A file sent as a part of a multipart request (the GraphQL multipart "
        "request spec): `operations`, `map`, then the files. Imports also take base64 text.",
        specified_by_url="https://github.com/jaydenseric/graphql-multipart-request-spec",
    ),
    BigInt: strawberry.scalar(
        name="BigInt",
        description="A whole number, exact up to 2^53 − 1 (9,007,199,254,740,991), as a JSON "
        "number: a count that may pass GraphQL's 32-bit Int.",
        serialize=int,
        parse_value=_big_int,
    ),
    dt.date: dataclasses.replace(
        DateDefinition,
        description="A calendar date, RFC 3339 `full-date` (ISO 8601) `YYYY-MM-DD`, e.g. "
        '"2026-11-01".',
        specified_by_url="https://www.rfc-editor.org/rfc/rfc3339#section-5.6",
    ),
}
