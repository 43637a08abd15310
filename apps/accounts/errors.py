from enum import Enum


class AccountErrorCode(Enum):
    """Why an accounts operation was refused."""

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
