"""The GraphQL face of the error codes (errors.py of the app is plain Python)."""

from typing import TYPE_CHECKING, Any, TypeAlias

from apps.core.graphql.errors import error_type
from apps.training.errors import DESCRIPTIONS, TrainingErrorCode

if TYPE_CHECKING:  # a class built at run time (error_type)
    TrainingError: TypeAlias = Any
else:
    TrainingError = error_type(
        "TrainingError",
        TrainingErrorCode,
        "A refused training operation.",
        descriptions=DESCRIPTIONS,
    )

__all__ = ["TrainingError", "TrainingErrorCode"]
