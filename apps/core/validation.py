"""The one way services refuse input: a ValidationError on a field, with an app's error code."""

from enum import Enum
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model


def refusal(field: str | None, message: str, code: Enum) -> ValidationError:
    """`field` is the service's argument name (None: the whole call); `code` one of the app's
    error-code members, which the GraphQL layer turns into `errors { field code message }`."""
    error = ValidationError(message, code=code.value)
    return ValidationError({field: error}) if field else error


def fits_column(model: type[Model], name: str, value: Any, code: Enum, *, field: str | None = None):
    """`value` as the model field `name` stores it, or a refusal on `field` (default `name`)
    when the column cannot hold it — more digits than max_digits, longer than max_length —
    so the database never has to refuse it (a DataError) after the service said yes."""
    if value is None:
        return None
    model_field = model._meta.get_field(name)
    try:
        return model_field.clean(value, None)
    except ValidationError as exc:
        raise refusal(field or name, " ".join(exc.messages), code) from None
