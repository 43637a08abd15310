"""The GraphQL face of the error codes (errors.py of the app is plain Python)."""

from apps.core.graphql.errors import error_type
from apps.training.errors import DESCRIPTIONS, TrainingErrorCode

TrainingError = error_type(
    "TrainingError", TrainingErrorCode, "A refused training operation.", descriptions=DESCRIPTIONS
)

__all__ = ["TrainingError", "TrainingErrorCode"]
