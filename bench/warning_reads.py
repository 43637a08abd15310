"""The reads next to which warning_scan measures a scan (bench/warning_scan.py).

- read_lateral: the floor, the points a scan reads, read as `selectors.windows()` reads them
  (one statement over the series table: newest N per series with LATERAL … LIMIT n, each
  series' times and values as bytes (timestamptz_send, float8send), into numpy by frombuffer);
- read_rows: the floor of session 4, the same points as one row each (the series listed by a
  first statement, then LATERAL … LIMIT n), into numpy from the rows;
- read_plain: every observation of the indicators, a plain SELECT … ORDER BY;
- read_same_shape: the row_number()-over-every-row read windows() used before (13x slower).

Each read goes through the Django connection (the tenant's search_path) into numpy arrays and
returns (seconds, rows, split) where split is execute (PostgreSQL and the transfer), fetch (rows
to Python objects) and numpy.
"""

import time
from collections.abc import Callable
from datetime import UTC, datetime

import numpy as np

from apps.early_warning.selectors import BIG_ENDIAN_F8, WINDOWS_SQL, epoch_seconds

OBS = "early_warning_observation"  # Observation._meta.db_table, in the tenant's schema
SERIES = "early_warning_observationseries"
UNBOUNDED = datetime(1, 1, 1, tzinfo=UTC)
# The series of some indicators with their newest times (kept by ingestion).
SERIES_LIST_SQL = f"""
    SELECT indicator_id, dimensions_key, last_observed_at FROM {SERIES}
    WHERE indicator_id = ANY(%s::uuid[]) ORDER BY 1, 2
"""
# The newest N points of each series from its bound on, a row per point (windows() of session 4).
BOUNDED_POINTS_SQL = f"""
    SELECT s.n - 1, extract(epoch FROM o.observed_at)::float8, o.value
    FROM unnest(%s::uuid[], %s::text[], %s::int[], %s::timestamptz[])
         WITH ORDINALITY AS s(id, dims, cnt, since, n)
    CROSS JOIN LATERAL (
        SELECT observed_at, value FROM {OBS}
        WHERE indicator_id = s.id AND dimensions_key = s.dims AND observed_at >= s.since
        ORDER BY observed_at DESC LIMIT s.cnt) o
    ORDER BY s.n, o.observed_at
"""

SAME_SHAPE_SQL = f"""
    SELECT dense_rank() OVER (ORDER BY o.indicator_id, o.dimensions_key) - 1,
           extract(epoch FROM o.observed_at), o.value
    FROM (SELECT indicator_id, dimensions_key, observed_at, value,
                 row_number() OVER (PARTITION BY indicator_id, dimensions_key
                                    ORDER BY observed_at DESC) AS rn
          FROM {OBS} WHERE indicator_id = ANY(%s)) o
    JOIN unnest(%s::uuid[], %s::int[]) AS k(id, n) ON k.id = o.indicator_id
    WHERE o.rn <= k.n
    ORDER BY o.indicator_id, o.dimensions_key, o.observed_at
"""
PLAIN_SQL = f"""
    SELECT indicator_id, extract(epoch FROM observed_at), value FROM {OBS}
    WHERE indicator_id = ANY(%s) ORDER BY indicator_id, dimensions_key, observed_at
"""


def points_plan(ids: list) -> tuple[dict, dict]:
    """({indicator pk: newest points per series}, {pk: read span}) exactly as scan() computes
    them."""
    from django.utils import timezone

    from apps.early_warning.services import scan_config
    from apps.early_warning.services.scan_rules import points_needed, read_span

    indicators = scan_config.load(ids=ids, every=False, now=timezone.now())
    counts = {i.pk: points_needed(i, i.rules) for i in indicators}
    return counts, {i.pk: read_span(i, counts[i.pk]) for i in indicators}


def _read(sql: str, params: list, to_arrays: Callable[[list], tuple]) -> tuple[float, int, dict]:
    """(seconds, rows, split): execute (PostgreSQL + transfer), fetch (rows → Python), numpy."""
    from django.db import connection

    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        executed = time.perf_counter()
        rows = cursor.fetchall()
    fetched = time.perf_counter()
    arrays = to_arrays(rows)
    done = time.perf_counter()
    assert all(len(a) == len(rows) for a in arrays)
    split = {"execute": executed - start, "fetch": fetched - executed, "numpy": done - fetched}
    return done - start, len(rows), split


def _windows_arrays(rows: list) -> tuple:
    data = np.array(rows, dtype=np.float64).reshape(-1, 3)  # as selectors.windows does
    return data[:, 0].astype(np.int64), data[:, 1], data[:, 2]


def read_same_shape(ids: list, counts: dict) -> tuple[float, int, dict]:
    return _read(SAME_SHAPE_SQL, [ids, ids, [counts[i] for i in ids]], _windows_arrays)


def read_plain(ids: list) -> tuple[float, int, dict]:
    number = {pk: n for n, pk in enumerate(sorted(ids))}

    def arrays(rows: list) -> tuple:
        keys, times, values = zip(*rows, strict=True) if rows else ((), (), ())
        return (
            np.fromiter((number[k] for k in keys), dtype=np.int64, count=len(keys)),
            np.array(times, dtype=np.float64),
            np.array(values, dtype=np.float64),
        )

    return _read(PLAIN_SQL, [ids], arrays)


def read_lateral(ids: list, counts: dict, spans: dict | None = None) -> tuple[float, int, dict]:
    """The same points as the scan reads them (selectors.windows): one statement, a row per
    series with its times and values as bytes, numpy from the bytes."""
    from django.db import connection, transaction

    spans = spans or {}
    ordered = sorted(ids)
    params = [
        ordered,
        [counts[i] for i in ordered],
        [spans[i].total_seconds() if i in spans else None for i in ordered],
    ]
    start = time.perf_counter()
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")  # as windows() does: no JIT compile of it
        cursor.execute(WINDOWS_SQL, params)
        executed = time.perf_counter()
        rows = cursor.fetchall()
    fetched = time.perf_counter()
    lengths = [found for _, _, found, _, _ in rows]
    numbers = np.repeat(np.arange(len(rows), dtype=np.int64), lengths)
    times = epoch_seconds(b"".join(r[3] for r in rows))
    values = np.frombuffer(b"".join(r[4] for r in rows), dtype=BIG_ENDIAN_F8).astype(np.float64)
    done = time.perf_counter()
    assert len(numbers) == len(times) == len(values)
    split = {"execute": executed - start, "fetch": fetched - executed, "numpy": done - fetched}
    return done - start, len(times), split


def read_rows(ids: list, counts: dict, spans: dict | None = None) -> tuple[float, int, dict]:
    """The floor of session 4 (windows() then): the series listing with their newest times,
    then the newest N of each from its bound on, a row per point."""
    from django.db import connection

    spans = spans or {}
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(SERIES_LIST_SQL, [ids])
        series = cursor.fetchall()
    listed = time.perf_counter() - start
    params = [
        [s[0] for s in series],
        [s[1] for s in series],
        [counts[s[0]] for s in series],
        [s[2] - spans[s[0]] if s[0] in spans else UNBOUNDED for s in series],
    ]
    seconds, rows, split = _read(BOUNDED_POINTS_SQL, params, _windows_arrays)
    return listed + seconds, rows, {"series": listed, **split}
