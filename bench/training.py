"""training: coverage by department for 20,000 people × 40 courses (1,000,000 records) next to a
floor, the overdue list page, and the status selector (bench/training_data.py seeds the data
once and keeps it).

Measured in this process (no HTTP server), inside `schema_context`, REPEATS runs each after one
unrecorded warm-up, each measure next to its floor (blocks rotating, ABBA within a block);
medians (p50) reported:

- coverage: `coverage(as_of=today, group_by="department")`, what
  `trainingCoverage(groupBy: DEPARTMENT)` runs: arrays fetched once (the people, departments,
  courses, requirements, exemptions and the last completion per pair, packed), obligations,
  statuses and department subtrees counted by numpy (selectors/coverage_arrays.py).
- coverage (one SQL): `coverage_sql(...)`, the same counts grouped in one statement over the
  status query (what `coverage` ran before); the run checks both give the same rows.
- floor: the bare SQL of the least such a report must do — every passed record read once (the
  newest per person and course, grouped off the same `record_passed_pair` index), joined to
  people and department subtrees, counted per department. It derives no obligation, so it does
  strictly less than coverage (its counts are holders of a valid completion, not coverage): the
  cost of reading the records the coverage needs, the ratio's denominator.
- overdue page: `{ trainingOverdue(first: 100) { totalCount rows { person { employeeNumber
  fullName department { code } } course { code } dueOn daysPastDue } } }` through Django's test
  client (the real middleware, token and GraphQL), against its floor: the same page's one SQL
  statement run bare and its rows encoded as JSON.
- status (all): `training_status(as_of=today)` — every obligation's status, as rows.
- status (one person): `training_status(as_of=today, person_ids=[one])`, what
  `trainingStatus(person:)` and `person { training }` run.

SQL statements are counted once per measure (load-independent): they must not grow with the
numbers of people, departments or rows.
"""

import time
from collections import defaultdict
from collections.abc import Callable

import numpy as np

from bench import harness, training_data

REPEATS = 5

FLOOR_SQL = """
WITH last AS (
  SELECT t.person_id, t.course_id, MAX(t.expires_on) AS expires_on,
         bool_or(t.expires_on IS NULL) AS forever
  FROM training_trainingrecord t
  WHERE t.passed AND t.completed_at < %(day_end)s
  GROUP BY t.person_id, t.course_id
)
SELECT ad.id, COUNT(*) FILTER (WHERE l.forever OR l.expires_on > %(day)s)
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


OVERDUE_QUERY = """{ trainingOverdue(first: 100) { totalCount rows {
  person { employeeNumber fullName department { code } } course { code } dueOn daysPastDue } } }"""
# The floor of the page: its statement (the selector's SQL, with the names joined in) run bare,
# the rows encoded as the same JSON shape.
OVERDUE_FLOOR_SQL = """
SELECT p.employee_number, p.full_name, d.code, c.code, s.due_on, %(as_of)s - s.due_on,
       COUNT(*) OVER ()
FROM status s
JOIN people_person p ON p.id = s.person_id
LEFT JOIN people_department d ON d.id = p.department_id
JOIN training_course c ON c.id = s.course_id
WHERE s.status = 'overdue'
ORDER BY s.due_on, p.full_name, p.id, c.code
LIMIT 100
"""


def _floor(day) -> list:
    from django.db import connection

    from apps.training.selectors.status import status_params

    with connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL, {"day": day, "day_end": status_params(as_of=day)["day_end"]})
        return cursor.fetchall()


def _overdue_floor(day) -> list:
    import json

    from django.db import connection

    from apps.training.selectors.status import STATUS_SQL, status_params

    with connection.cursor() as cursor:
        cursor.execute(STATUS_SQL + OVERDUE_FLOOR_SQL, status_params(as_of=day))
        fetched = cursor.fetchall()
    rows = [
        {
            "person": {"employeeNumber": r[0], "fullName": r[1], "department": {"code": r[2]}},
            "course": {"code": r[3]},
            "dueOn": r[4].isoformat(),
            "daysPastDue": r[5],
        }
        for r in fetched
    ]
    body = {"data": {"trainingOverdue": {"totalCount": fetched[0][6] if fetched else 0}}}
    body["data"]["trainingOverdue"]["rows"] = rows
    json.dumps(body)
    return rows


def _overdue_page(client, headers) -> list:
    import json

    response = client.post(
        "/graphql/", {"query": OVERDUE_QUERY}, content_type="application/json", headers=headers
    )
    body = json.loads(response.content)
    if response.status_code != 200 or body.get("errors"):
        raise RuntimeError(f"trainingOverdue failed: {body}")
    return body["data"]["trainingOverdue"]["rows"]


def _statements(fn: Callable[[], object]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        fn()
    return sum(1 for q in captured.captured_queries if not q["sql"].startswith("SET "))


def _measure(repeats: int, tenant) -> tuple[dict, dict, dict]:
    from django.test import Client
    from django.utils import timezone

    from apps.people.models import Person
    from apps.training.selectors.coverage import coverage, coverage_sql
    from apps.training.selectors.status import training_status

    day = timezone.localdate()
    one = Person.objects.filter(employee_number="BT-00042").values_list("pk", flat=True).first()
    measures: dict[str, Callable[[], object]] = {
        "coverage": lambda: coverage(as_of=day, group_by="department"),
        "coverage_sql": lambda: coverage_sql(as_of=day, group_by="department"),
        "floor": lambda: _floor(day),
        "status_all": lambda: training_status(as_of=day),
        "status_one": lambda: training_status(as_of=day, person_ids=[one]),
        "overdue": lambda: _overdue_page(client, headers),
        "overdue_floor": lambda: _overdue_floor(day),
    }
    client = Client(HTTP_HOST=tenant.domain)
    headers = {"Authorization": f"Bearer {tenant.token}"}
    warm = {name: measure() for name, measure in measures.items()}  # caches, plans, imports
    if warm["coverage"] != warm["coverage_sql"]:
        raise RuntimeError("coverage by numpy and by one SQL statement disagree")
    statements = {
        name: _statements(measures[name]) for name in ("coverage", "coverage_sql", "overdue")
    }
    times: dict[str, list[float]] = defaultdict(list)
    last: dict[str, object] = {}
    # Each measure next to its floor, in blocks (the blocks' order rotating, each block forwards
    # then backwards: ABBA), so the machine's drift over the run weighs on both alike.
    blocks = [("coverage", "floor", "coverage_sql"), ("status_all", "status_one")]
    blocks.append(("overdue", "overdue_floor"))
    for n in range(repeats):
        for block in blocks[n % len(blocks) :] + blocks[: n % len(blocks)]:
            for name in block if n % 2 == 0 else block[::-1]:
                seconds, last[name] = _timed(measures[name])
                times[name].append(seconds)
    return times, last, statements


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
    from django.test import override_settings
    from django_tenants.utils import schema_context

    repeats = opts.requests if opts.requests != harness.Options().requests else REPEATS
    clock = harness.Clock()
    tenant = harness.bench_tenant()
    clock.lap("tenant")
    data = training_data.ensure_training_set(tenant)
    clock.lap("seed" if data.created else "data check")
    # At a million records one status statement takes seconds on a loaded 2-core machine: the
    # request budget (GRAPHQL_TIME_BUDGET_SECONDS, 10 s) is lifted for the measurement only.
    with schema_context(tenant.schema_name), override_settings(GRAPHQL_TIME_BUDGET_SECONDS=300):
        times, last, statements = _measure(repeats, tenant)
    clock.lap(f"measure x{repeats}")
    floor_ms = _p50(times["floor"]) * 1000
    overdue_floor_ms = _p50(times["overdue_floor"]) * 1000
    rows = {name: len(value) for name, value in last.items()}  # type: ignore[arg-type]
    statuses: dict[str, int] = defaultdict(int)
    for row in last["status_all"]:  # type: ignore[attr-defined]
        statuses[row.status] += 1
    table = []
    labels = {
        "coverage": "coverage by department (numpy)",
        "coverage_sql": "coverage by department (1 SQL)",
        "floor": "floor: bare SQL, newest record per pair",
        "status_all": "status selector, every obligation",
        "status_one": "status selector, one person",
        "overdue": "overdue page, GraphQL (100 rows)",
        "overdue_floor": "overdue page floor: its SQL bare + JSON",
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
                "vs_floor": p50 / (overdue_floor_ms if name == "overdue" else floor_ms),
            }
        )
    coverage_ms = _p50(times["coverage"]) * 1000
    ratio = harness.ratio(coverage_ms, floor_ms)
    sql_ratio = harness.ratio(_p50(times["coverage_sql"]) * 1000, floor_ms)
    overdue_ms = _p50(times["overdue"]) * 1000
    overdue_ratio = harness.ratio(overdue_ms, overdue_floor_ms)
    harness.print_table(
        f"training: coverage of {data.people:,} people × {data.courses} courses by department",
        table,
        [
            f"ratio = coverage / floor (p50) = {ratio:.2f} (one SQL statement: {sql_ratio:.2f}); "
            f"overdue page / its floor = {overdue_ratio:.2f} (the overdue line's / floor column)",
            f"SQL statements: coverage {statements['coverage']} (settings + 6), one-statement "
            f"coverage {statements['coverage_sql']}, overdue page "
            f"{statements['overdue']} (the same for 1 and 2 rows: tests/training/test_overdue.py)",
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
            "overdue_page_p50_ms": round(overdue_ms, 1),
            "overdue_page_ratio": overdue_ratio,
            "coverage_sql": statements["coverage"],
            "coverage_one_statement_p50_ms": round(_p50(times["coverage_sql"]) * 1000, 1),
            "coverage_one_statement_ratio": sql_ratio,
            "overdue_page_sql": statements["overdue"],
            "obligations": rows["status_all"],
            "departments": rows["coverage"],
            "runs": repeats,
        },
        floor={
            "bare_sql_p50_ms": round(floor_ms, 1),
            "rows": rows["floor"],
            "overdue_floor_p50_ms": round(overdue_floor_ms, 1),
        },
        ratio=ratio,
    )
