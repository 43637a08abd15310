from enum import Enum


class RiskErrorCode(Enum):
    """Why a risk-register operation was refused."""

    INVALID = "invalid"
    NOT_FOUND = "not_found"
    INVALID_TRANSITION = "invalid_transition"
    CODE_TAKEN = "code_taken"
    CATEGORY_CYCLE = "category_cycle"
    MATRIX_INVALID = "matrix_invalid"
    OUT_OF_RANGE = "out_of_range"
    NOT_ASSESSED = "not_assessed"
    SELF_APPROVAL = "self_approval"
    ACCEPTANCE_PENDING = "acceptance_pending"
    EXPIRY_TOO_LONG = "expiry_too_long"
    NOT_A_MEMBER = "not_a_member"
    PERSON_INACTIVE = "person_inactive"
    IMPORT_INVALID = "import_invalid"
