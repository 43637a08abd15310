"""ingest: 10,000 observations per GraphQL call over HTTP next to PostgreSQL COPY of the same rows.

Indicators (bench/warning_data.py, made once and kept): 100 `bench_ing_*` that the calls write
and 100 `bench_copy_*` twins that COPY writes, so its rows never conflict with the API's. A call
is 10,000 points: 100 indicators × 100 hourly timestamps, no dimensions. Every measured write
but the upsert row uses timestamps never sent before (a fresh block), so it inserts; the
observations of both sets are deleted before and after the run (nothing else is kept).

Over HTTP, as the tenant's admin against gunicorn, one call at a time (`scan: false`, so only
ingestion is measured):
- graphql json: `observationsIngest(input: {points: $p, scan: false})`, $p = 10,000 objects;
- graphql csv: `observationsIngestCsv(input: {csv: $csv, scan: false})`, the same points as text;
- graphql json, re-sent: a block already stored, sent again: 10,000 upserts (ON CONFLICT DO
  UPDATE), reported apart.
In this process (no HTTP):
- floor: COPY … FROM STDIN (psycopg `cursor.copy`, `write_row`) of the same 10,000 rows into
  the observations table (the bench_copy twins), in a transaction, commit included (the
  deferred foreign-key checks run then, as for the API's insert). The ratio is graphql json
  observations/s ÷ COPY observations/s (target at least 0.75, with CSV: issue 14).
- COPY of the same rows into a temporary table of the same shape (no index, no foreign key);
- the service `ingestion.ingest()` with the points the resolver would pass (datetime objects),
  in a transaction, commit included: no HTTP, no GraphQL; its write alone (`_upsert`); and two
  other ways of writing that upsert (bench/ingest_sql.py), as evidence for suggestions.
Each is measured ROUNDS times (alternating, order rotating) after one unrecorded call of each
API kind; medians. Then one JSON call and one CSV call in-process through Django's test client
with their steps timed (bench/phases.py), and the GraphQL input shapes of bench/ingest_alt.py.
"""

import gc
import http.client
import json
import os
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from bench import harness, ingest_alt, ingest_sql, warning_data
from bench.ingest_sql import TEMP_TABLE
from bench.phases import Phases

ROUNDS = 7  # measured calls of each kind; `--requests N` overrides
PER_INDICATOR = 100  # timestamps per indicator in one call: 100 × 100 = 10,000 points
BASE = datetime(2023, 1, 1, tzinfo=UTC)  # block k starts k × 100 hours later
LATER_BLOCKS = 150  # measurements use blocks 0 to 149, the in-process splits 150 and on
PAYLOAD = "count errors { index field code message }"
JSON_QUERY = (
    "mutation($p: [ObservationInput!]!) "
    f"{{ observationsIngest(input: {{points: $p, scan: false}}) {{ {PAYLOAD} }} }}"
)
CSV_QUERY = (
    "mutation($csv: String!) "
    f"{{ observationsIngestCsv(input: {{csv: $csv, scan: false}}) {{ {PAYLOAD} }} }}"
)

ROWS_QUERY = (
    "mutation($r: JSON!) "
    f"{{ observationsIngestRows(input: {{rows: $r, scan: false}}) {{ {PAYLOAD} }} }}"
)

Block = ingest_sql.Block  # [(indicator code, observed_at, value)]


def block(k: int, codes: list[str]) -> Block:
    """Points of call k: PER_INDICATOR hourly timestamps of its own for each code."""
    first = BASE + warning_data.STEP * (k * PER_INDICATOR)
    if first + warning_data.STEP * PER_INDICATOR > datetime.now(UTC):
        raise ValueError(f"block {k} would be in the future (ingest() refuses it)")
    values = (
        100.0 + 10.0 * np.random.default_rng(k).standard_normal(len(codes) * PER_INDICATOR)
    ).tolist()
    return [
        (code, first + warning_data.STEP * j, values[i * PER_INDICATOR + j])
        for i, code in enumerate(codes)
        for j in range(PER_INDICATOR)
    ]


def csv_text(points: Block) -> str:
    lines = (f"{c},{t.isoformat()},{v!r}" for c, t, v in points)
    return "indicator,observed_at,value\n" + "\n".join(lines) + "\n"


def json_body(points: Block) -> bytes:
    p = [{"indicator": c, "observedAt": t.isoformat(), "value": v} for c, t, v in points]
    return json.dumps({"query": JSON_QUERY, "variables": {"p": p}}).encode()


def rows_body(points: Block) -> bytes:
    rows = [[c, t.isoformat(), v] for c, t, v in points]
    return json.dumps({"query": ROWS_QUERY, "variables": {"r": rows}}).encode()


def csv_body(points: Block) -> bytes:
    return json.dumps({"query": CSV_QUERY, "variables": {"csv": csv_text(points)}}).encode()


# --- over HTTP -------------------------------------------------------------------------------
def _cpu_seconds(pids: list[int]) -> float:
    """user + system CPU of these processes so far (Linux /proc; 0 elsewhere)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def post(server: harness.Server, tenant, body: bytes, expect: int) -> tuple[float, float]:
    """One call: (wall seconds from sending to the whole answer, gunicorn workers' CPU seconds)."""
    headers = {
        "Host": tenant.domain,
        "Content-Type": "application/json",
        "Authorization": f"Bearer {tenant.token}",
    }
    pids = server.worker_pids()
    conn = http.client.HTTPConnection(server.address, server.port, timeout=120)
    try:
        cpu = _cpu_seconds(pids)
        start = time.perf_counter()
        conn.request("POST", "/graphql/", body=body, headers=headers)
        response = conn.getresponse()
        raw = response.read()
        elapsed = time.perf_counter() - start
        cpu = _cpu_seconds(pids) - cpu
    finally:
        conn.close()
    try:
        payload = next(iter(json.loads(raw)["data"].values()))
    except (ValueError, KeyError, TypeError, AttributeError, StopIteration):
        payload = None
    if response.status != 200 or not payload or payload["errors"] or payload["count"] != expect:
        raise RuntimeError(
            f"ingest answered {response.status} {raw[:1000]!r}, expected count {expect}\n"
            f"--- gunicorn log ---\n{server.log_tail()}"
        )
    return elapsed, cpu


# --- in this process -------------------------------------------------------------------------
def request_phases(tenant, warm_body: bytes, body: bytes) -> Phases:
    """One API call in this process (Django test client, same settings and middleware) with its
    steps timed, after one unrecorded call (the first builds the URLconf and the schema)."""
    from django.db import connection, connections
    from django.test import Client
    from graphql.execution import values
    from strawberry.schema import schema_converter

    from apps.early_warning.services import ingestion

    specs = [
        ("GraphQL: graphql-core coerces the variables", values, "coerce_variable_values"),
        ("GraphQL: strawberry converts arguments to inputs", schema_converter, "convert_arguments"),
        ("points_from_csv(): CSV text to PointIn", ingestion, "points_from_csv"),
        ("ingest(): indicator lookup + per-point checks", ingestion, "ingest"),
        ("ingest(): the write (_upsert: COPY, staged upsert)", ingestion, "_upsert"),
        ("commit (deferred foreign-key checks)", connections["default"], "commit"),
    ]
    client = Client(HTTP_HOST=tenant.domain)
    phases = Phases(other="other: middleware, body JSON, parse, resolver loop, answer")

    def call(data: bytes) -> None:
        response = client.post(
            "/graphql/",
            data=data,
            content_type="application/json",
            headers={"Authorization": f"Bearer {tenant.token}"},
        )
        if response.status_code != 200 or b'"errors":[]' not in response.content:
            raise RuntimeError(
                f"in-process call answered {response.status_code} {response.content[:500]!r}"
            )

    try:
        call(warm_body)
        gc.collect()
        with phases.patched(specs):
            phases.run(lambda: call(body))
    finally:
        connection.set_schema_to_public()
    return phases


# --- the run ---------------------------------------------------------------------------------
COLUMNS = [
    ("name", "measurement", "{}"),
    ("where", "where", "{}"),
    ("runs", "runs", "{:d}"),
    ("median_s", "median s", "{:.3f}"),
    ("min_s", "min s", "{:.3f}"),
    ("max_s", "max s", "{:.3f}"),
    ("obs_s", "obs/s", "{:,.0f}"),
    ("cpu_s", "app CPU s", "{:.3f}"),
    ("vs_copy", "÷ COPY obs/s", "{:.2f}"),
]
LABELS = [  # (key, measurement, where)
    ("json", "graphql json (10,000 objects)", "HTTP"),
    ("csv", "graphql csv (same points)", "HTTP"),
    ("rows", "graphql json rows (same points)", "HTTP"),
    ("upsert", "graphql json, re-sent (upserts)", "HTTP"),
    ("service", "service ingest() only", "in-process"),
    ("sql_unnest", "its write only (_upsert)", "in-process"),
    ("sql_bound", "alt: same, server-side binding", "in-process"),
    ("sql_staged", "alt: COPY-staged upsert", "in-process"),
    ("copy", "floor: COPY into observations", "in-process"),
    ("copy_temp", "COPY into a temp table", "in-process"),
    ("copy_binary", "COPY, one binary buffer (numpy)", "in-process"),
]


def _steps(server, tenant, fresh: dict, resent: Block, ingest_pks, copy_pks, points: int):
    """One round's writes, each on rows no other write of the run touches (but `upsert`)."""
    twin = fresh["json"]  # COPY writes the json call's rows, into the twin indicators
    return {
        "json": lambda: post(server, tenant, json_body(fresh["json"]), points),
        "csv": lambda: post(server, tenant, csv_body(fresh["csv"]), points),
        "rows": lambda: post(server, tenant, rows_body(fresh["rows"]), points),
        "upsert": lambda: post(server, tenant, json_body(resent), points),
        "service": lambda: ingest_sql.service_ingest(fresh["service"]),
        "sql_unnest": lambda: ingest_sql.sql_unnest(fresh["sql"], ingest_pks),
        "sql_bound": lambda: ingest_sql.sql_bound(fresh["bound"], ingest_pks),
        "sql_staged": lambda: ingest_sql.sql_staged(fresh["sql"], copy_pks),
        "copy": lambda: ingest_sql.copy_rows(twin, copy_pks),
        "copy_temp": lambda: ingest_sql.copy_rows(twin, copy_pks, TEMP_TABLE),
        "copy_binary": lambda: ingest_sql.copy_buffer(fresh["binary"], copy_pks),
    }


def measure(server, tenant, codes, ingest_pks, copy_pks, rounds: int) -> tuple[dict, dict]:
    """Every kind of write `rounds` times, alternating (order rotating): (seconds, app CPU)."""
    from django_tenants.utils import schema_context

    points = len(codes) * PER_INDICATOR
    blocks = iter(range(1, LATER_BLOCKS))
    resent = block(0, codes)
    post(server, tenant, json_body(resent), points)  # warm-up; re-sent later (upserts)
    post(server, tenant, csv_body(block(next(blocks), codes)), points)
    times: dict[str, list[float]] = defaultdict(list)
    cpu: dict[str, list[float]] = defaultdict(list)
    for n in range(rounds):
        fresh = {
            name: block(next(blocks), codes)
            for name in ("json", "csv", "rows", "service", "sql", "bound", "binary")
        }
        steps = _steps(server, tenant, fresh, resent, ingest_pks, copy_pks, points)
        order = list(steps)
        for name in order[n % len(order) :] + order[: n % len(order)]:
            with schema_context(tenant.schema_name):
                ingest_sql.temp_tables_ready()
                result = steps[name]()
            seconds, used = result if isinstance(result, tuple) else (result, None)
            times[name].append(seconds)
            if used is not None:
                cpu[name].append(used)
    return times, cpu


def _at_history(server, tenant, codes, sets, rounds: int, opts, base: dict) -> dict:
    """The same calls again with `opts.history` observations in the table (older history
    written under the warning_scan set, removed afterwards): cost at N vs the first pass."""
    from django_tenants.utils import schema_context

    from bench import warning_scan_history as h

    ingest_pks, copy_pks = sets
    every_id = [*ingest_pks.values(), *copy_pks.values()]
    scan_ids = warning_data.ensure_scan_set(tenant).ids
    with schema_context(tenant.schema_name):
        ingest_sql.clear(every_id)
        if h.history_rows(scan_ids):
            h.remove_history(scan_ids)
        seeded = h.add_history(scan_ids, opts.history)
        rows = h.BASE + h.history_rows(scan_ids)
    try:
        grown, _ = measure(server, tenant, codes, ingest_pks, copy_pks, rounds)
    finally:
        with schema_context(tenant.schema_name):
            ingest_sql.clear(every_id)
            h.remove_history(scan_ids)
    names = ("rows", "json", "csv", "copy")
    ratio = {n: float(np.median(grown[n])) / float(np.median(base[n])) for n in names}
    return {
        "rows": rows,
        "line": f"history {rows:,} observations vs the first pass (same run, {rounds} calls "
        "each, medians; history written in "
        f"{seeded:.0f} s): seconds per call at N / at first "
        + ", ".join(f"{n} {ratio[n]:.2f}x" for n in names)
        + " — target: at most 1.2",
        "metrics": {"rows": rows, **{f"{n}_ratio": round(r, 3) for n, r in ratio.items()}},
    }


def run(opts: harness.Options) -> harness.Result:
    from django_tenants.utils import schema_context

    rounds = opts.requests if opts.requests != harness.Options().requests else ROUNDS
    if 2 + 7 * rounds >= LATER_BLOCKS:
        raise SystemExit(f"at most {(LATER_BLOCKS - 3) // 7} rounds (--requests)")
    clock = harness.Clock()
    tenant = harness.bench_tenant()
    clock.lap("tenant")
    ingest_pks, copy_pks = warning_data.ensure_ingest_sets(tenant)
    if opts.history:  # the first pass at the scan set's 1,000,000 rows, the second at N
        warning_data.ensure_scan_set(tenant)
    codes = list(ingest_pks)
    every_id = [*ingest_pks.values(), *copy_pks.values()]
    points = len(codes) * PER_INDICATOR
    with schema_context(tenant.schema_name):
        ingest_sql.clear(every_id)
        warning_data.vacuum(ingest_sql.OBS)  # dead rows of earlier runs
    clock.lap("indicators, vacuum")
    try:
        with harness.gunicorn_server(workers=opts.workers, threads=opts.threads) as server:
            clock.lap("gunicorn boot")
            times, cpu = measure(server, tenant, codes, ingest_pks, copy_pks, rounds)
            clock.lap(f"measure x{rounds}")
            history = (
                _at_history(server, tenant, codes, (ingest_pks, copy_pks), rounds, opts, times)
                if opts.history
                else None
            )
            if history:
                clock.lap(f"history {history['rows']:,} rows: seed, measure x{rounds}, remove")
        clock.lap("stop")
        later = iter(range(LATER_BLOCKS, LATER_BLOCKS + 10))  # blocks no measured call used
        with schema_context(tenant.schema_name):
            split_json = request_phases(
                tenant, json_body(block(next(later), codes)), json_body(block(next(later), codes))
            )
            split_csv = request_phases(
                tenant, csv_body(block(next(later), codes)), csv_body(block(next(later), codes))
            )
        shapes = ingest_alt.input_shapes(block(next(later), codes))
        clock.lap("split, input shapes")
    finally:
        with schema_context(tenant.schema_name):
            removed = ingest_sql.clear(every_id)
            warning_data.vacuum(ingest_sql.OBS)  # the run's 300,000+ dead rows, not left behind
    clock.lap("clean-up, vacuum")

    med = {name: float(np.median(seconds)) for name, seconds in times.items()}
    rate = {name: points / seconds for name, seconds in med.items()}
    # The bulk path (observationsIngestRows, compact JSON rows) is the ratio; the object-list and
    # CSV forms are printed beside it.
    ratio = harness.ratio(rate["rows"], rate["copy"])
    rows = [
        {
            "name": label,
            "where": where,
            "runs": len(times[name]),
            "median_s": med[name],
            "min_s": min(times[name]),
            "max_s": max(times[name]),
            "obs_s": rate[name],
            "cpu_s": float(np.median(cpu[name])) if cpu.get(name) else None,
            "vs_copy": rate[name] / rate["copy"],
        }
        for name, label, where in LABELS
    ]
    objects_ms = 1000 * shapes["objects"]
    resent = block(0, codes)
    notes = [
        f"ratio = graphql json rows obs/s ÷ COPY obs/s = {ratio:.2f} — target: at least 0.75   "
        f"(csv {rate['csv'] / rate['copy']:.2f}, json objects {rate['json'] / rate['copy']:.2f}, "
        f"service ingest() alone "
        f"{rate['service'] / rate['copy']:.2f})",
        f"against COPY of one binary buffer (numpy, {rate['copy_binary'] / rate['copy']:.2f}x the "
        f"floor's rate): json rows {rate['rows'] / rate['copy_binary']:.2f}, csv "
        f"{rate['csv'] / rate['copy_binary']:.2f}, json objects "
        f"{rate['json'] / rate['copy_binary']:.2f}",
        f"one json call in-process ({split_json.total * 1000:.0f} ms; exclusive wall time, SQL = "
        "inside cursor.execute, psycopg's adaptation of the parameters included):",
        *split_json.lines(),
        f"one csv call in-process ({split_csv.total * 1000:.0f} ms):",
        *split_csv.lines(),
        f"GraphQL input shapes, the same {points:,} points to PointIn objects "
        "(bench/ingest_alt.py: a small schema, execute_sync, no database; median of 3):",
        *[
            f"  {seconds * 1000:8.1f} ms  {seconds * 1000 / objects_ms:5.2f}×  {name}"
            for name, seconds in shapes.items()
        ],
        *([history["line"]] if history else []),
        f"data    {points:,} points a call: {len(codes)} indicators × {PER_INDICATOR} hourly "
        f"timestamps, no dimensions; JSON body {len(json_body(resent)):,} bytes, CSV body "
        f"{len(csv_body(resent)):,} bytes; every write but the re-sent one inserts new rows; "
        f"{removed:,} rows written by the run deleted after it",
        f"server  gunicorn gthread {opts.workers} workers x {opts.threads} threads, one call at a "
        "time, DATABASE_POOL=1, DEBUG off; app CPU = the workers' CPU during the call",
        f"run     {clock.summary()}",
    ]
    harness.print_table(
        f"ingest: {points:,} observations per call through GraphQL vs. PostgreSQL COPY",
        rows,
        notes,
        columns=COLUMNS,
    )

    def figures(name: str) -> dict:
        return {f"{name}_s": round(med[name], 4), f"{name}_obs_per_s": round(rate[name])}

    return harness.Result(
        bench="ingest",
        metrics={
            "points_per_call": points,
            "calls": rounds,
            **figures("json"),
            **figures("csv"),
            **figures("rows"),
            **figures("upsert"),
            **figures("service"),
            **figures("sql_unnest"),
            **figures("sql_bound"),
            **figures("sql_staged"),
            "json_app_cpu_s": round(float(np.median(cpu["json"])), 4),
            "csv_app_cpu_s": round(float(np.median(cpu["csv"])), 4),
            "json_phases_ms": split_json.ms(),
            "csv_phases_ms": split_csv.ms(),
            "input_shapes_ms": {k: round(v * 1000, 1) for k, v in shapes.items()},
            **({"history": history["metrics"]} if history else {}),
        },
        floor={**figures("copy"), **figures("copy_temp"), **figures("copy_binary")},
        ratio=ratio,
    )
