"""Observations are partitioned by month on `observed_at` (PostgreSQL declarative partitioning,
in each tenant's schema): a scan or an ingestion touches the newest partitions only, whatever
the length of the history, and retention drops whole months instead of deleting rows.

- `early_warning_observation_pYYYYMM` holds [first of the month, first of the next) in UTC.
- `early_warning_observation_default` catches a row no monthly partition covers. It should stay
  empty: ingestion makes the months of its points first, and the daily tick makes the months
  ahead (`MONTHS_AHEAD`). A row in it blocks creating that month's partition (PostgreSQL checks
  the default for rows of the new range), so `default_rows()` is watched
  (`manage.py observation_partitions --check`, and the tick logs an error).
- Retention (`WarningSettings.retention_months`, empty: keep everything) detaches and drops the
  partitions wholly older than the limit.

Every function works in the connection's current schema (the tenant's)."""

import logging
import re
from collections.abc import Iterable
from datetime import UTC, datetime

from django.db import connection

log = logging.getLogger(__name__)

PARENT = "early_warning_observation"
DEFAULT = f"{PARENT}_default"
MONTHS_AHEAD = 3
_NAME = re.compile(rf"^{PARENT}_p(\d{{4}})(\d{{2}})$")

Month = tuple[int, int]


def month_of(moment: datetime) -> Month:
    utc = moment.astimezone(UTC)
    return utc.year, utc.month


def add_months(month: Month, n: int) -> Month:
    index = month[0] * 12 + month[1] - 1 + n
    return index // 12, index % 12 + 1


def _start(month: Month) -> str:
    return f"{month[0]:04d}-{month[1]:02d}-01 00:00:00+00"


def name_of(month: Month) -> str:
    return f"{PARENT}_p{month[0]:04d}{month[1]:02d}"


def existing(cursor=None) -> set[Month]:
    """The months that have a partition in the current schema."""
    sql = """
        SELECT c.relname FROM pg_inherits i
        JOIN pg_class c ON c.oid = i.inhrelid
        JOIN pg_class p ON p.oid = i.inhparent
        WHERE p.relname = %s AND p.relnamespace = to_regnamespace(current_schema())::oid
    """
    if cursor is None:
        with connection.cursor() as own:
            own.execute(sql, [PARENT])
            rows = own.fetchall()
    else:
        cursor.execute(sql, [PARENT])
        rows = cursor.fetchall()
    months = set()
    for (name,) in rows:
        if found := _NAME.match(name):
            months.add((int(found[1]), int(found[2])))
    return months


def ensure(months: Iterable[Month], cursor=None) -> list[Month]:
    """Make the partitions of these months that do not exist yet; returns those made."""
    wanted = set(months)
    if not wanted:
        return []
    own = cursor is None
    cursor = cursor or connection.cursor()
    try:
        made = sorted(wanted - existing(cursor))
        for month in made:
            _make(month, cursor)
        return made
    finally:
        if own:
            cursor.close()


def _make(month: Month, cursor) -> None:
    """The month's partition. Rows of that month already in the default partition (a COPY into
    the table, say) are moved into it first: PostgreSQL refuses a new partition whose range the
    default holds rows of."""
    start, end = _start(month), _start(add_months(month, 1))
    bounds = f"FOR VALUES FROM ('{start}') TO ('{end}')"
    in_range = f"observed_at >= '{start}' AND observed_at < '{end}'"
    cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {DEFAULT} WHERE {in_range})")
    if not cursor.fetchone()[0]:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {name_of(month)} PARTITION OF {PARENT} {bounds}"
        )
        return
    log.warning("moving rows of %s out of the default observation partition", month)
    table = name_of(month)
    cursor.execute(f"CREATE TABLE {table} (LIKE {PARENT} INCLUDING DEFAULTS)")
    cursor.execute(
        f"WITH moved AS (DELETE FROM {DEFAULT} WHERE {in_range} RETURNING *) "
        f"INSERT INTO {table} SELECT * FROM moved"
    )
    cursor.execute(f"ALTER TABLE {PARENT} ATTACH PARTITION {table} {bounds}")


def ensure_ahead(now: datetime, ahead: int = MONTHS_AHEAD) -> list[Month]:
    """This month and the next `ahead` ones (the tick's daily work)."""
    this = month_of(now)
    return ensure(add_months(this, n) for n in range(ahead + 1))


def ensure_for(moments: Iterable[datetime]) -> list[Month]:
    """The months of these observations (ingestion, before it writes them)."""
    return ensure({month_of(m) for m in moments})


def default_rows() -> int:
    """Rows in the default partition (should be 0; at most 1 is counted)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM (SELECT 1 FROM {DEFAULT} LIMIT 1) AS d")
        return cursor.fetchone()[0]


def drop_older_than(month: Month) -> list[Month]:
    """Detach and drop every monthly partition that ends on or before the start of `month`
    (whole months only: a partition with any newer data is kept)."""
    dropped = []
    with connection.cursor() as cursor:
        for old in sorted(m for m in existing(cursor) if add_months(m, 1) <= month):
            cursor.execute(f"ALTER TABLE {PARENT} DETACH PARTITION {name_of(old)}")
            cursor.execute(f"DROP TABLE {name_of(old)}")
            dropped.append(old)
    if dropped:
        log.info("observation partitions dropped by retention: %s", dropped)
    return dropped
