"""Chinese: SnowNLP's bundled Naive Bayes sentiment model (trained on shopping reviews; its
model file ships inside the package). P(positive) p becomes the score 2p − 1."""

from collections.abc import Sequence
from typing import ClassVar

from apps.reputation.scoring.base import Score, clamp, label_of


class SnowNlpScorer:
    name: ClassVar[str] = "snownlp"
    version: ClassVar[str] = "0.12.3"
    languages: ClassVar[frozenset[str]] = frozenset({"zh"})
    # SnowNLP leans positive on neutral text: only a clear lean counts as a label.
    negative_below, positive_above = -0.3, 0.3

    def __init__(self) -> None:
        from snownlp import sentiment  # loads the model (~1 s, ~400 MB) once per process

        self._classify = sentiment.classify

    def score_batch(self, texts: Sequence[str]) -> list[Score]:
        out = []
        for text in texts:
            score = clamp(2.0 * self._classify(text) - 1.0) if text.strip() else 0.0
            label = label_of(
                score, negative_below=self.negative_below, positive_above=self.positive_above
            )
            out.append(Score(score, label, abs(score)))
        return out
