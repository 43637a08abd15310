"""Scans: read the newest points of many series at once, evaluate every rule with numpy, and
write signals in bulk.

Idempotent by construction: a signal remembers the newest observation it has counted
(`last_observed_at`), so scanning the same data twice — or re-running a scan a killed worker left
half done — counts nothing twice. Work is committed chunk by chunk; a re-run redoes the rest.
"""

import math
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.core.audit import audited_bulk_create, audited_bulk_update
from apps.core.lifecycle import transition
from apps.core.models import Job
from apps.early_warning import analytics
from apps.early_warning.errors import WarningErrorCode as Code
from apps.early_warning.models import (
    LIVE_STATUSES,
    Indicator,
    Rule,
    RuleKind,
    Severity,
    SignalComment,
    SignalStatus,
    ThresholdMode,
    WarningSignal,
)
from apps.early_warning.selectors import (
    closed_coverage,
    due_indicators,
    warning_settings,
    windows,
)
from apps.early_warning.services.indicators import refuse
from apps.early_warning.services.jobs import scan_enqueue
from apps.early_warning.services.signals import announce_many, escalate_overdue, history_entry
from apps.risks.services.register import flag_for_review

MAX_POINTS = 2000


@dataclass
class Outcome:
    raised: list = None  # type: ignore[assignment]
    worsened: list = None  # type: ignore[assignment]
    resolved: list = None  # type: ignore[assignment]
    updated: int = 0

    def __post_init__(self) -> None:
        self.raised, self.worsened, self.resolved = [], [], []


def points_needed(indicator: Indicator, rules: list[Rule]) -> int:
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


def scan_request(*, indicator_ids: list | None = None, created_by=None) -> Job:
    """Someone asks for a scan now: of these indicators, or (None) of every active one, due or
    not. Unknown ids (another tenant's too) and inactive indicators are refused, and then no job
    is made."""
    if indicator_ids is not None:
        if not indicator_ids:
            raise refuse("indicators", "Name at least one indicator, or omit the list.")
        found = dict(Indicator.objects.filter(pk__in=indicator_ids).values_list("pk", "is_active"))
        if len(found) != len(set(indicator_ids)):
            raise refuse("indicators", "Some indicators do not exist.", Code.NOT_FOUND)
        if not all(found.values()):
            raise refuse("indicators", "Some indicators are not active.")
    return scan_enqueue(
        indicator_ids=indicator_ids, every=indicator_ids is None, created_by=created_by
    )


def scan(
    *,
    indicator_ids: list | None = None,
    now: datetime | None = None,
    progress: Callable[[int], None] | None = None,
    every: bool = False,
    resume: dict | None = None,
    checkpoint: Callable[[dict], None] | None = None,
) -> dict:
    """Scan these indicators; without ids, every active one that is due by its frequency
    (`every`: due or not).

    Indicators are scanned in key order, a chunk per transaction; `checkpoint(state)` is called
    inside each chunk's transaction with the totals so far and the last key done. A job's next
    attempt (a lost worker) passes that state back as `resume`: it skips what is done and its
    totals cover the whole scan."""
    now = now or timezone.now()
    if indicator_ids is not None:
        candidates = Indicator.objects.filter(is_active=True, pk__in=indicator_ids)
    elif every:
        candidates = Indicator.objects.filter(is_active=True)
    else:
        candidates = due_indicators(now)
    resume = resume or {}
    if resume.get("after"):
        candidates = candidates.filter(pk__gt=resume["after"])
    todo = list(candidates.order_by("pk"))
    done_before = resume.get("done", 0)
    earlier = resume.get("totals") or {}
    totals = {"indicators": done_before + len(todo)}
    totals |= {name: earlier.get(name, 0) for name in ("raised", "updated", "resolved")}
    totals["escalated"] = earlier.get("escalated", 0)
    chunk = settings.FENGKONG_SCAN_CHUNK
    for start in range(0, len(todo), chunk):
        if start and settings.FENGKONG_SCAN_PAUSE_SECONDS:
            time.sleep(settings.FENGKONG_SCAN_PAUSE_SECONDS)  # leave the database room to breathe
        part = todo[start : start + chunk]
        with transaction.atomic():
            outcome = _scan_chunk(part, now)
            totals["raised"] += len(outcome.raised)
            totals["updated"] += outcome.updated
            totals["resolved"] += len(outcome.resolved)
            if checkpoint:  # committed with the chunk, so a next attempt resumes exactly here
                state = {"after": str(part[-1].pk), "done": done_before + start + len(part)}
                checkpoint({**state, "totals": dict(totals)})
        if progress:
            progress(int(100 * min(start + chunk, len(todo)) / max(len(todo), 1)))
    with transaction.atomic():
        totals["escalated"] += escalate_overdue(
            after_minutes=warning_settings().escalate_red_after_minutes, now=now
        )
    return totals


def _scan_chunk(indicators: list[Indicator], now: datetime) -> Outcome:
    by_id = {i.pk: i for i in indicators}
    rules: dict = defaultdict(list)
    for rule in Rule.objects.filter(indicator_id__in=by_id, is_active=True).order_by("pk"):
        rules[rule.indicator_id].append(rule)
    data = windows({pk: points_needed(i, rules[pk]) for pk, i in by_id.items()})
    split = analytics.split_series(data.numbers, data.times, data.values)
    series_of: dict = defaultdict(list)
    for number, times, values in split:
        indicator_id, dims = data.series[int(number)]
        series_of[indicator_id].append((dims, times, values))
    _recalibrate([by_id[pk] for pk in by_id], series_of, now)
    live = {
        (s.indicator_id, s.rule_id, s.dimensions_key): s
        for s in WarningSignal.objects.filter(indicator_id__in=by_id, status__in=LIVE_STATUSES)
    }
    covered = closed_coverage(list(by_id))
    outcome = Outcome()
    new_signals, changed = [], []
    for indicator_id, indicator in by_id.items():
        series = series_of.get(indicator_id) or [("", _EMPTY, _EMPTY)]
        for rule in rules[indicator_id]:
            for dims, times, values in series:
                result = evaluate(rule, indicator, times, values, now)
                observed_at = datetime.fromtimestamp(times[-1], tz=UTC) if len(times) else None
                key = (indicator_id, rule.pk, dims)
                signal = live.get(key)
                if signal is None and result.triggered and _covered(covered, key, observed_at):
                    continue  # a closed signal already covered this observation
                made = _apply(signal, result, indicator, rule, dims, observed_at, now, outcome)
                if made is not None and made._state.adding:
                    new_signals.append(made)
                elif made is not None:
                    changed.append(made)
    audited_bulk_create(WarningSignal, new_signals)
    history = []
    for signal in outcome.resolved:  # a status change: one by one, through the lifecycle
        changed.remove(signal)
        history.append(
            history_entry(transition(signal, SignalStatus.RESOLVED, now=now, save_all=True))
        )
    SignalComment.objects.bulk_create(history)
    if changed:
        audited_bulk_update(
            WarningSignal,
            changed,
            [
                "severity",
                "status",
                "observed_value",
                "threshold",
                "detail",
                "last_triggered_at",
                "last_severity_change_at",
                "last_observed_at",
                "occurrences",
                "green_streak",
                "resolved_at",
                "updated_at",
            ],
        )
    Indicator.objects.filter(pk__in=by_id).update(last_scanned_at=now)
    announce_many(outcome.raised + outcome.worsened, event="warnings.signal_raised")
    announce_many(outcome.resolved, event="warnings.signal_resolved")
    _flag_risks([s for s in outcome.raised + outcome.worsened if s.severity == Severity.RED])
    return outcome


_EMPTY = analytics.np.empty(0, dtype=analytics.np.float64)
_NOTHING = object()


def _covered(covered: dict, key: tuple, observed_at: datetime | None) -> bool:
    """A dismissed or resolved signal covers every observation up to the newest one it had
    evaluated: only a breach in a newer observation is news (the same data is not)."""
    upto = covered.get(key, _NOTHING)
    if upto is _NOTHING:
        return False
    if observed_at is None or upto is None:
        return upto is None and observed_at is None  # no data then, still none now
    return observed_at <= upto


def evaluate(
    rule: Rule, indicator: Indicator, times, values, now: datetime
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


def _recalibrate(indicators: list[Indicator], series_of: dict, now: datetime) -> None:
    changed = []
    for indicator in indicators:
        if indicator.threshold_mode == ThresholdMode.STATIC or not series_of.get(indicator.pk):
            continue
        _, _, values = series_of[indicator.pk][0]  # the series without dimensions sorts first
        percentile = indicator.threshold_mode == ThresholdMode.PERCENTILE
        amber, red = analytics.dynamic_thresholds(
            values[:-1] if len(values) > 1 else values,  # not judged against itself
            method=indicator.threshold_mode,
            window=indicator.dynamic_window,
            k_amber=indicator.dynamic_amber,
            k_red=indicator.dynamic_red,
            pct_amber=indicator.dynamic_amber if percentile else 90.0,
            pct_red=indicator.dynamic_red if percentile else 99.0,
            direction=indicator.direction,
        )
        if (amber, red) != (indicator.calibrated_amber, indicator.calibrated_red):
            indicator.calibrated_amber, indicator.calibrated_red = amber, red
            indicator.calibrated_at = now
            changed.append(indicator)
    if changed:
        Indicator.objects.bulk_update(
            changed, ["calibrated_amber", "calibrated_red", "calibrated_at"]
        )


def _apply(
    signal: WarningSignal | None,
    result,
    indicator: Indicator,
    rule: Rule,
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
                indicator=indicator,
                rule=rule,
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
            made.indicator = indicator
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


def _flag_risks(signals: list[WarningSignal]) -> None:
    """A red signal asks the linked risks for an early review (through the register's service);
    the links of the whole batch are read in one query."""
    if not signals:
        return
    links: dict = defaultdict(list)
    for indicator_id, risk_id in Indicator.risks.through.objects.filter(
        indicator_id__in={s.indicator_id for s in signals}
    ).values_list("indicator_id", "risk_id"):
        links[indicator_id].append(risk_id)
    for signal in signals:
        if links[signal.indicator_id]:
            flag_for_review(
                risk_ids=links[signal.indicator_id],
                reason=f"Red signal on {signal.indicator.code}: {signal.detail}",
            )
