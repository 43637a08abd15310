"""The in-process writes the ingest benchmark times next to the API (bench/ingest.py).

Every function writes one block of points (indicator code, time, value), commit included (the
observations' foreign key is DEFERRABLE INITIALLY DEFERRED: its 10,000 checks run at commit),
and returns its wall seconds. Call them inside the tenant's `schema_context`.

- copy_rows: COPY … FROM STDIN (psycopg `cursor.copy`, one `write_row` per row), the floor;
  into the observations table, or into a temporary table of the same shape (no index, no key);
- service_ingest: `ingestion.ingest()` with the points the resolver passes (datetime objects);
- sql_unnest (the key's name is historical): the service's write alone (`ingestion._upsert`,
  rows already checked): binary COPY straight into the observations in a savepoint, falling back
  to a COPY-staged upsert when a point is already stored;
- evidence for suggestions, the same upsert written otherwise: sql_bound, the same statement
  with server-side binding (a plain psycopg cursor on the same connection and transaction,
  binary parameters); sql_staged, COPY into a temporary staging table, then one
  INSERT … SELECT … ON CONFLICT DO UPDATE.
"""

import gc
import time
from datetime import datetime

OBS = "early_warning_observation"
COLUMNS = "(indicator_id, observed_at, value, dimensions, dimensions_key, received_at)"
COPY_SQL = "COPY {table} " + COLUMNS + " FROM STDIN"
TEMP_TABLE = "bench_observation_copy"
STAGE_TABLE = "bench_observation_stage"
# The unnest() upsert ingestion._upsert used to run, kept as the evidence sql_bound measures.
UNNEST_UPSERT_SQL = f"""
    INSERT INTO {OBS} {COLUMNS}
    SELECT i, t, v, d::jsonb, k, now()
    FROM unnest(%s::uuid[], %s::timestamptz[], %s::float8[], %s::text[], %s::text[])
         AS p(i, t, v, d, k)
    ON CONFLICT (indicator_id, dimensions_key, observed_at)
    DO UPDATE SET value = EXCLUDED.value, dimensions = EXCLUDED.dimensions,
                  received_at = EXCLUDED.received_at
"""
STAGED_UPSERT_SQL = f"""
    INSERT INTO {OBS} {COLUMNS}
    SELECT indicator_id, observed_at, value, dimensions, dimensions_key, now() FROM {STAGE_TABLE}
    ON CONFLICT (indicator_id, dimensions_key, observed_at)
    DO UPDATE SET value = EXCLUDED.value, dimensions = EXCLUDED.dimensions,
                  received_at = EXCLUDED.received_at
"""

Block = list[tuple[str, datetime, float]]  # (indicator code, observed_at, value)


def clear(ids: list) -> int:
    """Delete the observations of these indicators; the number of rows deleted."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {OBS} WHERE indicator_id = ANY(%s)", [ids])
        return cursor.rowcount


def temp_tables_ready() -> None:
    """The session's temporary tables (made once per connection), empty."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {TEMP_TABLE} "
            f"(LIKE {OBS} INCLUDING DEFAULTS INCLUDING IDENTITY)"
        )
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {STAGE_TABLE} (indicator_id uuid, "
            "observed_at timestamptz, value float8, dimensions jsonb, dimensions_key text) "
            "ON COMMIT DELETE ROWS"
        )
        cursor.execute(f"TRUNCATE {TEMP_TABLE}, {STAGE_TABLE}")


def _timed(write) -> float:
    from django.db import transaction

    gc.collect()  # not inside the timing: no collection of an earlier step's garbage
    start = time.perf_counter()
    with transaction.atomic():
        write()
    return time.perf_counter() - start


def copy_rows(points: Block, pks: dict, table: str = OBS) -> float:
    """COPY the points (codes mapped to indicator pks through `pks`) into `table`."""
    from django.db import connection
    from django.utils import timezone

    def write():
        now = timezone.now()
        with connection.cursor() as cursor, cursor.cursor.copy(COPY_SQL.format(table=table)) as cp:
            for code, at, value in points:
                cp.write_row((pks[code], at, value, "{}", "", now))

    return _timed(write)


def copy_buffer(points: Block, pks: dict, table: str = OBS) -> float:
    """The same COPY, binary, of one buffer built as ingestion builds it
    (apps/early_warning/services/copy_binary.py): the database's pace with the cheapest client
    side known here. Printed beside the floor, not the ratio's floor."""
    from django.db import connection
    from django.utils import timezone

    from apps.early_warning.services import copy_binary

    def write():
        now = timezone.now()
        rows = [(pks[code], at, value, {}, "") for code, at, value in points]
        sql = f"COPY {table} {COLUMNS} FROM STDIN (FORMAT BINARY)"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as cp:
            cp.write(copy_binary.buffer(rows, now))

    return _timed(write)


def service_ingest(points: Block) -> float:
    """ingestion.ingest() of the points as observationsIngest's resolver passes them."""
    from apps.early_warning.services.ingestion import PointIn, ingest

    made = [PointIn(code, at, value) for code, at, value in points]

    def write():
        done = ingest(made)
        if done.count != len(points):
            raise RuntimeError(f"ingest() stored {done.count} of {len(points)} points")

    return _timed(write)


def sql_unnest(points: Block, pks: dict) -> float:
    """The service's write alone: ingestion._upsert() of rows as ingest() leaves them."""
    from apps.early_warning.services.ingestion import _upsert

    rows = [(pks[code], at, value, {}, "") for code, at, value in points]
    return _timed(lambda: _upsert(rows))


def sql_bound(points: Block, pks: dict) -> float:
    """The former unnest() upsert, its arrays bound server-side (binary)."""
    import json

    import psycopg
    from django.db import connection

    rows = [(pks[code], at, value, {}, "") for code, at, value in points]

    def write():
        with connection.cursor():  # the tenant's search_path, on the connection in the atomic
            pass
        params = [
            [row[0] for row in rows],
            [row[1] for row in rows],
            [row[2] for row in rows],
            [json.dumps(row[3], sort_keys=True) for row in rows],
            [row[4] for row in rows],
        ]
        with psycopg.Cursor(connection.connection) as cursor:
            cursor.execute(UNNEST_UPSERT_SQL, params, binary=True)

    return _timed(write)


def sql_staged(points: Block, pks: dict) -> float:
    """The same upsert, fed by COPY into a temporary staging table instead of unnest(arrays)."""
    from django.db import connection

    rows = [(pks[code], at, value, "{}", "") for code, at, value in points]

    def write():
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {STAGE_TABLE} FROM STDIN") as cp:
                for row in rows:
                    cp.write_row(row)
            cursor.execute(STAGED_UPSERT_SQL)

    return _timed(write)
