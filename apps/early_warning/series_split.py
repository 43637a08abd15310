"""One long array of observations, as one SQL query returns it, split into its series (pure
numpy, no ORM; split from analytics.py, which holds the rules that judge each series)."""

from typing import Any

import numpy as np

from apps.early_warning.analytics import AnalyticsError


def split_series(
    keys: np.ndarray, times: np.ndarray, values: np.ndarray
) -> list[tuple[Any, np.ndarray, np.ndarray]]:
    """Split one long array ordered by (key, time), as one SQL query returns it, into
    (key, times, values) per series; the arrays are views, not copies.

    Keys are 1-D (e.g. integer codes) or 2-D, one row per observation (e.g. indicator code and
    dimension code; the key is then a tuple). Boundaries come from comparing neighbours, with no
    per-row Python loop. Raises AnalyticsError if a key appears in two runs (input not grouped)
    or times go backwards within a series.
    """
    k, t, v = np.asarray(keys), np.asarray(times), np.asarray(values)
    if not len(k) == len(t) == len(v):
        raise AnalyticsError("keys, times and values must have the same length.")
    if len(k) == 0:
        return []
    changed = k[1:] != k[:-1]
    if changed.ndim > 1:
        changed = changed.any(axis=tuple(range(1, changed.ndim)))
    cuts = np.flatnonzero(changed) + 1
    starts = np.concatenate(([0], cuts))
    run_keys = [tuple(row) if k.ndim > 1 else row for row in k[starts].tolist()]
    if len(set(run_keys)) != len(run_keys):
        raise AnalyticsError("keys must be grouped (sorted by key, then time).")
    if np.any((np.diff(t) < 0) & ~changed):
        raise AnalyticsError("times must be ascending within each series.")
    return list(zip(run_keys, np.split(t, cuts), np.split(v, cuts), strict=True))
