"""VaR and expected shortfall, and backtesting against realised P&L.

Losses are positive numbers (loss = −P&L). Conventions (docs/assessments.md):
- historical VaR_α is the ⌈nα⌉-th smallest of n losses (the inverted empirical CDF), and ES_α
  the mean of the n − ⌈nα⌉ losses above it (at least the largest one);
- parametric VaR_α = z_α · σ · √h and ES_α = σ · √h · φ(z_α) / (1 − α), mean taken as zero,
  σ the sample standard deviation (n − 1) of the daily portfolio P&L;
- Student-t: VaR_α = s · t_ν⁻¹(α) · √h and ES_α = s · √h · f_ν(q) / (1 − α) · (ν + q²) / (ν − 1)
  with q = t_ν⁻¹(α), mean zero, s the scale fitted by maximum likelihood (ν fitted too unless
  given; a fitted ν is kept within [T_DOF_MIN, T_DOF_MAX]);
- Monte Carlo: correlated normal returns with the sample covariance, seeded, valued linearly.
"""

import contextlib
import math

import numpy as np
from scipy import stats

# Basel traffic light for 250 days at 99%: green up to 4 exceptions, yellow 5 to 9, red 10+.
GREEN_MAX, YELLOW_MAX = 4, 9
MC_CHUNK = 5_000


def portfolio_pnl(exposures: np.ndarray, returns: np.ndarray) -> np.ndarray:
    """Daily P&L of the positions: returns (days × positions) times exposures."""
    return returns @ exposures


def _tail_order(n: int, confidence: float) -> int:
    """⌈nα⌉, guarded against 0.99 × 100 = 98.99999…"""
    return max(1, math.ceil(round(n * confidence, 9)))


def historical_var_es(
    losses: np.ndarray, confidence: float, horizon: int = 1
) -> tuple[float, float]:
    """(VaR, ES) of daily losses, scaled to `horizon` days by √h."""
    ordered = np.sort(losses)
    k = _tail_order(len(ordered), confidence)
    var = ordered[k - 1]
    tail = ordered[k:] if k < len(ordered) else ordered[-1:]
    scale = math.sqrt(horizon)
    return float(var * scale), float(tail.mean() * scale)


def parametric_var_es(sigma: float, confidence: float, horizon: int = 1) -> tuple[float, float]:
    z = stats.norm.ppf(confidence)
    scale = sigma * math.sqrt(horizon)
    return float(z * scale), float(scale * stats.norm.pdf(z) / (1 - confidence))


# Below 2 degrees of freedom the variance is infinite: a daily P&L fitted so is a data problem,
# and ES needs ν > 1. Above 1,000 the t is the normal to many digits.
T_DOF_MIN, T_DOF_MAX = 2.01, 1000.0


def student_t_fit(losses: np.ndarray, dof: float | None = None) -> tuple[float, float]:
    """(ν, scale) of a zero-mean Student-t fitted to the losses by maximum likelihood; with
    `dof` given only the scale is fitted."""
    if dof is not None:
        _, _, scale = stats.t.fit(losses, fix_df=dof, floc=0)
        return float(dof), float(scale)
    fitted, _, scale = stats.t.fit(losses, floc=0)
    if not T_DOF_MIN <= fitted <= T_DOF_MAX:  # refit the scale at the bound
        fitted = min(max(fitted, T_DOF_MIN), T_DOF_MAX)
        _, _, scale = stats.t.fit(losses, fix_df=fitted, floc=0)
    return float(fitted), float(scale)


def student_t_var_es(
    scale: float, dof: float, confidence: float, horizon: int = 1
) -> tuple[float, float]:
    q = stats.t.ppf(confidence, dof)
    tail = stats.t.pdf(q, dof) / (1 - confidence) * (dof + q * q) / (dof - 1)
    root = math.sqrt(horizon)
    return float(scale * q * root), float(scale * tail * root)


def monte_carlo_losses(
    exposures: np.ndarray,
    returns: np.ndarray,
    scenarios: int,
    seed: int,
    covariance: np.ndarray | None = None,
) -> np.ndarray:
    """Simulated one-day losses: zero-mean normal returns with the sample covariance (by a
    Cholesky factor, or eigenvalues when it is singular), the same for a given seed."""
    if covariance is None:
        covariance = np.atleast_2d(np.cov(returns, rowvar=False))
    factor = None
    # with no more days than positions the covariance is singular: straight to eigenvalues
    if returns.shape[0] > returns.shape[1]:
        with contextlib.suppress(np.linalg.LinAlgError):
            factor = np.linalg.cholesky(covariance)
    if factor is None:
        values, vectors = np.linalg.eigh(covariance)
        factor = vectors * np.sqrt(np.clip(values, 0, None))
    # loss = −(Z · Fᵀ) · w = −Z · (Fᵀ w): one vector, drawn in fixed-size chunks (the same
    # stream for a seed whatever the memory; 100,000 × 1,000 draws at once would be 800 MB).
    loading = factor.T @ exposures
    rng = np.random.default_rng(seed)
    out = np.empty(scenarios)
    for start in range(0, scenarios, MC_CHUNK):
        size = min(MC_CHUNK, scenarios - start)
        out[start : start + size] = -(rng.standard_normal((size, len(loading))) @ loading)
    return out


def component_var(
    exposures: np.ndarray,
    returns: np.ndarray,
    confidence: float,
    covariance: np.ndarray | None = None,
) -> np.ndarray:
    """Parametric component VaR of each position: z · w_i (Σw)_i / σ_p (they sum to the VaR)."""
    if covariance is None:
        covariance = np.atleast_2d(np.cov(returns, rowvar=False))
    marginal = covariance @ exposures
    sigma = math.sqrt(max(float(exposures @ marginal), 0.0))
    if sigma == 0:
        return np.zeros_like(exposures, dtype=float)  # no variance, no VaR to share out
    return stats.norm.ppf(confidence) * exposures * marginal / sigma


def backtest(losses: np.ndarray, window: int, days: int, confidence: float) -> np.ndarray:
    """Loss minus the historical VaR from the `window` days before, for each of the last `days`
    days (an exception where positive). Needs window + days losses."""
    start = len(losses) - days
    # the `window` losses before each of those days, one row per day (a view, then one sort)
    rows = np.lib.stride_tricks.sliding_window_view(losses, window)[
        start - window : start - window + days
    ]
    var = np.sort(rows, axis=1)[:, _tail_order(window, confidence) - 1]  # as historical_var_es
    return losses[start:] - var


def kupiec_pof(exceptions: int, days: int, confidence: float) -> tuple[float, float]:
    """Kupiec's proportion-of-failures likelihood ratio and its χ²(1) p-value."""
    x, n = exceptions, days

    def loglik(q: float) -> float:
        return ((n - x) * math.log(1 - q) if n - x else 0.0) + (x * math.log(q) if x else 0.0)

    statistic = max(-2 * (loglik(1 - confidence) - loglik(x / n)), 0.0)
    return statistic, float(stats.chi2.sf(statistic, 1))


def christoffersen_independence(exceptions: np.ndarray) -> tuple[float, float]:
    """Christoffersen's test that an exception does not make the next one likelier: the
    likelihood ratio of a first-order Markov chain against independence, and its χ²(1) p-value.
    """
    hit = np.asarray(exceptions, dtype=bool)
    before, after = hit[:-1], hit[1:]
    n00 = int((~before & ~after).sum())
    n01 = int((~before & after).sum())
    n10 = int((before & ~after).sum())
    n11 = int((before & after).sum())

    def term(count: int, probability: float) -> float:
        return count * math.log(probability) if count else 0.0

    pi0 = n01 / (n00 + n01) if n00 + n01 else 0.0
    pi1 = n11 / (n10 + n11) if n10 + n11 else 0.0
    pi = (n01 + n11) / max(n00 + n01 + n10 + n11, 1)
    independent = term(n00 + n10, 1 - pi) + term(n01 + n11, pi)
    markov = term(n00, 1 - pi0) + term(n01, pi0) + term(n10, 1 - pi1) + term(n11, pi1)
    statistic = max(-2 * (independent - markov), 0.0)
    return statistic, float(stats.chi2.sf(statistic, 1))


def traffic_light(exceptions: int) -> str:
    if exceptions <= GREEN_MAX:
        return "green"
    return "yellow" if exceptions <= YELLOW_MAX else "red"
