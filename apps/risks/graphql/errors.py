"""The GraphQL face of the error codes (errors.py of the app is plain Python)."""

from apps.core.graphql.errors import error_type
from apps.risks.errors import RiskErrorCode

C = RiskErrorCode
RiskError = error_type(
    "RiskError",
    RiskErrorCode,
    "A refused risk-register operation.",
    descriptions={
        C.INVALID: "A value is not acceptable (the message says why).",
        C.NOT_FOUND: "An id or code names nothing here.",
        C.INVALID_TRANSITION: "The object cannot move to that status (or be archived) now.",
        C.CODE_TAKEN: "Another category has this code.",
        C.CATEGORY_CYCLE: "A category cannot sit below itself.",
        C.MATRIX_INVALID: "The matrix definition is inconsistent.",
        C.OUT_OF_RANGE: "A rating step or amount is outside what is allowed.",
        C.NOT_ASSESSED: "The risk needs an (inherent) rating first.",
        C.SELF_APPROVAL: "Someone other than the requester decides.",
        C.ACCEPTANCE_PENDING: "An acceptance is already pending or in force.",
        C.EXPIRY_TOO_LONG: "The expiry is further ahead than the settings allow.",
        C.NOT_A_MEMBER: "The user is not a member of this tenant.",
        C.PERSON_INACTIVE: "The person is inactive in the directory (has left).",
        C.IMPORT_INVALID: "The file, or its header, cannot be imported.",
    },
)

__all__ = ["RiskError", "RiskErrorCode"]
