"""Older history under the scan set, for `warning_scan --history N` and `ingest --history N`.

The scan set (bench/warning_data.py) has 1,000,000 hourly observations ending at END. Here the
scan indicators get more hours before their first point, so the table holds N observations in
all; the scan reads the newest 31 points per series, so its work and signals do not change,
only the size of the table and of its older partitions. Rows are written by one INSERT … SELECT
generate_series (no service: the point is the table's size, and `ingest()` at 10,000 points a
call would take an hour for 20M), the months made first; removed by dropping the whole months
below the scan set and deleting the rest of its first month (partitions.py's retention path)."""

import time

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
    month, months = partitions.month_of(oldest), set()
    while month <= partitions.month_of(first):
        months.add(month)
        month = partitions.add_months(month, 1)
    with transaction.atomic():
        partitions.ensure(months)
        with connection.cursor() as cursor:
            cursor.execute(
                f"""INSERT INTO {OBS} (indicator_id, observed_at, value, dimensions,
                                       dimensions_key, received_at)
                    SELECT i.id, %s - k * interval '1 hour', 100 + (k %% 7), '{{}}', '', now()
                    FROM unnest(%s::uuid[]) AS i(id) CROSS JOIN generate_series(1, %s) AS k""",
                [first, ids, hours],
            )
    warning_data.vacuum(OBS)
    return time.monotonic() - start


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
