"""How a scan judges one series and what the verdict does to its live signal (split from
scans.py, which reads, screens and writes in bulk): how many points the rules need, a rule's
verdict through analytics.py, and the signal bookkeeping of one (rule, series) pair."""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from apps.early_warning import analytics
from apps.early_warning.models import RuleKind, Severity, ThresholdMode, WarningSignal
from apps.early_warning.services.scan_config import ScanIndicator, ScanRule

MAX_POINTS = 2000


@dataclass
class Outcome:
    raised: list = None  # type: ignore[assignment]
    worsened: list = None  # type: ignore[assignment]
    resolved: list = None  # type: ignore[assignment]
    updated: int = 0

    def __post_init__(self) -> None:
        self.raised, self.worsened, self.resolved = [], [], []


def points_needed(indicator: ScanIndicator, rules: list[ScanRule]) -> int:
    """How many newest points per series the rules of this indicator look at."""
    need = [
        2,
        indicator.dynamic_window + 1 if indicator.threshold_mode != ThresholdMode.STATIC else 1,
        indicator.resolve_after_green + 1,
    ]
    for rule in rules:
        p = rule.params
        if rule.kind == RuleKind.SUSTAINED:
            need.append(p["periods"])
        elif rule.kind == RuleKind.ZSCORE:
            need.append(p["window"] + 1)
        elif rule.kind == RuleKind.EWMA:
            need.append(max(p["warmup"] * 3, 30))
        elif rule.kind == RuleKind.RATE_OF_CHANGE:
            need.append(math.ceil(p["window_minutes"] / max(indicator.frequency_minutes, 1)) + 2)
    return min(max(need), MAX_POINTS)


def read_span(indicator: ScanIndicator, points: int) -> timedelta:
    """How far before a series' newest point its `points` newest are looked for first: twice
    the time they take at the indicator's frequency, plus a day (a series with fewer points in
    that span is read again without a bound: selectors.windows)."""
    return timedelta(minutes=2 * points * max(indicator.frequency_minutes, 1), days=1)


EMPTY = analytics.np.empty(0, dtype=analytics.np.float64)
GREEN = analytics.Evaluation("green", None, None, "screened: within thresholds")
_NOTHING = object()


def covered(covered: dict, key: tuple, observed_at: datetime | None) -> bool:
    """A dismissed or resolved signal covers every observation up to the newest one it had
    evaluated: only a breach in a newer observation is news (the same data is not)."""
    upto = covered.get(key, _NOTHING)
    if upto is _NOTHING:
        return False
    if observed_at is None or upto is None:
        return upto is None and observed_at is None  # no data then, still none now
    return observed_at <= upto


def evaluate(
    rule: ScanRule, indicator: ScanIndicator, times, values, now: datetime
) -> analytics.Evaluation:
    p, direction = rule.params, indicator.direction
    amber, red = indicator.thresholds()
    if rule.kind == RuleKind.THRESHOLD:
        return analytics.threshold_breach(values, amber=amber, red=red, direction=direction)
    if rule.kind == RuleKind.SUSTAINED:
        return analytics.sustained_breach(
            values, amber=amber, red=red, direction=direction, periods=p["periods"]
        )
    if rule.kind == RuleKind.RATE_OF_CHANGE:
        return analytics.rate_of_change(
            times,
            values,
            window_seconds=p["window_minutes"] * 60,
            amber_pct=p["amber_pct"],
            red_pct=p["red_pct"],
            direction=direction,
        )
    if rule.kind == RuleKind.ZSCORE:
        return analytics.zscore_anomaly(
            values, window=p["window"], amber_z=p["amber_z"], red_z=p["red_z"], direction=direction
        )
    if rule.kind == RuleKind.EWMA:
        return analytics.ewma_anomaly(
            values,
            alpha=p["alpha"],
            amber_k=p["amber_k"],
            red_k=p["red_k"],
            direction=direction,
            warmup=p["warmup"],
        )
    last = float(times[-1]) if len(times) else None
    return analytics.missing_data(
        last, now.timestamp(), stale_after_seconds=(indicator.stale_after_minutes or 0) * 60
    )


def apply_verdict(
    signal: WarningSignal | None,
    result,
    indicator: ScanIndicator,
    rule: ScanRule,
    dims: str,
    observed_at: datetime | None,
    now: datetime,
    outcome: Outcome,
) -> WarningSignal | None:
    """What one evaluation does to the series' live signal. Returns the signal to write, or None.

    Only observations newer than the signal's `last_observed_at` count, so a repeated scan of the
    same data is a no-op (missing-data signals, which have no newer observation, count per scan
    while stale and are keyed to the last observation they saw).
    """
    fresh = (
        signal is None
        or observed_at is None
        or signal.last_observed_at is None
        or observed_at > signal.last_observed_at
    )
    if result.triggered:
        if signal is None:
            made = WarningSignal(
                indicator_id=indicator.pk,
                rule_id=rule.pk,
                dimensions_key=dims,
                severity=result.severity,
                observed_value=result.observed,
                threshold=result.threshold,
                detail=result.detail[:300],
                first_triggered_at=now,
                last_triggered_at=now,
                last_severity_change_at=now,
                last_observed_at=observed_at,
            )
            made.indicator_name = indicator.name  # type: ignore[attr-defined]  # for __str__
            outcome.raised.append(made)
            return made
        if not fresh:
            return None
        worse = result.severity == Severity.RED and signal.severity == Severity.AMBER
        if result.severity != signal.severity:
            signal.last_severity_change_at = now
        signal.severity, signal.observed_value, signal.threshold = (
            result.severity,
            result.observed,
            result.threshold,
        )
        signal.detail = result.detail[:300]
        signal.last_triggered_at, signal.last_observed_at = now, observed_at
        signal.occurrences += 1
        signal.green_streak = 0
        signal.updated_at = now
        outcome.updated += 1
        if worse:
            outcome.worsened.append(signal)
        return signal
    if signal is None or not fresh:
        return None
    signal.green_streak += 1
    signal.last_observed_at = observed_at
    signal.updated_at = now
    if signal.green_streak >= indicator.resolve_after_green:
        signal.detail = f"Back to green for {signal.green_streak} period(s)."
        outcome.resolved.append(signal)
    return signal
