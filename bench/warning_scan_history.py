"""Older history under the scan set, for `warning_scan --history N` and `ingest --history N`.

The scan set (bench/warning_data.py) has 1,000,000 hourly observations ending at END. Here the
scan indicators get more hours before their first point, so the table holds N observations in
all; the scan reads the newest 31 points per series, so its work and signals do not change,
only the size of the table and of its older partitions. No service writes them (the point is
the table's size, and `ingest()` at 10,000 points a call would take an hour for 20M): each whole
month older than the scan set is bulk-loaded as PostgreSQL would restore it — a plain table
filled by one INSERT … SELECT generate_series, its indexes built once (sorted) and the month
attached as a partition (the foreign key checked by one query, not a trigger per row) — and the
part of the scan set's first month before it goes in by one INSERT through the parent. One
statement per row, index maintenance and a foreign-key trigger per row made the single
INSERT … SELECT of session 4 cost ~35 s per million rows. Removed by dropping the whole months
below the scan set and deleting the rest of its first month (partitions.py's retention path)."""

import time
from datetime import UTC, datetime

from bench import warning_data

OBS = "early_warning_observation"
BASE = warning_data.N_INDICATORS * warning_data.N_POINTS


def first_point():
    return warning_data.END - warning_data.STEP * (warning_data.N_POINTS - 1)


def history_rows(ids: list) -> int:
    """Observations of the scan indicators older than the scan set."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {OBS} WHERE indicator_id = ANY(%s::uuid[]) AND observed_at < %s",
            [ids, first_point()],
        )
        return cursor.fetchone()[0]


def add_history(ids: list, total: int) -> float:
    """Seconds to write hours before the scan set until the table holds `total` of its rows."""
    from django.db import connection, transaction

    from apps.early_warning import partitions

    hours = max(0, -(-(total - BASE) // len(ids)))
    if not hours:
        return 0.0
    start = time.monotonic()
    first = first_point()
    oldest = first - warning_data.STEP * hours
    month, here = partitions.month_of(oldest), partitions.month_of(first)
    with connection.cursor() as cursor:
        present = partitions.existing(cursor)
    # A transaction per month: one for all of them held ~200 relation locks to its end, and
    # PostgreSQL's lock table is shared by every session of the server ("out of shared memory"
    # on a busy one). An interrupted run leaves whole months; the next run removes them first.
    while month < here:
        begin = max(oldest, _month_start(month))
        end = _month_start(partitions.add_months(month, 1))
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            if month in present or _default_holds(cursor, month):  # through the parent
                partitions.ensure({month}, cursor)  # (moves the default's rows of the month)
                _insert(cursor, OBS, ids, first, begin, end)
            else:
                _load_month(cursor, month, ids, first, begin, end)
        month = partitions.add_months(month, 1)
    with transaction.atomic(), connection.cursor() as cursor:
        _insert(cursor, OBS, ids, first, max(oldest, _month_start(here)), first)
    warning_data.vacuum(OBS)
    return time.monotonic() - start


def _month_start(month: tuple[int, int]) -> datetime:
    return datetime(month[0], month[1], 1, tzinfo=UTC)


# Hour k before the scan set's first point, for every indicator, in [begin, end).
_ROWS = """
    SELECT {id} i.id, %(first)s - k * interval '1 hour', 100 + (k %% 7), '{{}}'::jsonb, '', now()
    FROM unnest(%(ids)s::uuid[]) AS i(id)
    CROSS JOIN generate_series(
        ceil(extract(epoch FROM %(first)s - %(end)s) / 3600 + 1e-9)::int,
        floor(extract(epoch FROM %(first)s - %(begin)s) / 3600)::int) AS k
"""
_COLUMNS = "indicator_id, observed_at, value, dimensions, dimensions_key, received_at"


def _insert(cursor, table: str, ids: list, first, begin, end) -> None:
    cursor.execute(
        f"INSERT INTO {table} ({_COLUMNS}) " + _ROWS.format(id=""),
        {"ids": ids, "first": first, "begin": begin, "end": end},
    )


def _default_holds(cursor, month) -> bool:
    """Rows of this month in the default partition (a bench COPY writes there when the month
    has no partition): attaching the month would fail on them."""
    from apps.early_warning import partitions

    start, end = _month_start(month), _month_start(partitions.add_months(month, 1))
    cursor.execute(
        f"SELECT EXISTS (SELECT 1 FROM {partitions.DEFAULT} "
        "WHERE observed_at >= %s AND observed_at < %s)",
        [start, end],
    )
    return cursor.fetchone()[0]


def _load_month(cursor, month, ids: list, first, begin, end) -> None:
    """One month as a plain table (keys from a block of the sequence), then attached: its
    indexes are built by the attach, sorted, and the foreign key checked by one query."""
    from apps.early_warning import partitions

    table = partitions.name_of(month)
    cursor.execute(f"CREATE TABLE {table} (LIKE {OBS} INCLUDING DEFAULTS)")
    cursor.execute(f"SELECT nextval('{OBS}_id_seq')")
    (base,) = cursor.fetchone()
    cursor.execute(
        f"INSERT INTO {table} (id, {_COLUMNS}) "
        + _ROWS.format(id=f"{base} + row_number() OVER (),"),
        {"ids": ids, "first": first, "begin": begin, "end": end},
    )
    cursor.execute(f"SELECT setval('{OBS}_id_seq', {base} + %s)", [max(cursor.rowcount, 1)])
    upper = _month_start(partitions.add_months(month, 1))
    cursor.execute(
        f"ALTER TABLE {OBS} ATTACH PARTITION {table} FOR VALUES FROM "
        f"('{_month_start(month).isoformat()}') TO ('{upper.isoformat()}')"
    )


def remove_history(ids: list) -> float:
    """Seconds to drop the older months and delete the rest of the first month's history."""
    from django.db import connection, transaction

    from apps.early_warning import partitions

    start = time.monotonic()
    first = first_point()
    with transaction.atomic():
        partitions.drop_older_than(partitions.month_of(first))
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {OBS} WHERE indicator_id = ANY(%s::uuid[]) AND observed_at < %s",
                [ids, first],
            )
    warning_data.vacuum(OBS)
    return time.monotonic() - start
