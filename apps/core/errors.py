"""Error codes of the core app (jobs, pagination, tenancy), shown to API clients."""

from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


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


class Problems:
    """Every refusal of one call, gathered so the caller hears of all of them at once (the
    GraphQL layer answers one `errors` entry each): `add` them, or run checks that `refuse`
    inside `collect()`, then `raise_any()`."""

    def __init__(self) -> None:
        self.errors: dict[str, list[ValidationError]] = {}

    def add(self, field: str | None, message: str, code: Enum = CoreErrorCode.INVALID) -> None:
        self.errors.setdefault(field or NON_FIELD_ERRORS, []).append(
            ValidationError(message, code=code.value)
        )

    def merge(self, exc: ValidationError) -> None:
        exc.update_error_dict(self.errors)

    @contextmanager
    def collect(self) -> Iterator[None]:
        """A check that raises a ValidationError (`refuse`) adds it here and the call goes on
        to its next check."""
        try:
            yield
        except ValidationError as exc:
            self.merge(exc)

    def __contains__(self, field: str) -> bool:
        return field in self.errors

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


class Refusal(Exception):
    """A refusal that is not about the input (the broker is down, …): the GraphQL layer shows it
    with its code (`extensions.code`), never masked. Services raise it without knowing GraphQL."""

    def __init__(self, message: str, code: str, **extensions) -> None:
        super().__init__(message)
        self.code = code
        self.extensions = {"code": code, **extensions}
