from enum import Enum


class WarningErrorCode(Enum):
    """Why an early-warning operation was refused."""

    INVALID = "invalid"
    NOT_FOUND = "not_found"
    CODE_TAKEN = "code_taken"
    INVALID_PARAMS = "invalid_params"
    INVALID_TRANSITION = "invalid_transition"
    NOT_A_MEMBER = "not_a_member"
    TOO_MANY_POINTS = "too_many_points"
    DUPLICATE = "duplicate"
    ARCHIVED = "archived"
