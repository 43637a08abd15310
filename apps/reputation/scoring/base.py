"""The interface every sentiment scorer implements, and what it returns."""

from collections.abc import Sequence
from typing import ClassVar, NamedTuple, Protocol

NEGATIVE, NEUTRAL, POSITIVE = "negative", "neutral", "positive"


class Score(NamedTuple):
    """A tuple (made per text: a third of the cost of a frozen dataclass)."""

    score: float  # −1 (worst) to 1 (best)
    label: str  # negative / neutral / positive
    confidence: float  # 0 to 1


class Scorer(Protocol):
    """A sentiment model. `version` changes whenever its output may change (a new model file,
    new thresholds): mentions scored by another version are re-scored."""

    name: ClassVar[str]
    version: ClassVar[str]
    languages: ClassVar[frozenset[str]]

    def score_batch(self, texts: Sequence[str]) -> list[Score]: ...


def clamp(value: float, low: float = -1.0, high: float = 1.0) -> float:
    return max(low, min(high, value))


def label_of(score: float, *, negative_below: float, positive_above: float) -> str:
    if score < negative_below:
        return NEGATIVE
    if score > positive_above:
        return POSITIVE
    return NEUTRAL
