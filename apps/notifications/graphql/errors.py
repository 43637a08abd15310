"""The GraphQL face of the error codes (errors.py of the app is plain Python)."""

from apps.core.graphql.errors import error_type
from apps.notifications.errors import NotificationErrorCode

NotificationError = error_type(
    "NotificationError", NotificationErrorCode, "A refused notification or webhook operation."
)

__all__ = ["NotificationError", "NotificationErrorCode"]
