"""Error codes of the core app (jobs, pagination, tenancy), shown to API clients."""

from enum import Enum

import strawberry


@strawberry.enum(description="Why a core operation was refused.")
class CoreErrorCode(Enum):
    INVALID = "invalid"
    NOT_FOUND = "not_found"
    INVALID_TRANSITION = "invalid_transition"
