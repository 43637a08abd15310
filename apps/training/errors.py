from enum import Enum


class TrainingErrorCode(Enum):
    """Why a training operation was refused."""

    INVALID = "invalid"
    NOT_FOUND = "not_found"
    CODE_TAKEN = "code_taken"
    INACTIVE = "inactive"
    NOT_A_MEMBER = "not_a_member"
    RECORD_EXISTS = "record_exists"
    IMPORT_INVALID = "import_invalid"
    INVALID_TRANSITION = "invalid_transition"
    ALREADY_ENROLLED = "already_enrolled"


# Shown on each value of the GraphQL enum.
DESCRIPTIONS = {
    TrainingErrorCode.INVALID: "A value is malformed or missing.",
    TrainingErrorCode.NOT_FOUND: "No such object in this tenant.",
    TrainingErrorCode.CODE_TAKEN: "Course code in use.",
    TrainingErrorCode.INACTIVE: "The course or person referred to is deactivated.",
    TrainingErrorCode.NOT_A_MEMBER: "The approver is not a member of this tenant.",
    TrainingErrorCode.RECORD_EXISTS: (
        "This person already has a record of this course completed at that time."
    ),
    TrainingErrorCode.IMPORT_INVALID: "The import file itself (size, encoding, header) is wrong.",
    TrainingErrorCode.INVALID_TRANSITION: "The status cannot move from where it is to there.",
    TrainingErrorCode.ALREADY_ENROLLED: "The person is enrolled or waitlisted in the session.",
}
