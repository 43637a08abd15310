"""English: VADER (vaderSentiment ships its lexicon inside the package; nothing downloaded)."""

from collections.abc import Sequence
from typing import ClassVar

from apps.reputation.scoring.base import Score, clamp, label_of


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
        out = []
        for text in texts:
            compound = clamp(self._analyzer.polarity_scores(text)["compound"])
            out.append(
                Score(
                    compound,
                    label_of(
                        compound,
                        negative_below=self.negative_below,
                        positive_above=self.positive_above,
                    ),
                    abs(compound),
                )
            )
        return out
