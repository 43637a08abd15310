"""Maturity ladder, cumulative gap, an LCR-style coverage ratio and the survival horizon.

- Buckets by days to maturity: ≤1, 2–7, 8–30, 31–90, 91–180, 181–365, >365.
- Coverage = liquid assets × (1 − haircut) ÷ stressed net outflows over 30 days, where stressed
  net outflows = outflows × run-off − min(inflows × inflow rate, 75% of the stressed outflows).
- Survival horizon: the first day on which liquid assets after haircut plus the cumulative
  stressed net flows fall below zero; `horizon` days when they never do within it.
"""

import numpy as np

BUCKET_UPPER_DAYS = np.array([1, 7, 30, 90, 180, 365])  # inclusive; then "over a year"
INFLOW_CAP = 0.75


def bucket_index(days: np.ndarray) -> np.ndarray:
    return np.searchsorted(BUCKET_UPPER_DAYS, days, side="left")


def ladder(days: np.ndarray, inflow: np.ndarray, outflow: np.ndarray) -> tuple[np.ndarray, ...]:
    """(inflow, outflow, gap, cumulative gap) per bucket."""
    index = bucket_index(days)
    k = len(BUCKET_UPPER_DAYS) + 1
    ins = np.bincount(index, weights=inflow, minlength=k)
    outs = np.bincount(index, weights=outflow, minlength=k)
    gap = ins - outs
    return ins, outs, gap, gap.cumsum()


def coverage_ratio(
    liquid_assets: float,
    haircut: float,
    days: np.ndarray,
    inflow: np.ndarray,
    outflow: np.ndarray,
    runoff: float,
    inflow_rate: float,
) -> tuple[float, float, float | None]:
    """(liquid assets after haircut, stressed net outflows over 30 days, ratio or None)."""
    month = days <= 30
    stressed_out = float(outflow[month].sum()) * runoff
    stressed_in = min(float(inflow[month].sum()) * inflow_rate, INFLOW_CAP * stressed_out)
    net = stressed_out - stressed_in
    buffer = liquid_assets * (1 - haircut)
    return buffer, net, (buffer / net if net > 0 else None)


def survival_days(
    liquid_assets: float,
    haircut: float,
    days: np.ndarray,
    inflow: np.ndarray,
    outflow: np.ndarray,
    runoff: float,
    inflow_rate: float,
    horizon: int,
) -> int:
    net_by_day = np.bincount(
        np.minimum(days, horizon + 1).astype(int),
        weights=inflow * inflow_rate - outflow * runoff,
        minlength=horizon + 2,
    )[: horizon + 1]
    position = liquid_assets * (1 - haircut) + net_by_day.cumsum()
    short = np.flatnonzero(position < 0)
    return int(short[0]) if len(short) else horizon


def hhi(amounts: np.ndarray, groups: np.ndarray) -> float:
    """Herfindahl-Hirschman index of `amounts` by group: Σ share², 0 to 1."""
    _, inverse = np.unique(groups, return_inverse=True)
    totals = np.bincount(inverse, weights=amounts)
    shares = totals / totals.sum()
    return float((shares**2).sum())
