"""Pure early-warning rules: crafted series, both directions, boundaries, no database."""

import dataclasses
import math
import time

import numpy as np
import pytest

from apps.early_warning import analytics as a
from apps.early_warning.series_split import split_series

HI, LO = "higher_is_worse", "lower_is_worse"
NAN, INF = float("nan"), float("inf")
DAY = 86_400.0


def arr(*xs: float) -> np.ndarray:
    return np.array(xs, dtype=np.float64)


# -- Evaluation ---------------------------------------------------------------------------------


def test_evaluation_is_frozen_and_knows_if_triggered():
    e = a.Evaluation("amber", 1.0, 2.0, "x")
    assert e.triggered
    assert not a.Evaluation("green", None, None, "").triggered
    with pytest.raises(dataclasses.FrozenInstanceError):
        e.severity = "red"


def test_unknown_direction_is_refused():
    with pytest.raises(a.AnalyticsError):
        a.threshold_breach(arr(1), amber=1, red=2, direction="sideways")


# -- threshold breach ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("latest", "severity", "threshold"),
    [(95, "red", 90), (90, "red", 90), (85, "amber", 80), (80, "amber", 80), (79.9, "green", 80)],
)
def test_threshold_higher_is_worse(latest, severity, threshold):
    e = a.threshold_breach(arr(10, 20, latest), amber=80, red=90, direction=HI)
    assert (e.severity, e.observed, e.threshold) == (severity, latest, threshold)


@pytest.mark.parametrize(
    ("latest", "severity", "threshold"),
    [
        (0.9, "red", 1.0),
        (1.0, "red", 1.0),
        (1.05, "amber", 1.2),
        (1.2, "amber", 1.2),
        (1.3, "green", 1.2),
    ],
)
def test_threshold_lower_is_worse_coverage_ratio_falling(latest, severity, threshold):
    e = a.threshold_breach(arr(1.5, 1.4, latest), amber=1.2, red=1.0, direction=LO)
    assert (e.severity, e.observed, e.threshold) == (severity, latest, threshold)
    if e.triggered:
        assert "<=" in e.detail


def test_threshold_either_level_may_be_missing():
    assert a.threshold_breach(arr(85), amber=None, red=90, direction=HI).threshold == 90
    assert a.threshold_breach(arr(95), amber=None, red=90, direction=HI).severity == "red"
    only_amber = a.threshold_breach(arr(1000), amber=80, red=None, direction=HI)
    assert (only_amber.severity, only_amber.threshold) == ("amber", 80)
    none = a.threshold_breach(arr(1000), amber=None, red=None, direction=HI)
    assert (none.severity, none.threshold) == ("green", None)


def test_threshold_ignores_non_finite_and_empty():
    assert a.threshold_breach(arr(95, NAN, INF), amber=80, red=90, direction=HI).observed == 95
    for values in (arr(), arr(NAN, -INF), []):
        e = a.threshold_breach(values, amber=80, red=90, direction=HI)
        assert (e.severity, e.observed, e.detail) == ("green", None, "no data")


# -- sustained breach ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "severity"),
    [
        ((10, 85, 82, 81), "amber"),
        ((10, 95, 92, 91), "red"),
        ((10, 95, 85, 91), "amber"),  # one value only amber: the tail is amber, not red
        ((10, 85, 79, 81), "green"),  # one value back under: not sustained
        ((95, 10, 80, 80, 80), "amber"),  # exactly at the threshold counts
        ((99, 99, 85, NAN, 86, 87), "amber"),  # the NaN is skipped, not a break
    ],
)
def test_sustained_higher_is_worse(values, severity):
    e = a.sustained_breach(arr(*values), amber=80, red=90, direction=HI, periods=3)
    assert e.severity == severity
    assert e.observed == values[-1]


@pytest.mark.parametrize(
    ("values", "severity", "threshold"),
    [
        ((1.5, 0.95, 0.9, 1.0), "red", 1.0),
        ((1.5, 1.1, 0.9, 0.99), "amber", 1.2),
        ((0.5, 0.5, 1.3), "green", 1.2),
    ],
)
def test_sustained_lower_is_worse(values, severity, threshold):
    e = a.sustained_breach(arr(*values), amber=1.2, red=1.0, direction=LO, periods=3)
    assert (e.severity, e.threshold) == (severity, threshold)


def test_sustained_needs_enough_periods():
    e = a.sustained_breach(arr(95, NAN, 95), amber=80, red=90, direction=HI, periods=3)
    assert (e.severity, e.observed) == ("green", 95)
    assert "2 of 3" in e.detail
    assert a.sustained_breach(arr(), amber=80, red=90, direction=HI, periods=1).observed is None
    with pytest.raises(a.AnalyticsError):
        a.sustained_breach(arr(1), amber=80, red=90, direction=HI, periods=0)


# -- rate of change -----------------------------------------------------------------------------


def roc(times, values, direction=HI, window=5 * DAY, amber=8.0, red=20.0):
    return a.rate_of_change(
        np.asarray(times, dtype=float),
        np.asarray(values, dtype=float),
        window_seconds=window,
        amber_pct=amber,
        red_pct=red,
        direction=direction,
    )


def test_rate_of_change_slow_drift_is_amber():
    days = np.arange(11.0)
    e = roc(days * DAY, 100 + 2 * days)  # 110 five days ago, 120 now: +9.09 %
    assert e.severity == "amber"
    assert e.observed == 120
    assert e.threshold == pytest.approx(110 * 1.08)
    assert "+9.091%" in e.detail


def test_rate_of_change_baseline_is_the_last_point_at_or_before_the_window_start():
    # window start is t=15: the baseline is t=10 (105), not t=0 or t=20
    e = roc([0, 10, 20, 30], [100, 105, 110, 130], window=15)
    assert e.severity == "red"  # 100 * 25 / 105 = 23.8 %
    assert e.threshold == pytest.approx(105 * 1.2)
    # a point exactly at the window start is the baseline
    assert roc([0, 10, 20], [50, 100, 125], window=10).detail.startswith("change +25%")


def test_rate_of_change_exactly_at_threshold_breaches():
    e = roc([0, 10], [100, 120], window=10, amber=20, red=30)
    assert (e.severity, e.threshold) == ("amber", 120)


def test_rate_of_change_only_worsening_counts():
    assert roc([0, 10], [100, 50], window=10).severity == "green"
    assert roc([0, 10], [100, 130], window=10, direction=LO).severity == "green"


def test_rate_of_change_lower_is_worse_falling():
    e = roc([0, 10], [100, 75], window=10, direction=LO)
    assert (e.severity, e.observed, e.threshold) == ("red", 75, 80)
    assert roc([0, 10], [100, 90], window=10, direction=LO).severity == "amber"


def test_rate_of_change_negative_baseline_uses_its_magnitude():
    assert roc([0, 10], [-100, -50], window=10).severity == "red"  # rose by 50 % of |base|
    assert roc([0, 10], [-100, -150], window=10).severity == "green"


def test_rate_of_change_without_a_usable_baseline():
    zero = roc([0, 10], [0, 5], window=10)
    assert (zero.severity, zero.observed) == ("green", 5)
    assert "baseline is zero" in zero.detail
    young = roc([0, 10], [100, 500], window=11)
    assert young.severity == "green"
    assert "no observation" in young.detail
    assert roc([], []).detail == "no data"
    assert roc([0], [100]).severity == "green"


def test_rate_of_change_skips_non_finite_points():
    # the NaN at the window start is dropped, so the baseline falls back to t=0
    e = roc([0, 10, 20], [100, NAN, 125], window=10)
    assert e.detail.startswith("change +25%")
    with pytest.raises(a.AnalyticsError):
        roc([0, 10], [1, 2], window=0)
    with pytest.raises(a.AnalyticsError):
        roc([0, 10], [1], window=10)


# -- z-score ------------------------------------------------------------------------------------


def z(values, direction=HI, window=30, amber=2.0, red=3.0):
    return a.zscore_anomaly(
        arr(*values), window=window, amber_z=amber, red_z=red, direction=direction
    )


NOISY = [99.0, 101.0] * 15  # mean 100, sample sigma sqrt(30/29)


def test_zscore_spike_on_noisy_flat_series_is_red():
    sigma = math.sqrt(30 / 29)
    e = z([*NOISY, 110])
    assert e.severity == "red"
    assert e.threshold == pytest.approx(100 + 3 * sigma)
    assert e.detail == f"z={10 / sigma:.3g} over 30 points"
    assert z([*NOISY, 102.5]).severity == "amber"
    assert z([*NOISY, 101]).severity == "green"


def test_zscore_boundaries_are_breaches():
    # history 0, 2, 4: mean 2, sample sigma 2 exactly
    assert (z([0, 2, 4, 6]).severity, z([0, 2, 4, 6]).threshold) == ("amber", 6)
    assert (z([0, 2, 4, 8]).severity, z([0, 2, 4, 8]).threshold) == ("red", 8)


def test_zscore_lower_is_worse():
    assert z([0, 2, 4, -2], direction=LO).severity == "amber"
    assert z([0, 2, 4, -2], direction=LO).threshold == -2
    assert z([0, 2, 4, 8], direction=LO).severity == "green"
    assert z([*NOISY, 90], direction=LO).severity == "red"


def test_zscore_window_excludes_latest_and_older_points():
    assert z([1000, 0, 2, 4, 8], window=3).severity == "red"
    assert z([1000, 0, 2, 4, 8], window=4).severity == "green"


def test_zscore_flat_history():
    flat = [0.1] * 30
    spike = z([*flat, 0.2])
    assert (spike.severity, spike.threshold) == ("red", 0.1)
    assert spike.detail.startswith("z=inf")
    assert z([*flat, 0.1]).severity == "green"
    assert z([*flat, 0.0]).severity == "green"  # improving
    assert z([*flat, 0.0], direction=LO).severity == "red"


def test_zscore_short_and_non_finite():
    assert z([1, 2]).severity == "green"
    assert "need 3" in z([1, 2]).detail
    assert z([]).observed is None
    assert z([0, NAN, 2, 4, INF, 8], window=3).severity == "red"
    with pytest.raises(a.AnalyticsError):
        z([1, 2, 3], window=1)


# -- EWMA ---------------------------------------------------------------------------------------


def ewma_reference(x, alpha):
    """The textbook online recursion, one point at a time (reference only)."""
    m, s = x[0], 0.0
    for xi in x[1:]:
        new = (1 - alpha) * m + alpha * xi
        s = (1 - alpha) * (s + (m - new) ** 2) + alpha * (xi - new) ** 2
        m = new
    return m, math.sqrt(s)


@pytest.mark.parametrize("alpha", [0.05, 0.3, 1.0])
def test_ewma_closed_form_matches_the_recursion(alpha):
    x = np.random.default_rng(7).normal(50, 5, 500)
    mean, sigma = a.ewma_stats(x, alpha)
    ref_mean, ref_sigma = ewma_reference(x, alpha)
    assert mean == pytest.approx(ref_mean, rel=1e-12)
    assert sigma == pytest.approx(ref_sigma, rel=1e-9, abs=1e-12)
    assert a.ewma_weights(500, alpha).sum() == pytest.approx(1.0)


def test_ewma_long_series_does_not_overflow():
    x = np.random.default_rng(1).normal(0, 1, 200_000)
    mean, sigma = a.ewma_stats(x, 0.01)
    assert math.isfinite(mean) and math.isfinite(sigma)
    assert mean == pytest.approx(ewma_reference(x[-20_000:], 0.01)[0], abs=1e-9)


def ew(values, direction=HI, alpha=0.3, warmup=10):
    return a.ewma_anomaly(
        arr(*values), alpha=alpha, amber_k=2.0, red_k=3.0, direction=direction, warmup=warmup
    )


def test_ewma_spike_both_directions():
    mean, sigma = a.ewma_stats(arr(*NOISY), 0.3)
    e = ew([*NOISY, 110])
    assert e.severity == "red"
    assert e.threshold == pytest.approx(mean + 3 * sigma)
    assert e.detail.startswith(f"k={(110 - mean) / sigma:.3g} over EWMA a=0.3, 30 points")
    assert ew([*NOISY, 110], direction=LO).severity == "green"
    assert ew([*NOISY, 90], direction=LO).severity == "red"
    assert ew([*NOISY, 100]).severity == "green"


def test_ewma_follows_a_level_shift_that_zscore_does_not():
    # 50 points around 100, then 10 around 120: the EWMA has moved on, a 60-point mean has not
    shifted = [*[99.0, 101.0] * 25, *[119.0, 121.0] * 5, 121.0]
    assert ew(shifted).severity == "green"
    assert z(shifted, window=60).severity == "amber"


def test_ewma_warmup_flat_and_non_finite():
    assert "warming up: 9 of 10" in ew([1.0] * 9 + [5.0]).detail
    assert ew([1.0] * 10 + [5.0]).severity == "red"  # flat history, worse value: k=inf
    assert ew([1.0, NAN] * 10 + [1.0]).severity == "green"
    assert ew([]).observed is None
    with pytest.raises(a.AnalyticsError):
        ew([1, 2, 3], alpha=0)


# -- missing data -------------------------------------------------------------------------------


def test_missing_data():
    never = a.missing_data(None, 1000.0, stale_after_seconds=3600)
    assert (never.severity, never.observed, never.detail) == ("red", None, "never reported")
    assert a.missing_data(NAN, 1000.0, stale_after_seconds=3600).severity == "red"
    at_limit = a.missing_data(0.0, 3600.0, stale_after_seconds=3600)
    assert (at_limit.severity, at_limit.observed, at_limit.threshold) == ("green", 3600, 3600)
    assert a.missing_data(0.0, 3601.0, stale_after_seconds=3600).severity == "red"
    assert a.missing_data(0.0, 10.0, stale_after_seconds=3600).severity == "green"


# -- dynamic thresholds -------------------------------------------------------------------------


def test_dynamic_mean_sigma_by_hand():
    # last 5: 8, 8, 10, 12, 12 -> mean 10, squared deviations 16, sample variance 16/4 = 4
    values = arr(1000, -1000, 8, 8, NAN, 10, 12, 12)
    kw = {"method": "mean_sigma", "window": 5, "k_amber": 2.0, "k_red": 3.0}
    assert a.dynamic_thresholds(values, direction=HI, **kw) == (14.0, 16.0)
    assert a.dynamic_thresholds(values, direction=LO, **kw) == (6.0, 4.0)


def test_dynamic_percentile_by_hand():
    values = np.arange(1.0, 12.0)  # 1..11: the p-th percentile is 1 + p / 10 (linear)
    kw = {"method": "percentile", "window": 20, "pct_amber": 90.0, "pct_red": 99.0}
    assert a.dynamic_thresholds(values, direction=HI, **kw) == pytest.approx((10.0, 10.9))
    assert a.dynamic_thresholds(values, direction=LO, **kw) == pytest.approx((2.0, 1.1))


def test_dynamic_thresholds_need_five_points():
    kw = {"method": "percentile", "window": 10, "direction": HI}
    assert a.dynamic_thresholds(arr(1, 2, 3, 4, NAN), **kw) == (None, None)
    assert a.dynamic_thresholds(arr(), **kw) == (None, None)
    with pytest.raises(a.AnalyticsError):
        a.dynamic_thresholds(arr(1, 2, 3, 4, 5), method="median", window=10, direction=HI)
    with pytest.raises(a.AnalyticsError):
        a.dynamic_thresholds(arr(1, 2, 3, 4, 5), method="percentile", window=4, direction=HI)


# -- split_series and evaluate_many -------------------------------------------------------------


def test_split_series_three_interleaved_keys():
    t = np.arange(30.0)
    keys = np.array([7, 42, 3] * 10)  # interleaved as ingested
    values = keys * 1000 + t
    order = np.lexsort((t, keys))  # what ORDER BY key, time returns
    sorted_times = t[order]
    parts = split_series(keys[order], sorted_times, values[order])
    assert [k for k, _, _ in parts] == [3, 7, 42]
    for (key, times, vals), offset in zip(parts, (2, 0, 1), strict=True):
        assert isinstance(key, int)
        np.testing.assert_array_equal(times, np.arange(offset, 30, 3.0))
        np.testing.assert_array_equal(vals, key * 1000 + times)
    assert np.shares_memory(parts[1][1], sorted_times)  # views, not copies


def test_split_series_composite_keys_and_errors():
    keys = np.array([[1, 1], [1, 1], [1, 2], [2, 1]])
    parts = split_series(keys, arr(0, 1, 0, 0), arr(5, 6, 7, 8))
    assert [(k, v.tolist()) for k, _, v in parts] == [
        ((1, 1), [5, 6]),
        ((1, 2), [7]),
        ((2, 1), [8]),
    ]
    assert split_series(np.array([], dtype=int), arr(), arr()) == []
    with pytest.raises(a.AnalyticsError, match="grouped"):
        split_series(np.array([1, 2, 1]), arr(0, 0, 1), arr(0, 0, 0))
    with pytest.raises(a.AnalyticsError, match="ascending"):
        split_series(np.array([1, 1, 2]), arr(5, 4, 0), arr(0, 0, 0))
    with pytest.raises(a.AnalyticsError, match="same length"):
        split_series(np.array([1, 1]), arr(0), arr(0, 1))


def test_evaluate_many_dispatches_by_rule_kind():
    series = [(arr(0, 1, 2), arr(50, 85, 95)), (arr(), arr()), (arr(0, 5), arr(1, NAN))]
    got = a.evaluate_many(series, "threshold", {"amber": 80, "red": 90}, HI)
    assert [e.severity for e in got] == ["red", "green", "green"]
    stale = a.evaluate_many(series, "missing_data", {"now": 100.0, "stale_after_seconds": 60}, HI)
    assert [(e.severity, e.observed) for e in stale] == [
        ("red", 98.0),
        ("red", None),
        ("red", 100.0),
    ]
    assert sorted(a.RULES) == sorted(
        ["threshold", "sustained", "rate_of_change", "zscore", "ewma", "missing_data"]
    )
    with pytest.raises(a.AnalyticsError):
        a.evaluate_many(series, "magic", {}, HI)


def test_evaluate_many_thousand_by_thousand():
    n_series, n_points = 1000, 1000
    rng = np.random.default_rng(0)
    values = 100 + rng.normal(0, 1, (n_series, n_points))
    values[0, -1] = 120  # spike up
    values[1, -1] = 80  # spike down
    values[2, -5:] = 130  # sustained
    values[3, ::7] = np.nan
    times = np.tile(np.arange(n_points) * 60.0, n_series)
    keys = np.repeat(np.arange(n_series), n_points)

    started = time.perf_counter()
    series = [(t, v) for _, t, v in split_series(keys, times, values.ravel())]
    split_done = time.perf_counter()
    rules = {
        "threshold": {"amber": 110, "red": 125},
        "sustained": {"amber": 110, "red": 125, "periods": 3},
        "rate_of_change": {"window_seconds": 3600, "amber_pct": 10, "red_pct": 15},
        "zscore": {"window": 500, "amber_z": 3, "red_z": 5},
        "ewma": {"alpha": 0.05, "amber_k": 3, "red_k": 5, "warmup": 20},
        "missing_data": {"now": n_points * 60.0, "stale_after_seconds": 120},
    }
    results, timings = {}, {}
    for rule, params in rules.items():
        t0 = time.perf_counter()
        results[rule] = a.evaluate_many(series, rule, params, HI)
        timings[rule] = time.perf_counter() - t0
    low = a.evaluate_many(series, "zscore", rules["zscore"], LO)
    total = time.perf_counter() - started
    print(
        f"\n1000x1000: split {1000 * (split_done - started):.1f} ms; "
        + ", ".join(f"{r} {1000 * s:.1f} ms" for r, s in timings.items())
        + f"; total {1000 * total:.1f} ms"
    )

    assert all(len(r) == n_series for r in results.values())
    assert [results["threshold"][i].severity for i in range(3)] == ["amber", "green", "red"]
    assert results["sustained"][2].severity == "red"
    assert results["sustained"][0].severity == "green"
    assert results["rate_of_change"][0].severity == "red"
    assert [results["zscore"][i].severity for i in range(3)] == ["red", "green", "red"]
    assert [results["ewma"][i].severity for i in range(2)] == ["red", "green"]
    assert (low[0].severity, low[1].severity) == ("green", "red")
    assert results["zscore"][3].detail.endswith("over 500 points")
    assert all(e.severity == "green" for e in results["missing_data"])
