from enum import Enum

from django.core.exceptions import ValidationError

from apps.core.errors import refuse


class NotificationErrorCode(Enum):
    """Why a notification or webhook operation was refused."""

    INVALID = "invalid"
    NOT_FOUND = "not_found"
    NAME_TAKEN = "name_taken"
    INVALID_URL = "invalid_url"
    UNKNOWN_EVENT_TYPE = "unknown_event_type"
    INVALID_TRANSITION = "invalid_transition"


def invalid(
    field: str | None, message: str, code: NotificationErrorCode = NotificationErrorCode.INVALID
) -> ValidationError:
    return refuse(field, message, code)
