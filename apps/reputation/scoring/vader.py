"""English: VADER (vaderSentiment ships its lexicon inside the package; nothing downloaded)."""

from collections.abc import Sequence
from typing import ClassVar

from apps.reputation.scoring.base import NEGATIVE, NEUTRAL, POSITIVE, Score, clamp


class VaderScorer:
    name: ClassVar[str] = "vader"
    version: ClassVar[str] = "3.3.2"
    languages: ClassVar[frozenset[str]] = frozenset({"en", "und"})
    # VADER's own convention: compound ≥ 0.05 positive, ≤ −0.05 negative.
    negative_below, positive_above = -0.05, 0.05

    def __init__(self) -> None:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        self._analyzer = SentimentIntensityAnalyzer()

    def score_batch(self, texts: Sequence[str]) -> list[Score]:
        polarity, low, high = (
            self._analyzer.polarity_scores,
            self.negative_below,
            self.positive_above,
        )
        out = []
        for text in texts:
            compound = polarity(text)["compound"]  # already within −1..1 (VADER normalises)
            if not -1.0 <= compound <= 1.0:
                compound = clamp(compound)
            label = NEGATIVE if compound < low else POSITIVE if compound > high else NEUTRAL
            out.append(Score(compound, label, abs(compound)))
        return out
