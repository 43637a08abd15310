"""The GraphQL face of the error codes (errors.py of the app is plain Python)."""

from apps.core.graphql.errors import error_type
from apps.early_warning.errors import WarningErrorCode

WarningError = error_type("WarningError", WarningErrorCode, "A refused early-warning operation.")

__all__ = ["WarningError", "WarningErrorCode"]
