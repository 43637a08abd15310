"""Observations in: one point or up to 10,000 at once, all or nothing, upserted.

A point already stored for the same (indicator, time, dimensions) is replaced, never doubled.
Writes are binary COPY (typed columns) straight into the observations, or, when the batch holds
an already stored point, COPY into a temporary table and one INSERT … SELECT … ON CONFLICT DO
UPDATE: whatever the batch size, no bound parameter and no model instance per row (`_upsert`).
"""

import csv
import io
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from psycopg.errors import UniqueViolation

from apps.early_warning import partitions
from apps.early_warning.models import Indicator, Observation, ObservationSeries
from apps.early_warning.services import copy_binary

MAX_POINTS = 10_000
MAX_DIMENSIONS = 5
FUTURE_TOLERANCE = timedelta(days=1)


class PointIn(NamedTuple):
    """One point as a caller gives it (a tuple: 10,000 of them are made per bulk call, and a
    frozen dataclass cost 3 µs each to build)."""

    indicator: str  # the indicator's code
    observed_at: datetime | str
    value: float | str
    dimensions: dict[str, str] | None = None


@dataclass(frozen=True)
class PointError:
    index: int  # position in the call (CSV: the spreadsheet row, header = 1)
    field: str | None
    message: str
    code: str


class IngestRejected(Exception):
    def __init__(self, errors: list[PointError]) -> None:
        super().__init__(f"{len(errors)} bad point(s)")
        self.errors = errors


@dataclass(frozen=True)
class Ingested:
    count: int
    indicator_ids: list


def dimensions_key(dimensions: dict[str, str]) -> str:
    return ";".join(f"{key}={dimensions[key]}" for key in sorted(dimensions))


def ingest(points: list[PointIn], *, positions: list[int] | None = None) -> Ingested:
    """Check every point, then upsert them all in one statement. Raises IngestRejected listing
    every bad point (by its position: list index, or the CSV row), and then nothing is written."""
    if len(points) > MAX_POINTS:
        raise IngestRejected(
            [PointError(0, None, f"At most {MAX_POINTS} points per call.", "too_many_points")]
        )
    errors, rows = _checked(points, positions)
    if errors:
        raise IngestRejected(errors)
    _upsert(list(rows.values()))
    return Ingested(
        count=len(rows), indicator_ids=sorted({row[0] for row in rows.values()}, key=str)
    )


def _checked(
    points: list[PointIn], positions: list[int] | None
) -> tuple[list[PointError], dict[tuple, tuple]]:
    """Every problem of every point (several per point if need be), and the rows to write.

    The loop is the per-point cost of a 10,000-point call: plain types are checked inline (an
    aware datetime, a float, no dimensions) and a time text is parsed once per distinct text (a
    batch repeats the same instants across indicators); a bad point is described by
    `_problems`."""
    codes = {point.indicator for point in points}
    indicators = dict(
        Indicator.objects.filter(code__in=codes, is_active=True).values_list("code", "id")
    )
    latest = timezone.now() + FUTURE_TOLERANCE
    errors: list[PointError] = []
    rows: dict[tuple, tuple] = {}  # last one wins within a call, as it would across calls
    parsed: dict[str, datetime | None] = {}
    finite = math.isfinite
    for index, point in zip(positions or range(len(points)), points, strict=True):
        code, raw, raw_value, dims = point
        indicator_id = indicators.get(code)
        if type(raw) is str:
            observed_at = parsed[raw] if raw in parsed else parsed.setdefault(raw, _time(raw))
        elif type(raw) is datetime:
            observed_at = raw if raw.utcoffset() is not None else None
        else:
            observed_at = _time(raw)
        if type(raw_value) is float:
            value = raw_value if finite(raw_value) else None
        elif type(raw_value) is str:  # CSV: the text as Python reads a float, finite only
            try:
                value = float(raw_value)
            except ValueError:
                value = None
            else:
                value = value if finite(value) else None
        else:
            value = _number(raw_value)
        if dims:
            good = _good_dimensions(dims)
            key = dimensions_key(dims) if good else ""
        else:
            good, key, dims = True, "", {}
        if (
            indicator_id is not None
            and observed_at is not None
            and observed_at <= latest
            and value is not None
            and good
        ):
            # keyed by the code (1:1 with the key here): a str hashes once, a UUID every time
            rows[(code, key, observed_at)] = (indicator_id, observed_at, value, dims, key)
        else:
            errors.extend(_problems(index, point, indicator_id, observed_at, latest, value, good))
    return errors, rows


def _problems(index: int, point: PointIn, indicator_id, observed_at, latest, value, good):
    """What is wrong with one point, field by field, in the order of its fields."""
    if indicator_id is None:
        yield PointError(
            index, "indicator", f"No active indicator {point.indicator!r}.", "not_found"
        )
    if observed_at is None:
        yield PointError(index, "observedAt", "A date-time with a time zone.", "invalid")
    elif observed_at > latest:
        yield PointError(index, "observedAt", "Too far in the future.", "invalid")
    if value is None:
        yield PointError(index, "value", "A finite number.", "invalid")
    if not good:
        yield PointError(
            index,
            "dimensions",
            f"Up to {MAX_DIMENSIONS} text pairs, without '=' or ';'.",
            "invalid",
        )


def _good_dimensions(dims: object) -> bool:
    return (
        isinstance(dims, dict)
        and len(dims) <= MAX_DIMENSIONS
        and all(
            isinstance(k, str)
            and isinstance(v, str)
            and k
            and len(k) <= 40
            and len(v) <= 60
            and "=" not in k
            and ";" not in k + v
            for k, v in dims.items()
        )
    )


def _time(raw) -> datetime | None:
    moment: datetime | None
    if isinstance(raw, datetime):
        moment = raw
    else:
        try:
            moment = parse_datetime(str(raw).strip())
        except ValueError:
            return None
    return moment if moment is not None and timezone.is_aware(moment) else None


def _number(raw) -> float | None:
    if isinstance(raw, bool):  # JSON true/false: a bool is an int to Python, not a measurement
        return None
    try:
        value = float(raw)
    except (TypeError, ValueError, OverflowError):
        return None
    return value if math.isfinite(value) else None


OBSERVATIONS = Observation._meta.db_table
SERIES = ObservationSeries._meta.db_table
STAGE = "ingest_points"  # the session's staging table (temporary: its rows go at commit)
COLUMNS = "indicator_id, observed_at, value, dimensions, dimensions_key"


def _upsert(rows: list[tuple]) -> None:
    """Write the checked rows, replacing the stored points of the same unique key.

    New points (the usual batch: times never sent before) go straight into the observations
    with COPY, binary with typed columns, in a savepoint: the database's own pace. A batch that
    holds an already stored point fails that COPY on the unique key; the savepoint is rolled
    back and the batch is staged with the same COPY into a temporary table and upserted in one
    INSERT … SELECT … ON CONFLICT DO UPDATE. Either way no bound parameter per value (what made
    an unnest() upsert 1.8-2x slower, bench/ingest.py), and then the series' newest times.
    """
    if not rows:
        return
    with transaction.atomic(), connection.cursor() as cursor:
        _ensure_partitions(rows, cursor)
        try:
            with transaction.atomic():
                _copy(f"{OBSERVATIONS} ({COLUMNS}, received_at)", rows, cursor, timezone.now())
        except UniqueViolation:
            _staged_upsert(rows, cursor)
        _series_upsert(rows, cursor)


def _copy(target: str, rows: list[tuple], cursor, received_at=None) -> None:
    """COPY the rows into `target` (a table and its columns), binary with typed columns: one
    buffer built by numpy (copy_binary.py), not a dump per value."""
    with cursor.cursor.copy(f"COPY {target} FROM STDIN (FORMAT BINARY)") as copy:
        copy.write(copy_binary.buffer(rows, received_at))


def _staged_upsert(rows: list[tuple], cursor) -> None:
    """The batch into the staging table (made once per connection, emptied after use so that a
    second call in the same transaction starts from nothing), then one upsert from it."""
    cursor.execute(
        f"CREATE TEMPORARY TABLE IF NOT EXISTS {STAGE} (indicator_id uuid, "
        "observed_at timestamptz, value float8, dimensions jsonb, dimensions_key text) "
        "ON COMMIT DELETE ROWS"
    )
    _copy(STAGE, rows, cursor)
    cursor.execute(
        f"""
        INSERT INTO {OBSERVATIONS} ({COLUMNS}, received_at)
        SELECT {COLUMNS}, now() FROM {STAGE}
        ON CONFLICT (indicator_id, dimensions_key, observed_at)
        DO UPDATE SET value = EXCLUDED.value, dimensions = EXCLUDED.dimensions,
                      received_at = EXCLUDED.received_at
        """
    )
    cursor.execute(f"TRUNCATE {STAGE}")


def _series_upsert(rows: list[tuple], cursor) -> None:
    """Each series of the batch and its newest time, which a scan's read is bounded by
    (selectors): a series' time only moves forward."""
    newest: dict[tuple, datetime] = {}
    for indicator_id, observed_at, _, _, key in rows:
        series = (indicator_id, key)
        if series not in newest or observed_at > newest[series]:
            newest[series] = observed_at
    cursor.execute(
        f"""
        INSERT INTO {SERIES} AS s (indicator_id, dimensions_key, last_observed_at)
        SELECT * FROM unnest(%s::uuid[], %s::text[], %s::timestamptz[])
        ON CONFLICT (indicator_id, dimensions_key)
        DO UPDATE SET last_observed_at = greatest(s.last_observed_at, EXCLUDED.last_observed_at)
        """,
        [[i for i, _ in newest], [k for _, k in newest], list(newest.values())],
    )


def points_from_rows(rows: object) -> list[PointIn]:
    """The compact JSON form: [[indicator, observed_at, value], …] or with a 4th item, the
    dimensions. Shape errors are reported by position, like any other bad point."""
    if not isinstance(rows, list):
        raise IngestRejected(
            [
                PointError(
                    0,
                    None,
                    "rows is a list of [indicator, observedAt, value, dimensions?] lists.",
                    "invalid",
                )
            ]
        )
    if len(rows) > MAX_POINTS:
        raise IngestRejected(
            [PointError(0, None, f"At most {MAX_POINTS} points per call.", "too_many_points")]
        )
    points, positions, errors = [], [], []
    for index, row in enumerate(rows):
        if not isinstance(row, list) or len(row) not in (3, 4) or not isinstance(row[0], str):
            errors.append(
                PointError(
                    index, None, "Expected [indicator, observedAt, value, dimensions?].", "invalid"
                )
            )
            continue
        points.append(PointIn(row[0], row[1], row[2], row[3] if len(row) == 4 else None))
        positions.append(index)
    if errors:  # the well-shaped rows are checked too: every problem of the call at once
        value_errors, _ = _checked(points, positions)
        raise IngestRejected(sorted(errors + value_errors, key=lambda e: e.index))
    return points


def points_from_csv(text: str) -> tuple[list[PointIn], list[int]]:
    """CSV with a header: indicator, observed_at, value, then any dimension columns.
    Returns the points and their row numbers (header = 1) for error reports."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = [cell.strip().lower() for cell in next(reader, [])]
    required = ["indicator", "observed_at", "value"]
    if header[:3] != required:
        raise IngestRejected(
            [PointError(1, None, "The header starts indicator,observed_at,value.", "invalid")]
        )
    extra = header[3:]
    points, rows = [], []
    width = len(header)
    if not extra:  # the usual file: three columns, no dimensions (the same rules, less work)
        for row, cells in enumerate(reader, start=2):
            if len(cells) == 3:
                code, at, value = cells[0].strip(), cells[1].strip(), cells[2].strip()
                if not (code or at or value):
                    continue  # a blank line of separators and spaces
            elif not "".join(cells).strip():
                continue
            else:
                cells = [*cells, "", "", ""]
                code, at, value = cells[0].strip(), cells[1].strip(), cells[2].strip()
            rows.append(row)
            points.append(PointIn(code, at, value, {}))
        return points, rows
    for row, cells in enumerate(reader, start=2):
        if not "".join(cells).strip():  # a blank line, or only separators and spaces
            continue
        rows.append(row)
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        dims = (
            {name: cells[3 + i].strip() for i, name in enumerate(extra) if cells[3 + i].strip()}
            if extra
            else {}
        )
        points.append(PointIn(cells[0].strip(), cells[1].strip(), cells[2].strip(), dims))
    return points, rows


def _ensure_partitions(rows: list[tuple], cursor) -> None:
    """The monthly partitions of the batch exist before it is written (else its rows would land
    in the default partition, which must stay empty: apps/early_warning/partitions.py): every
    month between the oldest and the newest point, or the months present when they span years."""
    oldest = partitions.month_of(min(rows, key=_at)[1])
    newest = partitions.month_of(max(rows, key=_at)[1])
    span = (newest[0] - oldest[0]) * 12 + newest[1] - oldest[1]
    if span <= 36:
        months = {partitions.add_months(oldest, n) for n in range(span + 1)}
    else:
        months = {partitions.month_of(row[1]) for row in rows}
    partitions.ensure(months, cursor)


def _at(row: tuple):
    return row[1]
