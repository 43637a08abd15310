from enum import Enum


class AssessmentErrorCode(Enum):
    """Why an assessment operation was refused."""

    INVALID = "invalid"
    NOT_FOUND = "not_found"
    OUT_OF_RANGE = "out_of_range"
    MISSING_COLUMN = "missing_column"
    WRONG_DATASET_KIND = "wrong_dataset_kind"
    TOO_FEW_OBSERVATIONS = "too_few_observations"
    DATASET_NOT_READY = "dataset_not_ready"
    NAME_TAKEN = "name_taken"
    IMPORT_INVALID = "import_invalid"
    INVALID_TRANSITION = "invalid_transition"
    INSUFFICIENT_BALANCE = "insufficient_balance"
    SELF_APPROVAL = "self_approval"
    NOT_PERMITTED = "not_permitted"


# Shown on each value of the GraphQL enum.
DESCRIPTIONS = {
    AssessmentErrorCode.INVALID: "A value is malformed or missing.",
    AssessmentErrorCode.NOT_FOUND: "No such object in this tenant.",
    AssessmentErrorCode.OUT_OF_RANGE: "A parameter is outside the range the model accepts.",
    AssessmentErrorCode.MISSING_COLUMN: "The dataset lacks a column this run needs.",
    AssessmentErrorCode.WRONG_DATASET_KIND: "The dataset is not of the kind this input takes.",
    AssessmentErrorCode.TOO_FEW_OBSERVATIONS: (
        "Too few rows (or defaults, or days) for the method and confidence asked."
    ),
    AssessmentErrorCode.DATASET_NOT_READY: "The dataset version is still parsing or was rejected.",
    AssessmentErrorCode.NAME_TAKEN: "A dataset of this name exists.",
    AssessmentErrorCode.IMPORT_INVALID: "The file itself (size, encoding, header) is wrong.",
    AssessmentErrorCode.INVALID_TRANSITION: "The status cannot move from where it is to there.",
    AssessmentErrorCode.INSUFFICIENT_BALANCE: "The reserve's balance is smaller than the amount.",
    AssessmentErrorCode.SELF_APPROVAL: "The maker of a movement cannot approve or reject it.",
    AssessmentErrorCode.NOT_PERMITTED: (
        "Your role may not do this (a risk manager binds limits and decides movements)."
    ),
}
