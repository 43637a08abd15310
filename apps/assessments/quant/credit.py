"""Scorecard development and use: WoE binning, IV, logistic regression, points, grades, EL.

Pure functions on arrays (no ORM). Conventions, fixed here and in docs/assessments.md:
- `y` is 1 for a default ("bad"), 0 otherwise.
- Bins: `edges` e_1 < … < e_{k-1}; bin 0 is x ≤ e_1, bin i is e_i < x ≤ e_{i+1}, the last
  x > e_{k-1}.
- WoE_i = ln( (good_i / goods) / (bad_i / bads) ): positive where the bin is safer than average;
  a bin without goods or without bads gets 0.5 added to both counts (WoE stays finite).
- IV = Σ (good_i / goods − bad_i / bads) · WoE_i.
- Points: factor = PDO / ln 2, offset = base_score − factor · ln(base_odds) (odds good:bad), so a
  score is offset + factor · ln(odds good) and odds doubling adds PDO points.
"""

import math
from dataclasses import dataclass

import numpy as np

GRADE_LABELS = "ABCDEFGHIJ"


def quantile_edges(x: np.ndarray, bins: int) -> np.ndarray:
    """Inner edges at the 1/bins … (bins−1)/bins quantiles (inverted-CDF: values of x), unique,
    without the maximum (a bin above it would be empty)."""
    qs = np.arange(1, bins) / bins
    edges = np.unique(np.quantile(x, qs, method="inverted_cdf"))
    return edges[edges < x.max()]


def assign_bins(x: np.ndarray, edges: np.ndarray) -> np.ndarray:
    return np.searchsorted(edges, x, side="left")


@dataclass(frozen=True)
class WoeTable:
    edges: np.ndarray  # inner edges (k-1)
    count: np.ndarray  # per bin
    bads: np.ndarray
    woe: np.ndarray
    iv_parts: np.ndarray

    @property
    def iv(self) -> float:
        return float(self.iv_parts.sum())


def woe_table(
    x: np.ndarray, y: np.ndarray, edges: np.ndarray, index: np.ndarray | None = None
) -> WoeTable:
    """The WoE table of x's bins (`index`: x's bins, when the caller has them already)."""
    k = len(edges) + 1
    index = assign_bins(x, edges) if index is None else index
    count = np.bincount(index, minlength=k).astype(float)
    bads = np.bincount(index, weights=y, minlength=k)
    goods = count - bads
    empty = (goods == 0) | (bads == 0)
    g = np.where(empty, goods + 0.5, goods)
    b = np.where(empty, bads + 0.5, bads)
    dist_good, dist_bad = g / g.sum(), b / b.sum()
    woe = np.log(dist_good / dist_bad)
    return WoeTable(edges, count, bads, woe, (dist_good - dist_bad) * woe)


def monotonic_edges(x: np.ndarray, y: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Merge neighbouring bins until the default rate moves one way only (the direction of the
    first against the last bin), dropping the edge between the pair that breaks it. The rows
    are binned once: a merged bin's counts are the sums of the bins it joins (integers, so the
    rates are those of binning again on the remaining edges)."""
    edges = np.asarray(edges, dtype=float)
    if not len(edges):
        return edges
    k = len(edges) + 1
    index = assign_bins(x, edges)
    counts = np.bincount(index, minlength=k).astype(float)
    bads = np.bincount(index, weights=y, minlength=k)
    kept = np.arange(len(edges))  # positions of the edges still there
    while len(kept):
        group = np.searchsorted(kept, np.arange(k), side="left")  # initial bin → merged bin
        merged = len(kept) + 1
        rate = np.bincount(group, weights=bads, minlength=merged) / np.maximum(
            np.bincount(group, weights=counts, minlength=merged), 1
        )
        step = np.diff(rate)
        rising = rate[-1] >= rate[0]
        broken = np.flatnonzero(step < 0 if rising else step > 0)
        if not len(broken):
            break
        kept = np.delete(kept, broken[0])
    return edges[kept]


def points_scale(base_score: float, base_odds: float, pdo: float) -> tuple[float, float]:
    """(factor, offset) of the score = offset + factor · ln(odds good)."""
    factor = pdo / math.log(2)
    return factor, base_score - factor * math.log(base_odds)


def bin_points(
    woe: np.ndarray,
    coefficient: float,
    intercept: float,
    features: int,
    factor: float,
    offset: float,
) -> np.ndarray:
    """Points of each bin of one feature; a score is the sum over features of its bins' points.
    ln(odds good) = −(intercept + Σ β_j · WoE_j), so each bin gets −factor·β·WoE and an equal
    share of offset − factor·intercept."""
    return -factor * coefficient * woe + (offset - factor * intercept) / features


def fit_logistic(woe_matrix: np.ndarray, y: np.ndarray, c: float) -> tuple[np.ndarray, float]:
    """L2-penalised logistic regression of default on the WoE columns (coefficients, intercept)."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, solver="lbfgs", max_iter=1000)
    model.fit(woe_matrix, y)
    return model.coef_[0].astype(float), float(model.intercept_[0])


def pd_from_score(score: np.ndarray, factor: float, offset: float) -> np.ndarray:
    """PD implied by a score: odds good = exp((score − offset) / factor)."""
    return 1.0 / (1.0 + np.exp((score - offset) / factor))


def grade_cutoffs(scores: np.ndarray, grades: int) -> np.ndarray:
    """Minimum score of grades A … (best first) but the last: the development population split
    into equal shares (quantiles), highest scores best."""
    qs = 1 - np.arange(1, grades) / grades
    cutoffs = np.unique(np.quantile(scores, qs, method="inverted_cdf"))[::-1]
    return cutoffs[cutoffs > scores.min()]  # ties can merge grades; none is left empty


def assign_grades(scores: np.ndarray, cutoffs: np.ndarray) -> np.ndarray:
    """Index of the grade (0 = A) of each score: A is score ≥ cutoffs[0], and so on."""
    return np.searchsorted(-np.asarray(cutoffs), -scores, side="left")


def expected_loss(pd: np.ndarray, lgd: np.ndarray, ead: np.ndarray) -> np.ndarray:
    """PD × LGD × EAD per loan (float; callers round to money as Decimal when storing)."""
    return pd * lgd * ead
