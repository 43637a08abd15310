from enum import Enum


class ReputationErrorCode(Enum):
    """Why a reputation operation was refused."""

    INVALID = "invalid"
    NOT_FOUND = "not_found"
    CODE_TAKEN = "code_taken"
    TOO_MANY = "too_many"
    INACTIVE = "inactive"
    RAW_IDENTIFIER = "raw_identifier"
    UNKNOWN_SCORER = "unknown_scorer"
    NOT_A_MEMBER = "not_a_member"
    INVALID_TRANSITION = "invalid_transition"
    IMPORT_INVALID = "import_invalid"


# Shown on each value of the GraphQL enum.
DESCRIPTIONS = {
    ReputationErrorCode.INVALID: "A value is malformed or missing.",
    ReputationErrorCode.NOT_FOUND: "No such object in this tenant.",
    ReputationErrorCode.CODE_TAKEN: "The code (or term) is in use.",
    ReputationErrorCode.TOO_MANY: "More rows than one call takes (10,000 mentions).",
    ReputationErrorCode.INACTIVE: "The source named is deactivated.",
    ReputationErrorCode.RAW_IDENTIFIER: (
        "A customer reference looks like a raw phone or identity-card number: send a "
        "pseudonymised reference instead."
    ),
    ReputationErrorCode.UNKNOWN_SCORER: "No sentiment scorer of that name is registered.",
    ReputationErrorCode.NOT_A_MEMBER: "The assignee is not a member of this tenant.",
    ReputationErrorCode.INVALID_TRANSITION: "The status cannot move from where it is to there.",
    ReputationErrorCode.IMPORT_INVALID: "An import file, or a cell of it, cannot be read.",
}
