"""The GraphQL face of the error codes (errors.py of the app is plain Python)."""

from apps.core.graphql.errors import error_type
from apps.reputation.errors import DESCRIPTIONS, ReputationErrorCode

ReputationError = error_type(
    "ReputationError",
    ReputationErrorCode,
    "A refused reputation operation.",
    descriptions=DESCRIPTIONS,
)

__all__ = ["ReputationError", "ReputationErrorCode"]
