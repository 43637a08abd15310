"""The GraphQL face of the error codes (errors.py of the app is plain Python)."""

from apps.core.graphql.errors import error_type
from apps.tenants.errors import TenantErrorCode

C = TenantErrorCode
TenantError = error_type(
    "TenantError",
    TenantErrorCode,
    "A refused tenant operation.",
    descriptions={
        C.INVALID: "A value is not acceptable (the message says why).",
        C.NOT_FOUND: "No tenant has this id.",
        C.SCHEMA_NAME_TAKEN: "Another tenant has this schema name.",
        C.SCHEMA_NAME_INVALID: "Not a valid schema name (the message says why).",
        C.DOMAIN_TAKEN: "Another tenant serves this domain.",
        C.DOMAIN_INVALID: "Not a valid host name.",
        C.INVALID_TRANSITION: "The tenant's status does not allow this (e.g. already active).",
    },
)

__all__ = ["TenantError", "TenantErrorCode"]
