"""The GraphQL face of the error codes (errors.py of the app is plain Python)."""

from apps.accounts.errors import AccountErrorCode as C
from apps.core.graphql.errors import error_type

AccountErrorCode = C
AccountError = error_type(
    "AccountError",
    C,
    "A refused accounts operation.",
    descriptions={
        C.INVALID: "A value is missing, malformed or out of range.",
        C.INVALID_CREDENTIALS: "The e-mail or password is wrong.",
        C.LOCKED_OUT: "Too many failed logins: try again later.",
        C.NOT_A_MEMBER: "The user is not a member of this tenant.",
        C.NOT_FOUND: "An id names nothing here.",
        C.ALREADY_MEMBER: "The user is a member already.",
        C.LAST_ADMIN: "The tenant's last admin cannot leave or be demoted.",
        C.WEAK_PASSWORD: "The password is too weak.",
        C.INVALID_INVITE: "The invite code is unknown, used or expired.",
        C.EXPIRY_IN_PAST: "An expiry must be in the future.",
        C.INVALID_TRANSITION: "The object cannot move to that state from where it is.",
    },
)

__all__ = ["AccountError", "AccountErrorCode"]
