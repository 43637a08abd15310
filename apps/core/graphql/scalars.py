"""Scalars that refuse, at the boundary, values no field of ours can hold.

strawberry's Decimal accepts NaN, sNaN and infinities (comparisons with them raise, and no
column stores them); its DateTime accepts a naive time (comparing it with an aware one
raises). Both are replaced in every schema: a non-finite decimal is a coded coercion error,
and a time without an offset is read as UTC, as Django would store it.
"""

import dataclasses
import datetime as dt
import decimal
from typing import Any

from strawberry.exceptions import StrawberryInputCoercionError
from strawberry.schema.types.base_scalars import DateTimeDefinition, DecimalDefinition


def _finite_decimal(value: object) -> decimal.Decimal:
    parsed = DecimalDefinition.parse_value(value)
    if not parsed.is_finite():
        raise StrawberryInputCoercionError(
            f'Value cannot represent a Decimal: "{value}". A finite number is required.'
        )
    return parsed


def _aware_datetime(value: object) -> dt.datetime:
    parsed = DateTimeDefinition.parse_value(value)
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=dt.UTC)


SCALAR_OVERRIDES: dict[object, Any] = {
    decimal.Decimal: dataclasses.replace(DecimalDefinition, parse_value=_finite_decimal),
    dt.datetime: dataclasses.replace(DateTimeDefinition, parse_value=_aware_datetime),
}
