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


class FromText:
    """The score is the number the text starts with ("-0.8 …"): hand-worked examples."""

    name: ClassVar[str] = "from_text"
    version: ClassVar[str] = "1"
    languages: ClassVar[frozenset[str]] = frozenset({"zh", "en", "und"})
    negative_below, positive_above = -0.05, 0.05

    def score_batch(self, texts):
        out = []
        for text in texts:
            value = float(text.split()[0])
            label = "negative" if value < -0.05 else "positive" if value > 0.05 else "neutral"
            out.append(Score(value, label, abs(value)))
        return out
