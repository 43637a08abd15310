from enum import Enum

import strawberry

from apps.core.graphql.errors import error_type


@strawberry.enum(description="Why an accounts operation was refused.")
class AccountErrorCode(Enum):
    INVALID = "invalid"
    INVALID_CREDENTIALS = "invalid_credentials"
    LOCKED_OUT = "locked_out"
    NOT_A_MEMBER = "not_a_member"
    NOT_FOUND = "not_found"
    ALREADY_MEMBER = "already_member"
    LAST_ADMIN = "last_admin"
    WEAK_PASSWORD = "weak_password"
    INVALID_INVITE = "invalid_invite"
    EXPIRY_IN_PAST = "expiry_in_past"
    INVALID_TRANSITION = "invalid_transition"


AccountError = error_type("AccountError", AccountErrorCode, "A refused accounts operation.")
