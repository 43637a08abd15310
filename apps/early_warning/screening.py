"""Which series may fire a rule, decided for many series of one rule kind at once (pure numpy).

A scan evaluates every rule on every series, and ~90 % of the verdicts are green. The screen
answers "could this be amber or red?" for all the series of one rule kind in a few array
operations; only the series it cannot rule out go through the rule's own function in
analytics.py, which gives the verdict, the threshold and the text. So every signal is still
made by exactly the same code (the screen never decides a signal, only skips a green one), and
a screen that is unsure says "maybe": a series with a non-finite value, a flat history (σ = 0),
or a score within `MARGIN` of a threshold (vectorised sums may differ from the 1-D ones in the
last bits).

Inputs are the flat arrays of `selectors.windows()` (sorted by series, then time) with each
series' [start, end) bounds, and one entry per (rule, series) pair to judge: the series number,
the direction's sign (+1 higher is worse, -1 lower is worse) and the amber/red thresholds (NaN:
none). Kinds without a screen return None: evaluate them all.
"""

import numpy as np

MARGIN = 1e-9  # relative to the threshold (at least absolute 1e-9)
SIGNS = {"higher_is_worse": 1.0, "lower_is_worse": -1.0}  # as analytics.py orients values


def bounds(numbers: np.ndarray, n_series: int) -> tuple[np.ndarray, np.ndarray]:
    """[start, end) of every series number 0..n_series-1 in the flat arrays."""
    wanted = np.arange(n_series)
    return np.searchsorted(numbers, wanted, "left"), np.searchsorted(numbers, wanted, "right")


def all_finite(values: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Per series: every value finite (an empty series counts as finite)."""
    bad = np.concatenate(([0], np.cumsum(~np.isfinite(values))))
    return bad[ends] == bad[starts]


def _tail(values: np.ndarray, starts: np.ndarray, ends: np.ndarray, k: int) -> np.ndarray:
    """The last k values of each series as rows (NaN-padded on the left when shorter)."""
    idx = ends[:, None] - k + np.arange(k)[None, :]
    valid = idx >= starts[:, None]
    return np.where(valid, values[np.clip(idx, 0, max(len(values) - 1, 0))], np.nan)


def _at_or_beyond(score: np.ndarray, *levels: np.ndarray) -> np.ndarray:
    """score >= level - margin for any level that is set (NaN levels never match)."""
    hit = np.zeros(score.shape, dtype=bool)
    for level in levels:
        margin = np.maximum(np.abs(level), 1.0) * MARGIN
        with np.errstate(invalid="ignore"):
            hit |= score >= level - margin
    return hit


def may_fire(
    kind: str,
    params: dict,
    *,
    series: np.ndarray,
    signs: np.ndarray,
    ambers: np.ndarray,
    reds: np.ndarray,
    values: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
    finite: np.ndarray,
) -> np.ndarray | None:
    """True where the pair may be amber or red; False where the rule is certainly green."""
    if len(series) == 0:
        return np.zeros(0, dtype=bool)
    s, e = starts[series], ends[series]
    length, unsure = e - s, ~finite[series]
    amber, red = signs * ambers, signs * reds  # oriented: higher is worse
    if kind == "threshold":
        latest = signs * values[np.maximum(e - 1, 0)]
        return unsure | ((length > 0) & _at_or_beyond(latest, amber, red))
    if kind == "sustained":
        periods = int(params["periods"])
        if periods < 1:
            return None  # the rule's own function says why
        least_bad = np.min(signs[:, None] * _tail(values, s, e, periods), axis=1)
        return unsure | ((length >= periods) & _at_or_beyond(least_bad, amber, red))
    if kind == "zscore":
        window = int(params["window"])
        if window < 2:
            return None
        rows = _tail(values, s, e, window + 1)
        history, latest = rows[:, :-1], rows[:, -1]
        n = np.sum(~np.isnan(history), axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.nansum(history, axis=1) / n
            sigma = np.sqrt(np.nansum((history - mean[:, None]) ** 2, axis=1) / (n - 1))
            score = signs * (latest - mean) / sigma
        missing = np.isnan(history)
        flat = np.max(np.where(missing, -np.inf, history), axis=1) == np.min(
            np.where(missing, np.inf, history), axis=1
        )
        levels = [np.full(len(series), np.nan if p is None else float(p)) for p in _z(params)]
        enough = length >= 3
        return unsure | (enough & (flat | _at_or_beyond(score, *levels)))
    return None


def _z(params: dict) -> tuple:
    return params["amber_z"], params["red_z"]
