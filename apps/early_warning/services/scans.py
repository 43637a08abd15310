"""Scans: read the newest points of many series at once, judge every rule with numpy, and
write signals in bulk.

A chunk (FENGKONG_SCAN_CHUNK indicators, one transaction) costs a fixed number of statements
whatever its size: the configuration as values (scan_config.py, once per scan), the windows
(selectors.windows), the live and closed signals, one INSERT of the new signals and one of their
audit entries (bulk_rows.py), one UPDATE of the changed ones, one of `last_scanned_at`. Rules are
screened per kind over all the series at once (screening.py); only the pairs the screen cannot
call green go through the rule's own function (scan_rules.evaluate), so every signal is made by
the same code as before.

Idempotent by construction: a signal remembers the newest observation it has counted
(`last_observed_at`), so scanning the same data twice — or re-running a scan a killed worker left
half done — counts nothing twice. Work is committed chunk by chunk; a re-run redoes the rest.
"""

import time
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime

import numpy as np
import orjson
from auditlog.models import LogEntry
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from apps.core.audit import audited_bulk_update, created_entries
from apps.core.lifecycle import transition
from apps.core.models import Job
from apps.early_warning import analytics, screening
from apps.early_warning.errors import WarningErrorCode as Code
from apps.early_warning.models import (
    LIVE_STATUSES,
    Indicator,
    Severity,
    SignalComment,
    SignalStatus,
    ThresholdMode,
    WarningSignal,
)
from apps.early_warning.selectors import (
    Windows,
    closed_coverage,
    warning_settings,
    windows,
)
from apps.early_warning.services import scan_config
from apps.early_warning.services.bulk_rows import insert_rows
from apps.early_warning.services.indicators import refuse
from apps.early_warning.services.jobs import scan_enqueue
from apps.early_warning.services.scan_config import ScanIndicator
from apps.early_warning.services.scan_rules import (
    EMPTY,
    GREEN,
    MAX_POINTS,
    Outcome,
    apply_verdict,
    covered,
    evaluate,
    points_needed,
    read_span,
)
from apps.early_warning.services.signals import announce_many, escalate_overdue, history_entry
from apps.risks.services.register import flag_for_review

__all__ = ["MAX_POINTS", "evaluate", "points_needed", "scan", "scan_request"]


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
    resume = resume or {}
    todo = scan_config.load(
        ids=indicator_ids, every=every, now=now, after=resume.get("after") or None
    )
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
            if start + chunk >= len(todo):  # the last chunk: the escalation commits with it
                totals["escalated"] += _escalate(now)
            if checkpoint:  # committed with the chunk, so a next attempt resumes exactly here
                state = {"after": str(part[-1].pk), "done": done_before + start + len(part)}
                checkpoint({**state, "totals": dict(totals)})
        if progress:
            progress(int(100 * min(start + chunk, len(todo)) / max(len(todo), 1)))
    if not todo:  # nothing to scan (or a resumed scan whose chunks were all done)
        with transaction.atomic():
            totals["escalated"] += _escalate(now)
    return totals


def _escalate(now: datetime) -> int:
    """Red signals nobody acknowledged in time; idempotent, so a resumed scan that runs it
    again (after the last chunk committed) escalates nothing twice."""
    return escalate_overdue(after_minutes=warning_settings().escalate_red_after_minutes, now=now)


SIGNAL_FIELDS = [
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
]


def _scan_chunk(indicators: list[ScanIndicator], now: datetime) -> Outcome:
    by_id = {i.pk: i for i in indicators}
    counts = {pk: points_needed(i, i.rules) for pk, i in by_id.items()}
    data = windows(counts, {pk: read_span(i, counts[pk]) for pk, i in by_id.items()})
    starts, ends = screening.bounds(data.numbers, len(data.series))
    series_of: dict = defaultdict(list)  # indicator pk -> [(dimensions key, series number)]
    for number, (indicator_id, dims) in enumerate(data.series):
        series_of[indicator_id].append((dims, number))
    _recalibrate(indicators, series_of, data, starts, ends, now)
    live, closed = _signals_of(list(by_id))
    green = _screen(indicators, series_of, data, starts, ends)
    outcome = Outcome()
    new_signals, changed = [], []
    width = len(data.series) + 1
    rule_no = 0  # rules numbered in the order _screen walks them (its pairs are ints)
    for indicator in indicators:
        series = series_of.get(indicator.pk) or [("", None)]
        for rule in indicator.rules:
            rule_no += 1
            for dims, number in series:
                key = (indicator.pk, rule.pk, dims)
                signal = live.get(key)
                certainly_green = number is not None and rule_no * width + number in green
                if certainly_green and signal is None:
                    continue  # green, and no live signal to count it
                if number is None:
                    times, values = EMPTY, EMPTY
                else:
                    times = data.times[starts[number] : ends[number]]
                    values = data.values[starts[number] : ends[number]]
                result = GREEN if certainly_green else evaluate(rule, indicator, times, values, now)
                observed_at = datetime.fromtimestamp(times[-1], tz=UTC) if len(times) else None
                if signal is None and result.triggered and covered(closed, key, observed_at):
                    continue  # a closed signal already covered this observation
                made = apply_verdict(
                    signal, result, indicator, rule, dims, observed_at, now, outcome
                )
                if made is not None and made._state.adding:
                    new_signals.append(made)
                elif made is not None:
                    changed.append(made)
    # The new signals and their audit entries: one INSERT each.
    insert_rows(WarningSignal, new_signals)
    insert_rows(LogEntry, created_entries(WarningSignal, new_signals))
    history = []
    for signal in outcome.resolved:  # a status change: one by one, through the lifecycle
        changed.remove(signal)
        history.append(
            history_entry(transition(signal, SignalStatus.RESOLVED, now=now, save_all=True))
        )
    SignalComment.objects.bulk_create(history)
    if changed:
        audited_bulk_update(WarningSignal, changed, SIGNAL_FIELDS)
    _mark_scanned(list(by_id), now)
    announce_many(
        outcome.raised + outcome.worsened, event="warnings.signal_raised", indicators=by_id
    )
    announce_many(outcome.resolved, event="warnings.signal_resolved", indicators=by_id)
    red = [s for s in outcome.raised + outcome.worsened if s.severity == Severity.RED]
    _flag_risks(red, by_id)
    return outcome


def _mark_scanned(indicator_ids: list, now: datetime) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Indicator._meta.db_table} SET last_scanned_at = %s "
            "WHERE id = ANY(%s::uuid[])",
            [now, indicator_ids],
        )


_LIVE = ", ".join(f"'{status}'" for status in LIVE_STATUSES)
LIVE_SQL = f"""
    SELECT * FROM {WarningSignal._meta.db_table}
    WHERE indicator_id = ANY(%s::uuid[]) AND status IN ({_LIVE})
"""


def _signals_of(indicator_ids: list) -> tuple[dict, dict]:
    """The live signal of each series (to update), and what the newest closed one covered."""
    live = {
        (s.indicator_id, s.rule_id, s.dimensions_key): s
        for s in WarningSignal.objects.raw(LIVE_SQL, [indicator_ids])
    }
    return live, closed_coverage(indicator_ids)


def _screen(
    indicators: list[ScanIndicator],
    series_of: dict,
    data: Windows,
    starts: np.ndarray,
    ends: np.ndarray,
) -> set:
    """The pairs that are certainly green (screening.py), decided for all the series of one
    rule kind and parameters at once: rule number × (series + 1) + series number, the rules
    numbered from 1 in the order of the indicators and their rules (ints hash fast; the rule
    keys, UUIDs, did not)."""
    groups: dict = {}  # (kind, params) -> params, pair ids, numbers, signs, ambers, reds
    width = len(data.series) + 1
    rule_no = 0
    for indicator in indicators:
        sign = screening.SIGNS.get(indicator.direction)
        if sign is None:
            rule_no += len(indicator.rules)
            continue  # evaluated, and refused there with the rule's own message
        amber, red = (np.nan if t is None else float(t) for t in indicator.thresholds())
        for rule in indicator.rules:
            rule_no += 1
            key = (rule.kind, _frozen(rule.params))
            group = groups.setdefault(key, (rule.params, [], [], [], [], []))
            for _dims, number in series_of.get(indicator.pk, ()):
                group[1].append(rule_no * width + number)
                group[2].append(number)
                group[3].append(sign)
                group[4].append(amber)
                group[5].append(red)
    finite = screening.all_finite(data.values, starts, ends)
    green: set = set()
    for (kind, _), (params, pairs, numbers, signs, ambers, reds) in groups.items():
        maybe = screening.may_fire(
            kind,
            params,
            series=np.asarray(numbers, dtype=np.int64),
            signs=np.asarray(signs, dtype=np.float64),
            ambers=np.asarray(ambers, dtype=np.float64),
            reds=np.asarray(reds, dtype=np.float64),
            values=data.values,
            starts=starts,
            ends=ends,
            finite=finite,
        )
        if maybe is not None:  # else no screen for this kind: every pair is evaluated
            green.update(np.asarray(pairs, dtype=np.int64)[~maybe].tolist())
    return green


def _frozen(params: dict) -> bytes:
    return orjson.dumps(params, option=orjson.OPT_SORT_KEYS)


def _recalibrate(
    indicators: list[ScanIndicator],
    series_of: dict,
    data: Windows,
    starts: np.ndarray,
    ends: np.ndarray,
    now: datetime,
) -> None:
    """Dynamic thresholds from the series without dimensions (which sorts first), written in
    one statement."""
    changed = []
    for indicator in indicators:
        if indicator.threshold_mode == ThresholdMode.STATIC or not series_of.get(indicator.pk):
            continue
        _, number = series_of[indicator.pk][0]
        values = data.values[starts[number] : ends[number]]
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
            changed.append(indicator)
    if changed:
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Indicator._meta.db_table} AS i SET calibrated_amber = u.amber, "
                "calibrated_red = u.red, calibrated_at = %s "
                "FROM unnest(%s::uuid[], %s::float8[], %s::float8[]) AS u(id, amber, red) "
                "WHERE i.id = u.id",
                [
                    now,
                    [i.pk for i in changed],
                    [i.calibrated_amber for i in changed],
                    [i.calibrated_red for i in changed],
                ],
            )


def _flag_risks(signals: list[WarningSignal], indicators: dict) -> None:
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
                reason=f"Red signal on {indicators[signal.indicator_id].code}: {signal.detail}",
            )
