"""The GraphQL face of the error codes (errors.py of the app is plain Python)."""

from apps.core.graphql.errors import error_type
from apps.notifications.errors import NotificationErrorCode as C

NotificationErrorCode = C
NotificationError = error_type(
    "NotificationError",
    C,
    "A refused notification or webhook operation.",
    descriptions={
        C.INVALID: "A value is missing, malformed or out of range.",
        C.NOT_FOUND: "An id names nothing here.",
        C.NAME_TAKEN: "Another webhook has this name.",
        C.INVALID_URL: "The URL is not an https URL we may call.",
        C.UNKNOWN_EVENT_TYPE: "No module publishes an event of this name (see webhookEventTypes).",
        C.INVALID_TRANSITION: "The object cannot move to that state from where it is.",
    },
)

__all__ = ["NotificationError", "NotificationErrorCode"]
