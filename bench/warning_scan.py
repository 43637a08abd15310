"""warning_scan: a full early-warning scan of 1,000 indicators next to reading its data.

Data (bench/warning_data.py, seeded once and kept): 1,000 active indicators `bench_kri_*`, each
with a threshold rule and a z-score rule (window 30) on static thresholds, and 1,000 hourly
observations each (no dimensions); ~10 % of them end on a planted spike.

Measured in this process (no HTTP), inside `schema_context`, each run doing the same work (the
bench indicators' signals deleted and `last_scanned_at` set NULL before it, untimed):

- scan: `scans.scan(indicator_ids=<the 1,000 ids>)`: chunks of FENGKONG_SCAN_CHUNK indicators,
  each one transaction (rules, `windows()`, rule evaluation, signal writes, notices), then the
  escalation check. Every run raises the same signals.
- floor: the observations that scan reads, read exactly as `selectors.windows` reads them
  (the series table, then the newest N per series from its bound on by LATERAL … LIMIT n, N
  from `points_needed`) for all 1,000 indicators, into numpy arrays. The ratio is scan / floor.
- plain read (printed, not the ratio's floor): `SELECT indicator_id, extract(epoch FROM
  observed_at), value … ORDER BY …` of all 1,000,000 rows into numpy arrays.
- earlier read (printed): the row_number()-over-every-row read windows() used before, for the
  record of why it changed.

Runs alternate scan / floor / plain / alternatives (the order rotating), REPEATS times each
after one unrecorded warm-up; medians are reported. Then one scan with a wall-clock split by
phase (the scan's functions wrapped in this process only: SQL read, numpy, rule evaluation,
signal writes, notices…) and one under cProfile (top functions by own time).
"""

import cProfile
import pstats
import time
from collections import defaultdict
from collections.abc import Callable

import numpy as np

from bench import harness, warning_data
from bench.phases import Phases
from bench.warning_reads import (
    points_plan,
    read_lateral,
    read_plain,
    read_rows,
    read_same_shape,
)

REPEATS = 5  # each measurement; `--requests N` overrides


def reset(ids: list) -> None:
    """Every run scans from the same state: no signals, never scanned."""
    from apps.early_warning.models import Indicator, WarningSignal

    WarningSignal.objects.filter(indicator_id__in=ids).delete()
    Indicator.objects.filter(pk__in=ids).update(last_scanned_at=None)
    # Each run rewrites 1,000 indicator rows twice and its signals: vacuum them, or the runs
    # slow down one after the other (as they would in production without autovacuum).
    warning_data.vacuum("early_warning_indicator", "early_warning_warningsignal", analyze=False)


def timed_scan(ids: list) -> tuple[float, dict]:
    from apps.early_warning.services.scans import scan

    reset(ids)
    start = time.perf_counter()
    totals = scan(indicator_ids=ids)
    return time.perf_counter() - start, totals


# --- where one scan's time goes ------------------------------------------------------------------
OTHER = "other: the loop over pairs, commits"
READ = "read: windows() = 1 SQL statement + bytes to numpy (2 when series are short)"


def scan_phases(ids: list) -> Phases:
    """One scan with its steps timed (bench/phases.py): SQL read, numpy, rules, writes, notices."""

    from apps.early_warning.services import scan_config, scans
    from apps.notifications import services as notifications

    writes = "signal writes: INSERT … unnest of new signals and audit entries, UPDATEs"
    specs = [
        (READ, scans, "windows"),
        ("configuration: indicators and rules as values", scan_config, "load"),
        ("live signals and closed coverage", scans, "_signals_of"),
        ("rule screen: screening.may_fire() per rule kind", scans, "_screen"),
        ("rule evaluation: evaluate() of the pairs not screened out", scans, "evaluate"),
        ("signal bookkeeping: apply_verdict()", scans, "apply_verdict"),
        ("audit entries: created_entries()", scans, "created_entries"),
        (writes, scans, "insert_rows"),
        (writes, scans, "audited_bulk_update"),
        (writes, scans, "_mark_scanned"),
        ("notifications: announce_many()", scans, "announce_many"),
        ("notifications: notify() (e-mail rows)", notifications, "notify"),
        ("notifications: publish_many() (webhook rows)", notifications, "publish_many"),
        ("notifications: _flag_risks() (risk review flags)", scans, "_flag_risks"),
        ("escalation: escalate_overdue()", scans, "escalate_overdue"),
    ]
    reset(ids)
    phases = Phases(other=OTHER)
    with phases.patched(specs):
        phases.run(lambda: scans.scan(indicator_ids=ids))
    return phases


def scan_profile(ids: list, top: int = 14) -> tuple[float, list[str]]:
    from apps.early_warning.services.scans import scan

    reset(ids)
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    scan(indicator_ids=ids)
    profiler.disable()
    wall = time.perf_counter() - start
    entries = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    lines = []
    for (filename, line, fn), (_, nc, tt, ct, _) in sorted(
        entries.items(), key=lambda item: -item[1][2]
    )[:top]:
        short = filename.split("site-packages/")[-1].split("/work/main/")[-1]
        lines.append(f"  {tt * 1000:8.1f} {ct * 1000:8.1f} {nc:8d}  {fn}  ({short}:{line})")
    return wall, lines


# --- the run ---------------------------------------------------------------------------------
def _measure(ids: list, repeats: int) -> tuple:
    """Inside the tenant: (counts, seconds of each run, the median run's result, phases of one
    scan, (wall, top functions) of one profiled scan)."""
    counts, spans = points_plan(ids)
    measures: dict[str, Callable[[], tuple]] = {
        "scan": lambda: timed_scan(ids),
        "floor": lambda: read_lateral(ids, counts, spans),
        "rows": lambda: read_rows(ids, counts, spans),
        "plain": lambda: read_plain(ids),
        "rownumber": lambda: read_same_shape(ids, counts),
    }
    for measure in measures.values():  # warm-up: caches, connection, imports
        measure()
    results: dict[str, list[tuple]] = defaultdict(list)
    order = list(measures)
    for n in range(repeats):
        for name in order[n % len(order) :] + order[: n % len(order)]:
            results[name].append(measures[name]())
    times = {name: [r[0] for r in runs] for name, runs in results.items()}
    typical = {name: _nearest_median(runs) for name, runs in results.items()}
    return counts, times, typical, scan_phases(ids), scan_profile(ids)


def _at_history(ids: list, repeats: int, total: int, clock) -> dict:
    """The scan and its floor again with `total` observations in the table (older history
    written under the scan set, removed afterwards): cost at N vs at the seeded 1,000,000."""
    from django_tenants.utils import schema_context

    from bench import warning_scan_history as h

    with schema_context(harness.bench_tenant().schema_name):
        if h.history_rows(ids):
            h.remove_history(ids)  # left by an interrupted run
        base = _alternate(ids, repeats)
        seeded = h.add_history(ids, total)
        rows = h.BASE + h.history_rows(ids)
        clock.lap(f"history: {rows:,} rows written in {seeded:.1f} s")
        try:
            grown = _alternate(ids, repeats)
        finally:
            reset(ids)
            removed = h.remove_history(ids)
        clock.lap(f"history removed in {removed:.1f} s")
    scan_ratio = _median(grown["scan"]) / _median(base["scan"])
    floor_ratio = _median(grown["floor"]) / _median(base["floor"])
    return {
        "lines": [
            f"history {rows:,} observations vs {h.BASE:,} (same run, {repeats} rounds each, "
            "medians): "
            f"scan {_median(grown['scan']):.3f} s vs {_median(base['scan']):.3f} s = "
            f"{scan_ratio:.2f}x; floor {_median(grown['floor']):.3f} s vs "
            f"{_median(base['floor']):.3f} s = {floor_ratio:.2f}x — target: at most 1.2",
        ],
        "metrics": {
            "rows": rows,
            "scan_s": round(_median(grown["scan"]), 3),
            "scan_1m_s": round(_median(base["scan"]), 3),
            "scan_ratio": round(scan_ratio, 3),
            "floor_s": round(_median(grown["floor"]), 3),
            "floor_1m_s": round(_median(base["floor"]), 3),
            "floor_ratio": round(floor_ratio, 3),
            "seed_s": round(seeded, 1),
        },
    }


def _alternate(ids: list, repeats: int) -> dict[str, list[float]]:
    """Scan and floor, alternating, after one warm-up of each: seconds of each run."""
    counts, spans = points_plan(ids)
    runs: dict[str, list[float]] = defaultdict(list)

    def floor() -> tuple:
        return read_lateral(ids, counts, spans)

    timed_scan(ids), floor()
    for n in range(repeats):
        pair = [("scan", lambda: timed_scan(ids)), ("floor", floor)]
        for name, measure in pair[n % 2 :] + pair[: n % 2]:
            runs[name].append(measure()[0])
    return runs


def _median(values: list[float]) -> float:
    return float(np.median(values)) if values else float("nan")


def _nearest_median(runs: list[tuple]) -> tuple:
    """The run (seconds first) nearest the median: its rows and split are the ones printed."""
    middle = _median([r[0] for r in runs])
    return min(runs, key=lambda r: abs(r[0] - middle))


COLUMNS = [
    ("name", "measurement", "{}"),
    ("runs", "runs", "{:d}"),
    ("median_s", "median s", "{:.3f}"),
    ("min_s", "min s", "{:.3f}"),
    ("max_s", "max s", "{:.3f}"),
    ("rows", "rows read", "{:,}"),
    ("vs_floor", "/ floor", "{:.2f}"),
]


def _row(name: str, seconds: list[float], rows: int | None, floor: float) -> dict:
    median = _median(seconds)
    return {
        "name": name,
        "runs": len(seconds),
        "median_s": median,
        "min_s": min(seconds),
        "max_s": max(seconds),
        "rows": rows,
        "vs_floor": median / floor if floor else None,
    }


def run(opts: harness.Options) -> harness.Result:
    from django.conf import settings
    from django_tenants.utils import schema_context

    repeats = opts.requests if opts.requests != harness.Options().requests else REPEATS
    clock = harness.Clock()
    tenant = harness.bench_tenant()
    clock.lap("tenant")
    data = warning_data.ensure_scan_set(tenant)
    clock.lap("seed" if data.created else "data check")
    ids = data.ids
    with schema_context(tenant.schema_name):
        warning_data.vacuum(*warning_data.TABLES)  # dead rows of earlier runs, fresh statistics
    clock.lap("vacuum")

    with schema_context(tenant.schema_name):
        try:
            counts, times, typical, phases, profiled = _measure(ids, repeats)
        finally:
            reset(ids)  # leave no signals behind: the next run (or benchmark) starts clean
    clock.lap(f"measure x{repeats}, split, profile")
    history = _at_history(ids, repeats, opts.history, clock) if opts.history else None
    profiled_wall, profile_lines = profiled
    needed = sum(counts.values())

    scan_s, floor_s = _median(times["scan"]), _median(times["floor"])
    totals = typical["scan"][1]
    ratio = harness.ratio(scan_s, floor_s)
    floor_rows, floor_split = typical["floor"][1], typical["floor"][2]
    plain_rows, plain_split = typical["plain"][1], typical["plain"][2]
    rownumber_rows, rownumber_split = typical["rownumber"][1], typical["rownumber"][2]
    rows_rows, rows_split = typical["rows"][1], typical["rows"][2]
    if not floor_rows == rownumber_rows == rows_rows == needed:
        raise RuntimeError(
            f"reads returned {floor_rows}/{rows_rows}/{rownumber_rows} rows, expected {needed}"
        )
    rows_s = _median(times["rows"])

    def ms(split: dict) -> str:
        return ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in split.items())

    statements = sum(phases.statements.values())
    chunk = settings.FENGKONG_SCAN_CHUNK
    notes = [
        f"ratio = scan / floor (medians) = {ratio:.2f} — target: at most 1.5; against the "
        f"floor of session 4 (the row read) {scan_s / rows_s:.2f}",
        f"scan    {totals['indicators']} indicators in chunks of {chunk} "
        f"({-(-totals['indicators'] // chunk)} transactions), {needed:,} points read "
        f"({needed // len(ids)} per indicator: scans.points_needed), raised {totals['raised']} "
        f"signals, {statements} SQL statements",
        f"floor   the same {floor_rows:,} points read as windows() reads them (one statement over "
        "the series table, newest N per series from its bound by LATERAL … LIMIT n, float8send "
        f"bytes per series) into numpy: {ms(floor_split)}",
        f"rows    the floor of session 4: the same points, the series listed first, then a row per "
        f"point (LATERAL … LIMIT n) into numpy: {ms(rows_split)}",
        f"plain   all {plain_rows:,} rows, plain SELECT ORDER BY: {ms(plain_split)} "
        "(fetch builds a UUID and a Decimal per row: extract() is numeric)",
        f"before  the earlier windows() read (row_number() over every row, keep newest N): "
        f"{rownumber_rows:,} points, {ms(rownumber_split)}",
        f"one scan split by phase ({phases.total:.2f} s; exclusive wall time, SQL = inside "
        "cursor.execute):",
        *phases.lines(),
        f"  the statements of {READ.split(' =')[0]}:",
        *phases.statement_lines(READ),
        f"one scan under cProfile ({profiled_wall:.2f} s): top functions by own time "
        "(own ms, cumulative ms, calls)",
        *profile_lines,
        *(history["lines"] if history else []),
        f"data    {data.summary()}",
        f"run     {clock.summary()}",
    ]
    harness.print_table(
        f"warning_scan: scan of {len(ids):,} indicators × {warning_data.N_POINTS:,} observations "
        "vs. reading them",
        [
            _row("scan(indicator_ids=1,000)", times["scan"], needed, floor_s),
            _row("floor: the scan's read alone", times["floor"], floor_rows, floor_s),
            _row("earlier floor (a row per point)", times["rows"], rows_rows, floor_s),
            _row("plain read of every row", times["plain"], plain_rows, floor_s),
            _row("earlier read (row_number)", times["rownumber"], rownumber_rows, floor_s),
        ],
        notes,
        columns=COLUMNS,
    )

    def rounded(split: dict) -> dict:
        return {f"{k}_ms": round(v * 1000, 1) for k, v in split.items()}

    return harness.Result(
        bench="warning_scan",
        metrics={
            "scan_s": round(scan_s, 3),
            "scan_min_s": round(min(times["scan"]), 3),
            "scan_max_s": round(max(times["scan"]), 3),
            "runs": repeats,
            "indicators": totals["indicators"],
            "points_read": needed,
            "raised": totals["raised"],
            "sql_statements": statements,
            "phases_ms": phases.ms(),
            **({"history": history["metrics"]} if history else {}),
        },
        floor={
            "read_s": round(floor_s, 3),
            "read_rows": floor_rows,
            **{f"read_{k}": v for k, v in rounded(floor_split).items()},
            "rows_read_s": round(rows_s, 3),
            "ratio_to_rows_read": round(scan_s / rows_s, 3),
            "plain_s": round(_median(times["plain"]), 3),
            "plain_rows": plain_rows,
            "rownumber_read_s": round(_median(times["rownumber"]), 3),
        },
        ratio=ratio,
    )
