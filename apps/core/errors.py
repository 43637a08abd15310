"""Error codes of the core app (jobs, pagination, tenancy), shown to API clients."""

from enum import Enum

from django.core.exceptions import ValidationError


class CoreErrorCode(Enum):
    """Why a core operation was refused."""

    INVALID = "invalid"
    NOT_FOUND = "not_found"
    INVALID_TRANSITION = "invalid_transition"


def refuse(field: str | None, message: str, code: Enum) -> ValidationError:
    """The one way a service refuses input. `field` is the service's argument name (None: the
    whole call); `code` a member of the app's error-code enum, which the GraphQL layer turns into
    `errors { field message code }`."""
    error = ValidationError(message, code=code.value)
    return ValidationError({field: error}) if field else error


class Refusal(Exception):
    """A refusal that is not about the input (the broker is down, …): the GraphQL layer shows it
    with its code (`extensions.code`), never masked. Services raise it without knowing GraphQL."""

    def __init__(self, message: str, code: str, **extensions) -> None:
        super().__init__(message)
        self.code = code
        self.extensions = {"code": code, **extensions}
