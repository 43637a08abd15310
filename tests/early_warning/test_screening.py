"""The screen never calls green what the rule itself would raise (so a scan's signals are those
of the rule functions), and it does rule out the plainly green series (so it saves work)."""

import numpy as np
import pytest

from apps.early_warning import analytics, screening

RULES = {
    "threshold": {},
    "sustained": {"periods": 3},
    "zscore": {"window": 5, "amber_z": 2.0, "red_z": 3.0},
}


def _series(rng) -> list[np.ndarray]:
    """Random series with the awkward cases mixed in: short, flat, NaN, ±inf, exact ties."""
    out = []
    for n in range(400):
        length = int(rng.integers(1, 12))
        values = rng.normal(100, 10, length)
        if n % 11 == 0:
            values = rng.normal(128, 3, length)  # held high (sustained, higher is worse)
        if n % 19 == 0:
            values = rng.normal(72, 3, length)  # held low (lower is worse)
        if n % 17 == 0:
            values[:] = 100.0  # flat
        if n % 23 == 0 and length > 1:
            values[int(rng.integers(0, length))] = np.nan
        if n % 29 == 0:
            values[-1] = np.inf
        if n % 13 == 0:
            values[-1] = 120.0  # exactly at amber
        out.append(values)
    return out


def _verdict(kind, values, amber, red, direction):
    params = RULES[kind]
    times = np.arange(len(values), dtype=np.float64)
    return analytics.evaluate_many(
        [(times, values)],
        kind,
        {**params, "amber": amber, "red": red} if kind != "zscore" else params,
        direction,
    )[0]


@pytest.mark.parametrize("kind", list(RULES))
@pytest.mark.parametrize("direction", ["higher_is_worse", "lower_is_worse"])
def test_a_screened_out_series_is_green_by_the_rule_itself(kind, direction):
    rng = np.random.default_rng(7)
    series = _series(rng)
    amber, red = (120.0, 130.0) if direction == "higher_is_worse" else (80.0, 70.0)
    values = np.concatenate(series)
    lengths = np.array([len(s) for s in series])
    ends = np.cumsum(lengths)
    starts = ends - lengths
    n = len(series)
    thresholds = [(amber, red), (None, red), (amber, None)]
    ambers = np.array([np.nan if thresholds[i % 3][0] is None else amber for i in range(n)])
    reds = np.array([np.nan if thresholds[i % 3][1] is None else red for i in range(n)])
    maybe = screening.may_fire(
        kind,
        RULES[kind],
        series=np.arange(n),
        signs=np.full(n, screening.SIGNS[direction]),
        ambers=ambers,
        reds=reds,
        values=values,
        starts=starts,
        ends=ends,
        finite=screening.all_finite(values, starts, ends),
    )
    fired = []
    for i, s in enumerate(series):
        a, r = thresholds[i % 3]
        verdict = _verdict(kind, s, a, r, direction)
        if verdict.triggered:
            fired.append(i)
            assert maybe[i], f"series {i} ({s}) fires {verdict} but was screened out"
    assert fired, "the data should make some series fire"
    # Most series are plainly green: the screen must rule out at least half of them.
    assert (~maybe).sum() >= (n - len(fired)) // 2


def test_series_bounds_and_finiteness():
    numbers = np.array([0, 0, 0, 2, 2])  # series 1 has no points
    starts, ends = screening.bounds(numbers, 3)
    assert starts.tolist() == [0, 3, 3] and ends.tolist() == [3, 3, 5]
    values = np.array([1.0, np.nan, 2.0, 3.0, 4.0])
    assert screening.all_finite(values, starts, ends).tolist() == [False, True, True]
