"""Kept for existing callers: the refusal helper is `apps.core.errors.refuse`."""

from apps.core.errors import refuse as refusal

__all__ = ["refusal"]
