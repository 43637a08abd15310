"""Scorers registered by the tests (settings override): deterministic, no model."""

from typing import ClassVar

from apps.reputation.scoring.base import Score


class AlwaysPositive:
    name: ClassVar[str] = "always_positive"
    version: ClassVar[str] = "1"
    languages: ClassVar[frozenset[str]] = frozenset({"en", "und"})
    negative_below, positive_above = -0.05, 0.05

    def score_batch(self, texts):
        return [Score(0.5, "positive", 0.5) for _ in texts]
