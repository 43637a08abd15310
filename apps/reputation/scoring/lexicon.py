"""The tenant's lexicon on top of a model: each matched term adds its weight to the score."""

from collections.abc import Sequence
from dataclasses import dataclass

from apps.reputation.scoring.base import Score, clamp, label_of


@dataclass(frozen=True)
class Term:
    term: str
    weight: float
    folded: str = ""  # the term casefolded, worked out once (adjust runs per mention)

    def __post_init__(self) -> None:
        if not self.folded:
            object.__setattr__(self, "folded", self.term.casefold())


def adjust(
    text: str,
    score: Score,
    terms: Sequence[Term],
    *,
    negative_below: float,
    positive_above: float,
    lowered: str | None = None,
) -> Score:
    """The model's score plus the weight of every term found (case-insensitive substring,
    each term once), clamped to −1..1 and labelled again. No match: the model's score.
    `lowered`: the text casefolded, when the caller has it already."""
    lowered = text.casefold() if lowered is None else lowered
    shift = sum(t.weight for t in terms if t.folded in lowered)
    if not shift:
        return score
    value = clamp(score.score + shift)
    label = label_of(value, negative_below=negative_below, positive_above=positive_above)
    return Score(value, label, abs(value))
