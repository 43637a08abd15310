from enum import Enum


class TenantErrorCode(Enum):
    """Why a tenant operation was refused."""

    INVALID = "invalid"
    NOT_FOUND = "not_found"
    SCHEMA_NAME_TAKEN = "schema_name_taken"
    SCHEMA_NAME_INVALID = "schema_name_invalid"
    DOMAIN_TAKEN = "domain_taken"
    DOMAIN_INVALID = "domain_invalid"
    INVALID_TRANSITION = "invalid_transition"
