"""The GraphQL face of the error codes (errors.py of the app is plain Python)."""

from apps.assessments.errors import DESCRIPTIONS, AssessmentErrorCode
from apps.core.graphql.errors import error_type
from apps.core.graphql.uploads import import_error_type

AssessmentError = error_type(
    "AssessmentError",
    AssessmentErrorCode,
    "A refused assessment operation.",
    descriptions=DESCRIPTIONS,
)
AssessmentImportError = import_error_type("AssessmentImportError", AssessmentErrorCode)

__all__ = ["AssessmentError", "AssessmentErrorCode", "AssessmentImportError"]
