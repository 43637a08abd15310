"""The GraphQL face of the error codes (errors.py of the app is plain Python)."""

from apps.core.graphql.errors import error_type
from apps.people.errors import DESCRIPTIONS, PeopleErrorCode

PeopleError = error_type(
    "PeopleError",
    PeopleErrorCode,
    "A refused people or department operation.",
    descriptions=DESCRIPTIONS,
)

__all__ = ["PeopleError", "PeopleErrorCode"]
