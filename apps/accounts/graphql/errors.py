"""The GraphQL face of the error codes (errors.py of the app is plain Python)."""

from apps.accounts.errors import AccountErrorCode
from apps.core.graphql.errors import error_type

AccountError = error_type(
    "AccountError", AccountErrorCode, "A refused accounts operation."
)

__all__ = ["AccountError", "AccountErrorCode"]
