"""Reads of the early-warning data: series windows as numpy arrays, indicator status, charts."""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection, transaction
from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import JSONObject

from apps.early_warning import analytics
from apps.early_warning.models import (
    CLOSED_STATUSES,
    LIVE_STATUSES,
    Indicator,
    Observation,
    ObservationSeries,
    Rule,
    SignalComment,
    WarningSettings,
    WarningSignal,
)

OBS = Observation._meta.db_table
SERIES = ObservationSeries._meta.db_table


@dataclass
class Windows:
    """The newest points of every series of some indicators, as flat arrays sorted by series then
    time, with `series[i]` = (indicator_id, dimensions_key) of series number i."""

    series: list[tuple]
    numbers: np.ndarray  # int64 series number of each point
    times: np.ndarray  # float64 epoch seconds
    values: np.ndarray  # float64


# Every (indicator, dimensions) series by a loose index scan: one probe of the unique index per
# series, where a GROUP BY would read every index entry of the indicators.
SERIES_SQL = f"""
    SELECT i.id, d.k FROM unnest(%s::uuid[]) AS i(id)
    CROSS JOIN LATERAL (
        WITH RECURSIVE r(k) AS (
            (SELECT dimensions_key FROM {OBS} WHERE indicator_id = i.id
             ORDER BY dimensions_key LIMIT 1)
            UNION ALL
            SELECT (SELECT o.dimensions_key FROM {OBS} o
                    WHERE o.indicator_id = i.id AND o.dimensions_key > r.k
                    ORDER BY o.dimensions_key LIMIT 1)
            FROM r WHERE r.k IS NOT NULL)
        SELECT k FROM r WHERE k IS NOT NULL) AS d
    ORDER BY 1, 2
"""
# The newest N points of each series, walking the same index backwards (LIMIT per series),
# numbered by the series' position in the list above.
POINTS_SQL = f"""
    SELECT s.n - 1, extract(epoch FROM o.observed_at)::float8, o.value
    FROM unnest(%s::uuid[], %s::text[], %s::int[]) WITH ORDINALITY AS s(id, dims, cnt, n)
    CROSS JOIN LATERAL (
        SELECT observed_at, value FROM {OBS}
        WHERE indicator_id = s.id AND dimensions_key = s.dims
        ORDER BY observed_at DESC LIMIT s.cnt) o
    ORDER BY s.n, o.observed_at
"""


MAX_SERIES_LISTED = 500


def series_keys(indicator_id) -> list[str]:
    """The dimensions keys of an indicator's series, sorted (the loose index scan above)."""
    with connection.cursor() as cursor:
        cursor.execute(SERIES_SQL + f" LIMIT {MAX_SERIES_LISTED}", [[indicator_id]])
        return [key for _, key in cursor.fetchall()]


def dimensions_of(key: str) -> dict[str, str]:
    """`k=v;k=v` back into {k: v} (the format ingestion writes: keys sorted)."""
    return dict(part.split("=", 1) for part in key.split(";") if "=" in part) if key else {}


# One row per series of the indicators listed (in their order, then by dimensions): the newest
# N points from `newest - span` on (so the partitions of older months are pruned while the
# query runs: the bound is a parameter of the lateral index scan; no span, no bound), as two
# byte strings in time order, with their number: the times as PostgreSQL stores them
# (timestamptz_send: big-endian int64 microseconds since 2000-01-01; a third cheaper than
# extract(epoch), a numeric), the values as big-endian float64 (float8send). One statement
# over the series table, no row per point: numpy reads the bytes as they come.
WINDOWS_SQL = f"""
    SELECT p.n - 1, s.dimensions_key, w.found, w.times, w.vals
    FROM unnest(%s::uuid[], %s::int[], %s::float8[]) WITH ORDINALITY AS p(id, cnt, span, n)
    JOIN {SERIES} s ON s.indicator_id = p.id
    CROSS JOIN LATERAL (
        SELECT count(*) AS found,
               string_agg(timestamptz_send(o.observed_at), '' ORDER BY o.observed_at) AS times,
               string_agg(float8send(o.value), '' ORDER BY o.observed_at) AS vals
        FROM (SELECT observed_at, value FROM {OBS}
              WHERE indicator_id = s.indicator_id AND dimensions_key = s.dimensions_key
                AND observed_at >= coalesce(s.last_observed_at - p.span * interval '1 second',
                                            '-infinity')
              ORDER BY observed_at DESC LIMIT p.cnt) o) w
    ORDER BY p.n, s.dimensions_key
"""
BIG_ENDIAN_F8 = np.dtype(">f8")
BIG_ENDIAN_I8 = np.dtype(">i8")
PG_EPOCH_US = 946_684_800_000_000  # 2000-01-01 in Unix microseconds


def epoch_seconds(sent: bytes) -> np.ndarray:
    """timestamptz_send bytes to float64 Unix seconds: the microseconds made Unix first, as
    integers, so the one rounding is the division's (the same float as extract(epoch)::float8)."""
    micros = np.frombuffer(sent, dtype=BIG_ENDIAN_I8).astype(np.int64) + PG_EPOCH_US
    return micros / 1e6


def windows(points_per_indicator: dict, spans: dict | None = None) -> Windows:
    """The newest N points of every series of these indicators ({pk: N}), in one statement
    (WINDOWS_SQL): each series' points from `newest - spans[pk]` on, so older months are not
    read at all; the indicators that have a series with fewer than N points in that span are
    read again without a bound (a second statement, for those only). Series without any point
    are left out.

    (Numbering every row with a window function instead read all of them: 13x slower on
    1,000 indicators × 1,000 points; a row per point and a statement listing the series first
    cost the rest: bench/warning_scan.py.)
    """
    spans = spans or {}
    ids = sorted(points_per_indicator, key=_uuid_order)  # the order the series list sorted by
    found = _series_windows(
        ids,
        [points_per_indicator[i] for i in ids],
        [spans[i].total_seconds() if i in spans else None for i in ids],
    )
    need = [points_per_indicator[i] for i in ids]
    short = {ids[k] for k, _, got, _, _ in found if ids[k] in spans and got < need[k]}
    if short:  # irregular or sparse series: their N newest points, wherever they are
        again_ids = sorted(short, key=_uuid_order)
        again = _series_windows(
            again_ids, [points_per_indicator[i] for i in again_ids], [None] * len(again_ids)
        )
        redone = {(again_ids[k], dims): row for k, dims, *row in again}
        found = [
            (k, dims, *redone[ids[k], dims]) if ids[k] in short else (k, dims, got, times, vals)
            for k, dims, got, times, vals in found
        ]
    series, lengths, time_parts, value_parts = [], [], [], []
    for k, dims, got, times, vals in found:
        if not got:  # a series listed but emptied (retention, a delete)
            continue
        series.append((ids[k], dims))
        lengths.append(got)
        time_parts.append(times)
        value_parts.append(vals)
    return Windows(
        series=series,
        numbers=np.repeat(np.arange(len(series), dtype=np.int64), lengths),
        times=epoch_seconds(b"".join(time_parts)),
        values=np.frombuffer(b"".join(value_parts), dtype=BIG_ENDIAN_F8).astype(np.float64),
    )


def _uuid_order(pk) -> Any:
    """Python's order of keys as PostgreSQL orders uuids (bytewise), whether UUID or text."""
    return pk if isinstance(pk, uuid.UUID) else uuid.UUID(str(pk))


def _series_windows(ids: list, counts: list[int], spans: list) -> list[tuple]:
    """WINDOWS_SQL without JIT. The planner's estimate for it grows with the older partitions
    (each lateral probe could read a whole month), past `jit_optimize_above_cost` from a few
    million rows on; PostgreSQL then spends 3.5 s compiling a query that runs in 0.2 s (5M
    rows, bench/warning_scan.py --history). `SET LOCAL` holds to the end of the transaction:
    inside a scan's chunk, for the rest of that chunk."""
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(WINDOWS_SQL, [ids, counts, spans])
        return cursor.fetchall()


def due_indicators(now: datetime) -> QuerySet[Indicator]:
    """Active indicators whose frequency says a scan is due at `now` (never scanned: due)."""
    next_due = ExpressionWrapper(
        F("last_scanned_at") + F("frequency_minutes") * timedelta(minutes=1),
        output_field=DateTimeField(),
    )
    return (
        Indicator.objects.filter(is_active=True)
        .alias(next_due=next_due)
        .filter(Q(last_scanned_at__isnull=True) | Q(next_due__lte=now))
    )


_CLOSED = ", ".join(f"'{status}'" for status in CLOSED_STATUSES)
CLOSED_SQL = f"""
    SELECT DISTINCT ON (indicator_id, rule_id, dimensions_key)
           indicator_id, rule_id, dimensions_key, last_observed_at
    FROM {WarningSignal._meta.db_table}
    WHERE indicator_id = ANY(%s::uuid[]) AND status IN ({_CLOSED})
    ORDER BY indicator_id, rule_id, dimensions_key, last_observed_at DESC NULLS LAST
"""


def closed_coverage(indicator_ids: list) -> dict:
    """{(indicator, rule, dimensions): newest observation covered} of the newest closed signal of
    each series: one query (DISTINCT ON, along the partial index of closed signals), the keys
    as one array parameter."""
    with connection.cursor() as cursor:
        cursor.execute(CLOSED_SQL, [list(indicator_ids)])
        return {(i, r, d): at for i, r, d, at in cursor.fetchall()}


def status_annotations() -> dict:
    """What an indicator's status needs, as subqueries of its own row (no query per row): the
    newest value and its time, and whether a live red or amber signal exists."""
    newest = Observation.objects.filter(indicator=OuterRef("pk")).order_by("-observed_at")
    live = WarningSignal.objects.filter(indicator=OuterRef("pk"), status__in=LIVE_STATUSES)
    return {
        "latest_value": Subquery(newest.values("value")[:1]),
        "latest_at": Subquery(newest.values("observed_at")[:1]),
        "live_red": Exists(live.filter(severity="red")),
        "live_amber": Exists(live.filter(severity="amber")),
    }


# The fields status_of reads from the row itself.
STATUS_FIELDS = [
    "stale_after_minutes",
    "direction",
    "threshold_mode",
    "amber",
    "red",
    "calibrated_amber",
    "calibrated_red",
]


def indicators() -> QuerySet[Indicator]:
    """Indicators with what their status needs, annotated in the same query (no N+1)."""
    return Indicator.objects.order_by("code").annotate(**status_annotations())


def indicator_list(
    *,
    search: str | None = None,
    code: str | None = None,
    statuses: list[str] | None = None,
    category_id=None,
    risk_id=None,
    active: bool | None = None,
    archived: bool = False,
    now: datetime,
) -> QuerySet[Indicator]:
    """Indicators matching every condition given (the archived ones only when asked for)."""
    from apps.risks import selectors as risk_selectors

    qs = indicators().filter(archived_at__isnull=not archived)
    if search and search.strip():
        term = search.strip()
        qs = qs.filter(Q(name__icontains=term) | Q(code__icontains=term))
    if code is not None:
        qs = qs.filter(code=code.strip().lower())
    if category_id is not None:
        below = risk_selectors.category_and_below(category_id, via="category")
        qs = qs.filter(below) if below is not None else qs.none()
    if risk_id is not None:
        qs = qs.filter(risks=risk_id)
    if active is not None:
        qs = qs.filter(is_active=active)
    if statuses:
        # The status is computed (thresholds in force, live signals, staleness at `now`): the
        # matching rows are picked from one read of the candidates' own annotated fields.
        wanted = {
            row.pk for row in qs.only("pk", *STATUS_FIELDS) if status_of(row, now) in set(statuses)
        }
        qs = qs.filter(pk__in=wanted)
    return qs


def status_of(indicator: Indicator, now: datetime) -> str:
    """The worse of its latest value against the thresholds in force and its live signals (so
    it is right before any scan, and stays red while a red signal is open); else stale when
    data is older than its limit, unknown without any data, green otherwise."""
    if not hasattr(indicator, "live_red"):
        indicator = indicators().get(pk=indicator.pk)
    row: Any = indicator  # with the annotations of status_annotations()
    by_value = "green"
    if row.latest_value is not None:
        amber, red = indicator.thresholds()
        by_value = analytics.threshold_breach(
            [row.latest_value], amber=amber, red=red, direction=indicator.direction
        ).severity
    if row.live_red or by_value == "red":
        return "red"
    if row.live_amber or by_value == "amber":
        return "amber"
    if row.latest_at is None:
        return "unknown"
    limit = indicator.stale_after_minutes
    if limit and (now - row.latest_at).total_seconds() > limit * 60:
        return "stale"
    return "green"


def responsible_people(tenant_id) -> ArraySubquery:
    """The indicator's responsible users who are members of this tenant, as
    [{id, email, full_name}]: a subquery of the indicator's row (users live in `public`,
    which every tenant's search path includes)."""
    from apps.accounts.models import User

    users = (
        User.objects.filter(memberships__tenant_id=tenant_id)
        .alias(
            position=Func(
                OuterRef("responsible_ids"),
                F("pk"),
                function="array_position",
                output_field=IntegerField(),
            )
        )
        .filter(position__isnull=False)
        .order_by("pk")
        .values(person=JSONObject(id="id", email="email", full_name="full_name"))
    )
    return ArraySubquery(users)


def responsible_people_of(indicator: Indicator, tenant_id) -> list[dict]:
    """The same for one indicator read on its own (one query)."""
    return (
        Indicator.objects.filter(pk=indicator.pk)
        .annotate(people=responsible_people(tenant_id))
        .values_list("people", flat=True)
        .first()
    ) or []


AGGREGATES = {
    "avg": "avg(value)",
    "min": "min(value)",
    "max": "max(value)",
    "sum": "sum(value)",
    "last": "(array_agg(value ORDER BY observed_at DESC))[1]",
    "count": "count(*)",
}


def series_buckets(
    *,
    indicator_id,
    start: datetime,
    end: datetime,
    bucket_seconds: int,
    aggregate: str,
    dimensions_key: str | None,
) -> list[tuple[datetime, float]]:
    """Points for a chart: one per bucket (date_bin), aggregated in SQL."""
    where = "indicator_id = %s AND observed_at >= %s AND observed_at < %s"
    params: list = [indicator_id, start, end]
    if dimensions_key is not None:
        where += " AND dimensions_key = %s"
        params.append(dimensions_key)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT date_bin(%s::interval, observed_at, %s) AS bucket, {AGGREGATES[aggregate]} "
            f"FROM {OBS} WHERE {where} GROUP BY bucket ORDER BY bucket",
            [f"{bucket_seconds} seconds", start, *params],
        )
        return [(bucket, float(value)) for bucket, value in cursor.fetchall()]


def signal_counts(signals: QuerySet[WarningSignal]) -> list[tuple[str, str, int]]:
    """(status, severity, count) of `signals`, grouped in one query."""
    return list(
        signals.order_by()
        .values_list("status", "severity")
        .annotate(count=Count("pk"))
        .values_list("status", "severity", "count")
    )


def signal_history() -> QuerySet[SignalComment]:
    """The status changes of signals (thread entries with a target status), oldest first."""
    return SignalComment.objects.exclude(to_status="").order_by("at", "created_at")


def warning_settings() -> WarningSettings:
    """The tenant's one row, created on first read (a racing second create fails on the unique
    `singleton`; get_or_create then reads the winner's row)."""
    return WarningSettings.objects.get_or_create(singleton=True)[0]


def signals_of_risk(risk_id, *, order: list) -> QuerySet[WarningSignal]:
    """The warning signals of the indicators that watch a risk (for the register's risk page),
    sorted by the caller's ORDER BY expressions."""
    return WarningSignal.objects.filter(indicator__risks=risk_id).order_by(*order)


# Read by other modules (emergency plans' triggers): rules and signals, unfiltered querysets.
def rules() -> QuerySet[Rule]:
    return Rule.objects.all()


def signals() -> QuerySet[WarningSignal]:
    return WarningSignal.objects.all()
