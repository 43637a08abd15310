"""The one way services refuse input: a ValidationError on a field, with an app's error code."""

from enum import Enum

from django.core.exceptions import ValidationError


def refusal(field: str | None, message: str, code: Enum) -> ValidationError:
    """`field` is the service's argument name (None: the whole call); `code` one of the app's
    error-code members, which the GraphQL layer turns into `errors { field code message }`."""
    error = ValidationError(message, code=code.value)
    return ValidationError({field: error}) if field else error
