from enum import Enum

import strawberry
from django.core.exceptions import ValidationError

from apps.core.graphql.errors import error_type


@strawberry.enum(description="Why a notification or webhook operation was refused.")
class NotificationErrorCode(Enum):
    INVALID = "invalid"
    NOT_FOUND = "not_found"
    NAME_TAKEN = "name_taken"
    INVALID_URL = "invalid_url"
    UNKNOWN_EVENT_TYPE = "unknown_event_type"
    INVALID_TRANSITION = "invalid_transition"


NotificationError = error_type(
    "NotificationError", NotificationErrorCode, "A refused notification or webhook operation."
)


def invalid(
    field: str | None, message: str, code: NotificationErrorCode = NotificationErrorCode.INVALID
) -> ValidationError:
    error = ValidationError(message, code=code.value)
    return ValidationError({field: error}) if field else error
