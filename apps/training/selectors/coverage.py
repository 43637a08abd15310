"""Coverage as of a date, by department (sub-departments included), course, job role or topic
— counted by numpy over arrays fetched once (selectors/coverage_arrays.py), held to the same
counts grouped in SQL over the status query (`coverage_sql`) — and a monthly trend."""

import calendar
from dataclasses import dataclass
from datetime import date

from django.db import connection

from apps.training.selectors import coverage_arrays
from apps.training.selectors.status import STATUS_SQL, status_params

# compliant + due_soon + overdue + expired = required: each obligation is in exactly one bucket
# (its status); `covered` is a separate, overlapping count: those holding a completion that
# counts, the renewals due soon included.
COUNTS = """
  COUNT(*) FILTER (WHERE s.status NOT IN ('exempt', 'not_required')) AS required,
  COUNT(*) FILTER (WHERE s.status = 'compliant') AS compliant,
  COUNT(*) FILTER (WHERE s.status = 'due_soon') AS due_soon,
  COUNT(*) FILTER (WHERE s.status = 'overdue') AS overdue,
  COUNT(*) FILTER (WHERE s.status = 'expired') AS expired,
  COUNT(*) FILTER (WHERE s.status = 'exempt') AS exempt,
  COUNT(*) FILTER (WHERE s.covered) AS covered
"""
# Counted once per person's department, then rolled up the tree: joining every status row to
# each of its department's ancestors multiplied the rows by the tree's depth (4× slower).
BY_DEPARTMENT = f"""
, per_department AS (
  SELECT s.department_id, {COUNTS}
  FROM status s
  GROUP BY s.department_id
)
SELECT ad.id, ad.code,
  SUM(x.required)::int, SUM(x.compliant)::int, SUM(x.due_soon)::int,
  SUM(x.overdue)::int, SUM(x.expired)::int, SUM(x.exempt)::int, SUM(x.covered)::int
FROM people_department ad
JOIN people_department pd ON pd.path = ad.path OR starts_with(pd.path, ad.path || '/')
JOIN per_department x ON x.department_id = pd.id
WHERE (%(only_department)s::uuid IS NULL OR ad.id = %(only_department)s::uuid)
GROUP BY ad.id, ad.code, ad.path
ORDER BY ad.path
"""
BY_COURSE = f"""
SELECT c.id, c.code, {COUNTS}
FROM status s JOIN training_course c ON c.id = s.course_id
GROUP BY c.id, c.code
ORDER BY c.code
"""
BY_JOB_ROLE = f"""
SELECT NULL, s.job_role, {COUNTS}
FROM status s
GROUP BY s.job_role
ORDER BY s.job_role
"""
BY_TOPIC = f"""
SELECT NULL, c.topic, {COUNTS}
FROM status s JOIN training_course c ON c.id = s.course_id
GROUP BY c.topic
ORDER BY c.topic
"""
TOTAL = f"SELECT NULL, NULL, {COUNTS} FROM status s"
GROUPED = {
    "department": BY_DEPARTMENT,
    "course": BY_COURSE,
    "job_role": BY_JOB_ROLE,
    "topic": BY_TOPIC,
    "total": TOTAL,
}
MAX_TREND_MONTHS = 36


@dataclass(frozen=True)
class CoverageRow:
    group_id: object  # a Department or Course id; None by job role, by topic, for the tenant
    code: str | None  # department or course code, job role ("" = none), topic; None: tenant
    required: int  # = compliant + due_soon + overdue + expired (exemptions left out)
    compliant: int  # status compliant: holds a completion that counts, not due within the window
    due_soon: int  # not yet late: untrained before the due date, or renewal/expiry in the window
    overdue: int
    expired: int
    exempt: int
    covered: int  # holds a completion that counts on the date: compliant + renewals due soon

    def share(self, count: int) -> float | None:
        return round(100.0 * count / self.required, 2) if self.required else None

    @property
    def compliant_percent(self) -> float | None:
        return self.share(self.compliant)

    @property
    def covered_percent(self) -> float | None:
        return self.share(self.covered)

    @property
    def due_soon_percent(self) -> float | None:
        return self.share(self.due_soon)

    @property
    def overdue_percent(self) -> float | None:
        return self.share(self.overdue)

    @property
    def expired_percent(self) -> float | None:
        return self.share(self.expired)


def coverage(*, as_of: date, group_by: str, department_id=None) -> list[CoverageRow]:
    """group_by: "department", "course", "job_role", "topic" or "total" (one row for the
    tenant). `department_id` keeps only that department's row (grouped by department).
    Counted by a numpy pass over arrays fetched once (selectors/coverage_arrays.py)."""
    if group_by not in GROUPED:
        raise ValueError(f"unknown grouping {group_by!r}")
    ob = coverage_arrays.obligations(as_of=as_of)
    return [
        CoverageRow(*row)
        for row in coverage_arrays.grouped_counts(ob, group_by, department_id=department_id)
    ]


def coverage_groups(*, as_of: date, groupings: list[str]) -> dict[str, list[CoverageRow]]:
    """Several groupings of one date's coverage, the arrays fetched and counted once."""
    ob = coverage_arrays.obligations(as_of=as_of)
    return {
        group_by: [CoverageRow(*row) for row in coverage_arrays.grouped_counts(ob, group_by)]
        for group_by in groupings
    }


def coverage_sql(*, as_of: date, group_by: str, department_id=None) -> list[CoverageRow]:
    """The same counts grouped in SQL over the status query: one statement, the definition
    `coverage` is held to (tests and `python -m bench training` compare the two)."""
    params = {**status_params(as_of=as_of), "only_department": department_id}
    with connection.cursor() as cursor:
        cursor.execute(STATUS_SQL + GROUPED[group_by], params)
        return [CoverageRow(*row) for row in cursor.fetchall()]


@dataclass(frozen=True)
class TrendPoint:
    on: date  # a month's last day; the last point is the end date itself
    row: CoverageRow


def month_ends(end: date, months: int) -> list[date]:
    """The last days of the `months - 1` months before `end`'s month, then `end` itself."""
    days = []
    for back in range(months - 1, 0, -1):
        index = end.year * 12 + end.month - 1 - back
        year, month = divmod(index, 12)
        days.append(date(year, month + 1, calendar.monthrange(year, month + 1)[1]))
    return [*days, end]


def coverage_trend(*, end: date, months: int, department_id=None) -> list[TrendPoint]:
    """Coverage at each month end, for the tenant or one department (sub-departments
    included): one set-based query per month end (at most MAX_TREND_MONTHS), never per person.
    History is rebuilt from the records, requirements' creation dates and exemptions."""
    if not 1 <= months <= MAX_TREND_MONTHS:
        raise ValueError(f"months is between 1 and {MAX_TREND_MONTHS}")
    points = []
    for day in month_ends(end, months):
        if department_id is None:
            (row,) = coverage(as_of=day, group_by="total")
        else:
            rows = coverage(as_of=day, group_by="department", department_id=department_id)
            row = rows[0] if rows else CoverageRow(department_id, None, 0, 0, 0, 0, 0, 0, 0)
        points.append(TrendPoint(day, row))
    return points


EXPIRING = """
SELECT COUNT(*) FROM status s
WHERE s.status NOT IN ('exempt', 'not_required')
  AND s.expires_on > %(as_of)s AND s.expires_on <= %(as_of)s + %(days)s
"""


def expiring_count(*, as_of: date, days: int) -> int:
    """Required obligations whose certificate expires within `days` after `as_of`."""
    params = {**status_params(as_of=as_of), "days": days}
    with connection.cursor() as cursor:
        cursor.execute(STATUS_SQL + EXPIRING, params)
        return cursor.fetchone()[0]
