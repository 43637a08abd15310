"""The GraphQL face of the error codes (errors.py of the app is plain Python)."""

from apps.core.graphql.errors import error_type
from apps.emergency.errors import DESCRIPTIONS, EmergencyErrorCode

EmergencyError = error_type(
    "EmergencyError",
    EmergencyErrorCode,
    "A refused emergency-plan operation.",
    descriptions=DESCRIPTIONS,
)

__all__ = ["EmergencyError", "EmergencyErrorCode"]
