"""Discrimination, stability and calibration: AUC/Gini, KS, PSI, Hosmer-Lemeshow, binomial.

`risk` is what predicts a default (a PD; for a score, pass −score); `y` is 1 for a default.
"""

import numpy as np
from scipy import stats

# A PSI bin with no population at all would be ln(0): its share is floored at this.
PSI_FLOOR = 1e-4


def auc(risk: np.ndarray, y: np.ndarray) -> float:
    """Mann-Whitney: the chance a random default ranks riskier than a random non-default
    (ties count one half), from average ranks."""
    y = y.astype(bool)
    bads, goods = int(y.sum()), int((~y).sum())
    ranks = stats.rankdata(risk)
    return float((ranks[y].sum() - bads * (bads + 1) / 2) / (bads * goods))


def ks(risk: np.ndarray, y: np.ndarray) -> float:
    """The largest distance between the cumulative shares of defaults and non-defaults, over
    every cut-off of `risk` (both counted up to and including the cut-off)."""
    y = y.astype(bool)
    values, inverse = np.unique(risk, return_inverse=True)
    bad = np.bincount(inverse, weights=y, minlength=len(values)).cumsum() / y.sum()
    good = np.bincount(inverse, weights=~y, minlength=len(values)).cumsum() / (~y).sum()
    return float(np.abs(bad - good).max())


def roc_points(risk: np.ndarray, y: np.ndarray, points: int = 101) -> tuple[np.ndarray, ...]:
    """(false-positive rate, true-positive rate) at up to `points` cut-offs, riskiest first."""
    y = y.astype(bool)
    order = np.argsort(-risk, kind="stable")
    tpr = np.concatenate([[0.0], np.cumsum(y[order]) / y.sum()])
    fpr = np.concatenate([[0.0], np.cumsum(~y[order]) / (~y).sum()])
    pick = np.unique(np.linspace(0, len(tpr) - 1, points).round().astype(int))
    return fpr[pick], tpr[pick]


def shares(x: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Population share of each bin (bins as in credit.assign_bins)."""
    counts = np.bincount(np.searchsorted(edges, x, side="left"), minlength=len(edges) + 1)
    return counts / counts.sum()


def psi(expected: np.ndarray, actual: np.ndarray) -> float:
    """Σ (actual − expected) · ln(actual / expected) over bins, shares floored at PSI_FLOOR."""
    e = np.maximum(np.asarray(expected, float), PSI_FLOOR)
    a = np.maximum(np.asarray(actual, float), PSI_FLOOR)
    return float(((a - e) * np.log(a / e)).sum())


def hosmer_lemeshow(count: np.ndarray, defaults: np.ndarray, pd: np.ndarray) -> tuple[float, float]:
    """Σ (O − nπ)² / (nπ(1 − π)) over groups, and its χ² p-value with groups − 2 degrees."""
    expected = count * pd
    statistic = float(((defaults - expected) ** 2 / (expected * (1 - pd))).sum())
    dof = max(len(count) - 2, 1)
    return statistic, float(stats.chi2.sf(statistic, dof))


def binomial_p(defaults: int, count: int, pd: float) -> float:
    """Two-sided exact binomial test of `defaults` among `count` at probability `pd`."""
    return float(stats.binomtest(int(defaults), int(count), float(pd)).pvalue)
