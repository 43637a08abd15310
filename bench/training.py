"""training: coverage by department for 10,000 people × 20 courses, next to a floor, and the
status selector (bench/training_data.py seeds the data once and keeps it).

Measured in this process (no HTTP), inside `schema_context`, REPEATS runs each after one
unrecorded warm-up, the order rotating; medians (p50) reported:

- coverage: `coverage(as_of=today, group_by="department")` — the one SQL statement behind
  `trainingCoverage(groupBy: DEPARTMENT)`: obligations derived from the requirements and the
  directory, the last completion per pair, exemptions, statuses, grouped per department subtree.
- floor: the bare SQL of the least such a report must do — every passed record read once
  (the newest per person and course, DISTINCT ON), joined to people and department subtrees,
  counted per department. It derives no obligation, so its counts are not coverage: it is the
  cost of reading the records the coverage needs, the ratio's denominator.
- status (all): `training_status(as_of=today)` — every obligation's status, as rows.
- status (one person): `training_status(as_of=today, person_ids=[one])`, what
  `trainingStatus(person:)` and `person { training }` run.
"""

import time
from collections import defaultdict
from collections.abc import Callable

import numpy as np

from bench import harness, training_data

REPEATS = 7

FLOOR_SQL = """
WITH last AS (
  SELECT DISTINCT ON (t.person_id, t.course_id) t.person_id, t.course_id, t.expires_on
  FROM training_trainingrecord t
  WHERE t.passed AND t.completed_at <= now()
  ORDER BY t.person_id, t.course_id, t.completed_at DESC
)
SELECT ad.id, COUNT(*) FILTER (WHERE l.expires_on IS NULL OR l.expires_on > %(day)s)
FROM people_department ad
JOIN people_department pd ON pd.path = ad.path OR starts_with(pd.path, ad.path || '/')
JOIN people_person p ON p.department_id = pd.id
JOIN last l ON l.person_id = p.id
GROUP BY ad.id
"""


def _timed(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def _floor(day) -> list:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL, {"day": day})
        return cursor.fetchall()


def _measure(repeats: int) -> tuple[dict, dict]:
    from django.utils import timezone

    from apps.people.models import Person
    from apps.training.selectors.coverage import coverage
    from apps.training.selectors.status import training_status

    day = timezone.localdate()
    one = Person.objects.filter(employee_number="BT-00042").values_list("pk", flat=True).first()
    measures: dict[str, Callable[[], object]] = {
        "coverage": lambda: coverage(as_of=day, group_by="department"),
        "floor": lambda: _floor(day),
        "status_all": lambda: training_status(as_of=day),
        "status_one": lambda: training_status(as_of=day, person_ids=[one]),
    }
    for measure in measures.values():  # warm-up: caches, plans, imports
        measure()
    times: dict[str, list[float]] = defaultdict(list)
    last: dict[str, object] = {}
    order = list(measures)
    for n in range(repeats):
        for name in order[n % len(order) :] + order[: n % len(order)]:
            seconds, last[name] = _timed(measures[name])
            times[name].append(seconds)
    return times, last


def _p50(values: list[float]) -> float:
    return float(np.median(values))


COLUMNS = [
    ("name", "measurement", "{}"),
    ("runs", "runs", "{:d}"),
    ("p50_ms", "p50 ms", "{:.1f}"),
    ("min_ms", "min ms", "{:.1f}"),
    ("max_ms", "max ms", "{:.1f}"),
    ("rows", "rows", "{:,}"),
    ("vs_floor", "/ floor", "{:.2f}"),
]


def run(opts: harness.Options) -> harness.Result:
    from django_tenants.utils import schema_context

    repeats = opts.requests if opts.requests != harness.Options().requests else REPEATS
    clock = harness.Clock()
    tenant = harness.bench_tenant()
    clock.lap("tenant")
    data = training_data.ensure_training_set(tenant)
    clock.lap("seed" if data.created else "data check")
    with schema_context(tenant.schema_name):
        times, last = _measure(repeats)
    clock.lap(f"measure x{repeats}")
    floor_ms = _p50(times["floor"]) * 1000
    rows = {name: len(value) for name, value in last.items()}  # type: ignore[arg-type]
    statuses: dict[str, int] = defaultdict(int)
    for row in last["status_all"]:  # type: ignore[attr-defined]
        statuses[row.status] += 1
    table = []
    labels = {
        "coverage": "coverage by department (1 SQL)",
        "floor": "floor: bare SQL, newest record per pair",
        "status_all": "status selector, every obligation",
        "status_one": "status selector, one person",
    }
    for name, label in labels.items():
        p50 = _p50(times[name]) * 1000
        table.append(
            {
                "name": label,
                "runs": len(times[name]),
                "p50_ms": p50,
                "min_ms": min(times[name]) * 1000,
                "max_ms": max(times[name]) * 1000,
                "rows": rows[name],
                "vs_floor": p50 / floor_ms if floor_ms else None,
            }
        )
    coverage_ms = _p50(times["coverage"]) * 1000
    ratio = harness.ratio(coverage_ms, floor_ms)
    harness.print_table(
        f"training: coverage of {data.people:,} people × {data.courses} courses by department",
        table,
        [
            f"ratio = coverage / floor (p50) = {ratio:.2f}",
            "statuses: " + ", ".join(f"{k} {v:,}" for k, v in sorted(statuses.items())),
            f"data    {data.summary()}",
            f"run     {clock.summary()}",
        ],
        columns=COLUMNS,
    )
    return harness.Result(
        bench="training",
        metrics={
            "coverage_p50_ms": round(coverage_ms, 1),
            "status_all_p50_ms": round(_p50(times["status_all"]) * 1000, 1),
            "status_one_p50_ms": round(_p50(times["status_one"]) * 1000, 2),
            "obligations": rows["status_all"],
            "departments": rows["coverage"],
            "runs": repeats,
        },
        floor={"bare_sql_p50_ms": round(floor_ms, 1), "rows": rows["floor"]},
        ratio=ratio,
    )
