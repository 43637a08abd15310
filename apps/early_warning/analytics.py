"""Pure, vectorised early-warning rules for key risk indicators (no ORM, no Django here).

A series is one indicator for one dimension combination: `times` (float64 seconds since the
epoch, ascending) and `values` (float64). Selectors read the arrays, these functions judge them,
services turn an `Evaluation` into a warning signal.

Conventions shared by every rule:
- `direction` is "higher_is_worse" or "lower_is_worse". Each rule is written once for "higher is
  worse": values and thresholds are multiplied by the direction's sign (+1 / -1) on the way in,
  and reported thresholds are mapped back to the indicator's own units on the way out.
- Severity is "green" < "amber" < "red". A value exactly at a threshold is a breach (>=).
- Non-finite values (NaN, ±inf) are ignored, as if never reported; empty or too-short series
  give green with a `detail` saying why, never an exception.
- `Evaluation.observed` is the latest finite value and `Evaluation.threshold` the threshold
  crossed (or, when green, the nearest one), both in the indicator's units: for statistical
  rules the threshold is the value level at which the rule fires (e.g. mean + 3σ), so a signal
  can always show "observed vs threshold".
- Python loops run over series (in `evaluate_many`), never over the values of a series.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

Severity = Literal["green", "amber", "red"]
Direction = Literal["higher_is_worse", "lower_is_worse"]

_SIGN = {"higher_is_worse": 1.0, "lower_is_worse": -1.0}
MIN_CALIBRATION_POINTS = 5


class AnalyticsError(ValueError):
    """A rule was called with unusable parameters; the message says which."""


@dataclass(frozen=True)
class Evaluation:
    """The verdict of one rule on one series."""

    severity: Severity
    observed: float | None
    threshold: float | None
    detail: str

    @property
    def triggered(self) -> bool:
        return self.severity != "green"


# -- helpers ------------------------------------------------------------------------------------


def _sign(direction: str) -> float:
    try:
        return _SIGN[direction]
    except KeyError:
        raise AnalyticsError(f"Unknown direction {direction!r}.") from None


def _finite(values: Any) -> np.ndarray:
    """The finite values of a 1-D series, as float64."""
    v = np.asarray(values, dtype=np.float64).reshape(-1)
    return v[np.isfinite(v)]


def _finite_pairs(times: Any, values: Any) -> tuple[np.ndarray, np.ndarray]:
    t = np.asarray(times, dtype=np.float64).reshape(-1)
    v = np.asarray(values, dtype=np.float64).reshape(-1)
    if t.shape != v.shape:
        raise AnalyticsError("times and values must have the same length.")
    keep = np.isfinite(t) & np.isfinite(v)
    return t[keep], v[keep]


def _orient(threshold: float | None, sign: float) -> float | None:
    return None if threshold is None else sign * float(threshold)


def _grade(score: float, amber: float | None, red: float | None) -> tuple[Severity, float | None]:
    """Severity of an oriented score (higher is worse), and the threshold crossed or nearest."""
    if red is not None and score >= red:
        return "red", red
    if amber is not None and score >= amber:
        return "amber", amber
    return "green", amber if amber is not None else red


def _no_signal(detail: str, observed: float | None = None) -> Evaluation:
    return Evaluation("green", observed, None, detail)


def _fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:.4g}"


def _standardise(deviation: float, sigma: float) -> float:
    """deviation / sigma; a zero sigma gives ±inf (any change from a flat history is extreme)."""
    if sigma > 0:
        return deviation / sigma
    return float(np.sign(deviation)) * np.inf if deviation else 0.0


# -- static thresholds --------------------------------------------------------------------------


def threshold_breach(
    values: Any, *, amber: float | None, red: float | None, direction: str
) -> Evaluation:
    """Static threshold on the latest value: the plain "is it bad right now" check.

    Red if the latest finite value is at or beyond `red`, else amber if at or beyond `amber`.
    Either threshold may be None (that level is never raised).
    """
    s, v = _sign(direction), _finite(values)
    if v.size == 0:
        return _no_signal("no data")
    latest = float(v[-1])
    severity, thr = _grade(s * latest, _orient(amber, s), _orient(red, s))
    threshold = None if thr is None else s * thr
    op = ">=" if s > 0 else "<="
    detail = (
        f"{_fmt(latest)} {op} {severity} {_fmt(threshold)}"
        if severity != "green"
        else f"{_fmt(latest)} within thresholds"
    )
    return Evaluation(severity, latest, threshold, detail)


def sustained_breach(
    values: Any, *, amber: float | None, red: float | None, direction: str, periods: int
) -> Evaluation:
    """Threshold breach held for `periods` consecutive observations: filters one-off spikes.

    Red only if each of the last `periods` finite values is at or beyond `red`; amber if each is at
    or beyond `amber`. Equivalently: the least bad value of that tail is graded.
    """
    if periods < 1:
        raise AnalyticsError("periods must be at least 1.")
    s, v = _sign(direction), _finite(values)
    if v.size < periods:
        return _no_signal(f"{v.size} of {periods} periods", float(v[-1]) if v.size else None)
    least_bad = float((s * v[-periods:]).min())
    severity, thr = _grade(least_bad, _orient(amber, s), _orient(red, s))
    threshold = None if thr is None else s * thr
    held = f"all at or beyond {severity}" if severity != "green" else "not all at or beyond"
    return Evaluation(
        severity, float(v[-1]), threshold, f"last {periods} values {held} {_fmt(threshold)}"
    )


# -- rate of change -----------------------------------------------------------------------------


def rate_of_change(
    times: Any,
    values: Any,
    *,
    window_seconds: float,
    amber_pct: float | None,
    red_pct: float | None,
    direction: str,
) -> Evaluation:
    """Relative worsening over a time window: catches fast deterioration before a level is hit.

    change% = 100 * (latest - baseline) / |baseline|, the baseline being the last observation at
    or before latest_time - window_seconds. Only the worsening direction counts (a rise for
    higher_is_worse, a fall for lower_is_worse); thresholds are positive percentages (20 = 20 %).
    A zero baseline, or no observation that old, gives no signal. The reported threshold is the
    value level that the percentage means: baseline ± |baseline| * pct / 100.
    """
    if not window_seconds > 0:
        raise AnalyticsError("window_seconds must be positive.")
    s = _sign(direction)
    t, v = _finite_pairs(times, values)
    if v.size == 0:
        return _no_signal("no data")
    latest = float(v[-1])
    i = int(np.searchsorted(t, t[-1] - window_seconds, side="right")) - 1
    if i < 0:
        return _no_signal(f"no observation {window_seconds:g}s before the latest", latest)
    base = float(v[i])
    if base == 0:
        return _no_signal("baseline is zero: relative change undefined", latest)
    change = 100.0 * (latest - base) / abs(base)
    severity, pct = _grade(s * change, amber_pct, red_pct)
    level = None if pct is None else base + s * abs(base) * pct / 100.0
    return Evaluation(
        severity, latest, level, f"change {change:+.4g}% over {window_seconds:g}s from {_fmt(base)}"
    )


# -- statistical anomalies ----------------------------------------------------------------------


def _anomaly(
    latest: float,
    centre: float,
    sigma: float,
    *,
    amber: float | None,
    red: float | None,
    sign: float,
    label: str,
    basis: str,
) -> Evaluation:
    """Grade a standardised deviation (one-sided, worsening only) and report it in value units."""
    score = _standardise(sign * (latest - centre), sigma)
    severity, k = _grade(score, amber, red)
    level = None if k is None else centre + sign * k * sigma
    return Evaluation(severity, latest, level, f"{label}={score:.3g} over {basis}")


def zscore_anomaly(
    values: Any, *, window: int, amber_z: float | None, red_z: float | None, direction: str
) -> Evaluation:
    """Latest value against the mean and sample σ (ddof=1) of the `window` values before it.

    Flags statistically unusual values even when no static threshold is set. One-sided: only a
    deviation in the worsening direction counts. Needs 3 finite points (the latest plus 2 of
    history). A perfectly flat history (σ = 0) gives z = ±inf as soon as the latest value differs
    from it, so any worsening change is red; an unchanged value is z = 0.
    """
    if window < 2:
        raise AnalyticsError("window must be at least 2.")
    s, v = _sign(direction), _finite(values)
    if v.size < 3:
        return _no_signal(f"{v.size} points, need 3", float(v[-1]) if v.size else None)
    history, latest = v[-window - 1 : -1], float(v[-1])
    if history.min() == history.max():
        mean, sigma = float(history[0]), 0.0
    else:
        mean, sigma = float(history.mean()), float(history.std(ddof=1))
    return _anomaly(
        latest,
        mean,
        sigma,
        amber=amber_z,
        red=red_z,
        sign=s,
        label="z",
        basis=f"{history.size} points",
    )


def ewma_weights(n: int, alpha: float) -> np.ndarray:
    """Weights w (summing to 1) with EWMA(x) = w @ x for the recursion m_t = a x_t + (1-a) m_(t-1),
    m_0 = x_0: w_0 = (1-a)^(n-1), w_i = a (1-a)^(n-1-i). Powers fall towards the oldest point, so
    long series underflow harmlessly to 0 instead of overflowing."""
    w = alpha * (1.0 - alpha) ** np.arange(n - 1, -1, -1, dtype=np.float64)
    w[0] = (1.0 - alpha) ** (n - 1)
    return w


def ewma_stats(history: np.ndarray, alpha: float) -> tuple[float, float]:
    """(EWMA, EW σ) at the end of a finite, non-empty history, by the closed form: mean = w @ x,
    variance = w @ (x - mean)^2 with `ewma_weights`. This equals the usual online recursion
    m' = (1-a) m + a x, S' = (1-a) (S + (m - m')^2) + a (x - m')^2 (tested), the definition
    behind pandas' ewm(alpha, adjust=False) mean and var(bias=True). A flat history is exactly
    (x_0, 0)."""
    if history.min() == history.max():
        return float(history[0]), 0.0
    w = ewma_weights(history.size, alpha)
    mean = float(w @ history)
    return mean, float(np.sqrt(w @ (history - mean) ** 2))


def ewma_anomaly(
    values: Any,
    *,
    alpha: float,
    amber_k: float | None,
    red_k: float | None,
    direction: str,
    warmup: int,
) -> Evaluation:
    """Latest value against the EWMA of the values before it, in units of the EW σ.

    Like the z-score, but recent history weighs more, so the baseline follows a drifting level.
    Implementation (O(n), no Python loop): closed-form weights over the whole history, see
    `ewma_stats` (weights of points far older than 1/a simply underflow to 0). `warmup` is the
    minimum number of history points (at least 2) before the rule speaks. One-sided; a flat
    history (σ = 0) behaves as in `zscore_anomaly`.
    """
    if not 0 < alpha <= 1:
        raise AnalyticsError("alpha must be in (0, 1].")
    s, v = _sign(direction), _finite(values)
    history, need = v[:-1], max(warmup, 2)
    if history.size < need:
        return _no_signal(
            f"warming up: {history.size} of {need} points", float(v[-1]) if v.size else None
        )
    mean, sigma = ewma_stats(history, alpha)
    return _anomaly(
        float(v[-1]),
        mean,
        sigma,
        amber=amber_k,
        red=red_k,
        sign=s,
        label="k",
        basis=f"EWMA a={alpha:g}, {history.size} points",
    )


# -- missing data -------------------------------------------------------------------------------


def missing_data(last_time: float | None, now: float, *, stale_after_seconds: float) -> Evaluation:
    """Red when the series has been silent for longer than `stale_after_seconds` (strictly more),
    or never reported at all (last_time None or NaN): a feed that stops is itself a risk, and
    every other rule would stay quietly green on stale data. Otherwise green; no amber level.
    `observed` is the age in seconds, `threshold` the limit."""
    if last_time is None or not np.isfinite(last_time):
        return Evaluation("red", None, float(stale_after_seconds), "never reported")
    age = float(now - last_time)
    limit = float(stale_after_seconds)
    severity: Severity = "red" if age > limit else "green"
    return Evaluation(severity, age, limit, f"last report {age:g}s ago (limit {limit:g}s)")


# -- dynamic thresholds -------------------------------------------------------------------------


def dynamic_thresholds(
    values: Any,
    *,
    method: str,
    window: int,
    direction: str,
    k_amber: float = 2.0,
    k_red: float = 3.0,
    pct_amber: float = 90.0,
    pct_red: float = 99.0,
) -> tuple[float | None, float | None]:
    """Recalibrated (amber, red) thresholds from the last `window` finite values.

    "mean_sigma": mean ± k·σ (sample σ, ddof=1), + for higher_is_worse, − for lower_is_worse.
    "percentile": the pct-th percentile (linear interpolation) for higher_is_worse, mirrored to
    the (100 − pct)-th for lower_is_worse, so pct 90/99 become the 10th/1st. Percentages are
    always given in "higher is worse" terms. (None, None) with fewer than 5 points.
    """
    if window < MIN_CALIBRATION_POINTS:
        raise AnalyticsError(f"window must be at least {MIN_CALIBRATION_POINTS}.")
    s, v = _sign(direction), _finite(values)[-window:]
    if v.size < MIN_CALIBRATION_POINTS:
        return None, None
    x = s * v
    if method == "mean_sigma":
        mean, sigma = x.mean(), x.std(ddof=1)
        amber, red = mean + k_amber * sigma, mean + k_red * sigma
    elif method == "percentile":
        amber, red = np.percentile(x, [pct_amber, pct_red])
    else:
        raise AnalyticsError(f"Unknown method {method!r}.")
    return float(s * amber), float(s * red)


# -- batch helpers ------------------------------------------------------------------------------

Series = tuple[np.ndarray, np.ndarray]

_RULES: dict[str, Callable[[np.ndarray, np.ndarray, dict, str], Evaluation]] = {
    "threshold": lambda t, v, p, d: threshold_breach(v, direction=d, **p),
    "sustained": lambda t, v, p, d: sustained_breach(v, direction=d, **p),
    "rate_of_change": lambda t, v, p, d: rate_of_change(t, v, direction=d, **p),
    "zscore": lambda t, v, p, d: zscore_anomaly(v, direction=d, **p),
    "ewma": lambda t, v, p, d: ewma_anomaly(v, direction=d, **p),
    "missing_data": lambda t, v, p, d: missing_data(_last_time(t, v), **p),
}
RULES = tuple(_RULES)


def _last_time(times: np.ndarray, values: np.ndarray) -> float | None:
    t, _ = _finite_pairs(times, values)
    return float(t[-1]) if t.size else None


def evaluate_many(
    series: list[Series], rule: str, params: dict[str, Any], direction: str
) -> list[Evaluation]:
    """Apply one rule (a RuleKind value: threshold, sustained, rate_of_change, zscore, ewma,
    missing_data) with the same keyword params to many (times, values) series, in order.

    The loop is over series only; each evaluation is vectorised within its series. For
    "missing_data" the series' last finite observation is the last report and params carry
    `now` and `stale_after_seconds`.
    """
    try:
        apply = _RULES[rule]
    except KeyError:
        raise AnalyticsError(f"Unknown rule {rule!r}; expected one of {RULES}.") from None
    _sign(direction)
    return [apply(t, v, params, direction) for t, v in series]
