"""Brand metrics: survey and analytics figures per period (awareness, favourability, loyalty,
satisfaction, NPS, retention, conversion, activity — any subset), and what they add to the
reputation index.

Ingested in bulk (at most 1,000 a call), all or nothing, idempotent on (metric, source,
period): a figure sent again replaces its value. The days of the period already computed are
computed again at once (with the index's brand part), so the history follows.

In the index, the **brand part** of a day is the mean, over the metrics whose period covers
the day, of each metric's normalised value (the mean of its sources' values):

    percentage metrics: value / 100          NPS: (value + 100) / 200

(0 worst, 1 best). It enters the index with the tenant's `weight_brand`; a day no metric
covers leaves it out, like S and N on a day without scored mentions (services/index.py).
"""

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from apps.reputation.errors import ReputationErrorCode as Code
from apps.reputation.models import BrandMetric, BrandMetricKind, ReputationDay
from apps.reputation.services.common import Problems

MAX_ROWS = 1_000
MAX_PERIOD_DAYS = 366
FIELDS = ("metric", "source", "period_start", "period_end", "value", "sample_size")


@dataclass(frozen=True)
class BrandMetricsOutcome:
    created: int
    updated: int
    unchanged: int
    days: int  # computed days refreshed


def normalised(metric: str, value: float) -> float:
    """0 (worst) to 1 (best)."""
    if metric == BrandMetricKind.NPS:
        return (value + 100) / 200
    return value / 100


def _check(i: int, row: dict, problems: Problems) -> tuple | None:
    where = f"metrics.{i}"
    metric, source = row.get("metric"), " ".join(str(row.get("source") or "").split())
    start, end, value = row.get("period_start"), row.get("period_end"), row.get("value")
    size = row.get("sample_size")
    before = len(problems.errors)
    if metric not in BrandMetricKind.values:
        problems.add(f"{where}.metric", "Unknown metric.")
    if not source:
        problems.add(f"{where}.source", "The survey or analytics feed it comes from.")
    elif len(source) > 100:
        problems.add(f"{where}.source", "At most 100 characters.")
    if not isinstance(start, date) or not isinstance(end, date):
        problems.add(f"{where}.period_start", "The first and last day of the period.")
    elif not date(1900, 1, 1) <= start <= end <= date(2999, 12, 31):
        problems.add(f"{where}.period_end", "On or after the first day (years 1900–2999).")
    elif (end - start).days >= MAX_PERIOD_DAYS:
        problems.add(f"{where}.period_end", f"A period of at most {MAX_PERIOD_DAYS} days.")
    low = -100 if metric == BrandMetricKind.NPS else 0
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        problems.add(f"{where}.value", "A number.")
    elif not low <= value <= 100:
        problems.add(f"{where}.value", f"From {low} to 100 for this metric.")
    if size is not None and (isinstance(size, bool) or not isinstance(size, int) or size < 1):
        problems.add(f"{where}.sample_size", "At least 1 respondent.")
    if len(problems.errors) != before:
        return None
    return (metric, source, start, end, float(value), size)  # type: ignore[arg-type]


@transaction.atomic
def brand_metrics_ingest(*, metrics: list[dict], actor=None) -> BrandMetricsOutcome:
    """Store the figures (every one checked first; any refusal and nothing is stored), then
    compute again the stored days their periods cover."""
    from apps.reputation.services.index import MAX_DAYS, days_refresh

    problems = Problems()
    if not metrics:
        problems.add("metrics", "At least one figure.")
    if len(metrics) > MAX_ROWS:
        problems.add("metrics", f"At most {MAX_ROWS:,} figures a call.", Code.TOO_MANY)
    problems.raise_any()
    checked: dict[tuple, tuple] = {}
    for i, row in enumerate(metrics):
        unknown = set(row) - set(FIELDS)
        if unknown:
            raise TypeError(f"brand_metrics_ingest() got unexpected fields {sorted(unknown)}")
        values = _check(i, row, problems)
        if values is None:
            continue
        key = values[:4]
        if key in checked:
            problems.add(f"metrics.{i}", f"Also figure {checked[key][0]} of this call.")
        checked[key] = (i, values)
    problems.raise_any()
    created = updated = unchanged = 0
    days: set[date] = set()
    for _, (metric, source, start, end, value, size) in checked.values():
        stored = (
            BrandMetric.objects.select_for_update()
            .filter(metric=metric, source=source, period_start=start, period_end=end)
            .first()
        )
        if stored is not None and (stored.value, stored.sample_size) == (value, size):
            unchanged += 1
            continue
        if stored is None:
            created += 1
            stored = BrandMetric(metric=metric, source=source, period_start=start, period_end=end)
        else:
            updated += 1
        stored.value, stored.sample_size = value, size
        stored.save()
        days.add(start)
        days.add(end)
    refreshed = 0
    if days:
        today = timezone.localdate()
        computed = sorted(
            ReputationDay.objects.filter(
                day__lte=min(max(days), today), day__in=_covered(checked.values())
            ).values_list("day", flat=True)
        )
        for first in range(0, len(computed), MAX_DAYS):
            refreshed += days_refresh(days=computed[first : first + MAX_DAYS])["days"]
    return BrandMetricsOutcome(
        created=created, updated=updated, unchanged=unchanged, days=refreshed
    )


def _covered(rows) -> list[date]:
    out: set[date] = set()
    for _, (_, _, start, end, _, _) in rows:
        out.update(start + timedelta(days=n) for n in range((end - start).days + 1))
    return sorted(out)


def brand_parts(first: date, last: date) -> dict[date, float]:
    """The brand part (0–1) of each day from `first` to `last` that a metric covers."""
    rows = BrandMetric.objects.filter(period_start__lte=last, period_end__gte=first).values_list(
        "metric", "period_start", "period_end", "value"
    )
    # day → metric → values of its sources
    per_day: dict[date, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for metric, start, end, value in rows:
        day = max(start, first)
        while day <= min(end, last):
            per_day[day][metric].append(normalised(metric, value))
            day += timedelta(days=1)
    return {
        day: sum(sum(v) / len(v) for v in by_metric.values()) / len(by_metric)
        for day, by_metric in per_day.items()
    }
