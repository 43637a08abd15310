"""The GraphQL face of the error codes (errors.py of the app is plain Python)."""

from apps.core.graphql.errors import error_type
from apps.risks.errors import RiskErrorCode

RiskError = error_type(
    "RiskError", RiskErrorCode, "A refused risk-register operation."
)

__all__ = ["RiskError", "RiskErrorCode"]
