from enum import Enum

import strawberry

from apps.core.graphql.errors import error_type


@strawberry.enum(description="Why a tenant operation was refused.")
class TenantErrorCode(Enum):
    INVALID = "invalid"
    NOT_FOUND = "not_found"
    SCHEMA_NAME_TAKEN = "schema_name_taken"
    SCHEMA_NAME_INVALID = "schema_name_invalid"
    DOMAIN_TAKEN = "domain_taken"
    DOMAIN_INVALID = "domain_invalid"
    INVALID_TRANSITION = "invalid_transition"


TenantError = error_type("TenantError", TenantErrorCode, "A refused tenant operation.")
