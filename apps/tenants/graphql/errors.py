"""The GraphQL face of the error codes (errors.py of the app is plain Python)."""

from apps.core.graphql.errors import error_type
from apps.tenants.errors import TenantErrorCode

TenantError = error_type(
    "TenantError", TenantErrorCode, "A refused tenant operation."
)

__all__ = ["TenantError", "TenantErrorCode"]
