"""The GraphQL face of the error codes (errors.py of the app is plain Python)."""

from apps.core.graphql.errors import error_type
from apps.early_warning.errors import WarningErrorCode as C

WarningErrorCode = C
WarningError = error_type(
    "WarningError",
    C,
    "A refused early-warning operation.",
    descriptions={
        C.INVALID: "A value is missing, malformed or out of range.",
        C.NOT_FOUND: "An id names nothing here.",
        C.CODE_TAKEN: "Another indicator has this code.",
        C.INVALID_PARAMS: "A rule's parameters do not fit its kind.",
        C.INVALID_TRANSITION: "The signal cannot move to that status from where it is.",
        C.NOT_A_MEMBER: "The user is not a member of this tenant.",
        C.TOO_MANY_POINTS: "Too many points in one call.",
        C.DUPLICATE: "The same rule (or the same id) is there already.",
        C.ARCHIVED: "The object is archived: restore it first.",
    },
)

__all__ = ["WarningError", "WarningErrorCode"]
