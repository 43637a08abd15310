"""Checks services share. `refusal` is kept for existing callers: the refusal helper is
`apps.core.errors.refuse`."""

from enum import Enum
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Field, Model

from apps.core.errors import refuse as refusal


def fits_column(model: type[Model], name: str, value: Any, code: Enum, *, field: str | None = None):
    """`value` as the model field `name` stores it, or a refusal on `field` (default `name`)
    when the column cannot hold it — more digits than max_digits, longer than max_length —
    so the database never has to refuse it (a DataError) after the service said yes."""
    if value is None:
        return None
    model_field = model._meta.get_field(name)
    if not isinstance(model_field, Field):
        raise TypeError(f"{model.__name__}.{name} is not a column")
    try:
        return model_field.clean(value, None)
    except ValidationError as exc:
        raise refusal(field or name, " ".join(exc.messages), code) from None
