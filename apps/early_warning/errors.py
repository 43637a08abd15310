from enum import Enum

import strawberry

from apps.core.graphql.errors import error_type


@strawberry.enum(description="Why an early-warning operation was refused.")
class WarningErrorCode(Enum):
    INVALID = "invalid"
    NOT_FOUND = "not_found"
    CODE_TAKEN = "code_taken"
    INVALID_PARAMS = "invalid_params"
    INVALID_TRANSITION = "invalid_transition"
    NOT_A_MEMBER = "not_a_member"
    TOO_MANY_POINTS = "too_many_points"
    DUPLICATE = "duplicate"


WarningError = error_type("WarningError", WarningErrorCode, "A refused early-warning operation.")
