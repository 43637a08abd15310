"""Coverage as of a date, by department (sub-departments included) or by course: one query
over the status query (selectors/status.py), grouped in SQL."""

from dataclasses import dataclass
from datetime import date

from django.db import connection

from apps.training.selectors.status import STATUS_SQL, status_params

COUNTS = """
  COUNT(*) FILTER (WHERE s.status NOT IN ('exempt', 'not_required')) AS required,
  COUNT(*) FILTER (WHERE s.covered) AS compliant,
  COUNT(*) FILTER (WHERE s.status = 'due_soon') AS due_soon,
  COUNT(*) FILTER (WHERE s.status = 'overdue') AS overdue,
  COUNT(*) FILTER (WHERE s.status = 'expired') AS expired,
  COUNT(*) FILTER (WHERE s.status = 'exempt') AS exempt
"""
BY_DEPARTMENT = f"""
SELECT ad.id, ad.code, {COUNTS}
FROM people_department ad
JOIN people_department pd ON pd.path = ad.path OR starts_with(pd.path, ad.path || '/')
JOIN people_person p ON p.department_id = pd.id
JOIN status s ON s.person_id = p.id
GROUP BY ad.id, ad.code, ad.path
ORDER BY ad.path
"""
BY_COURSE = f"""
SELECT c.id, c.code, {COUNTS}
FROM status s JOIN training_course c ON c.id = s.course_id
GROUP BY c.id, c.code
ORDER BY c.code
"""
TOTAL = f"SELECT NULL, NULL, {COUNTS} FROM status s"


@dataclass(frozen=True)
class CoverageRow:
    group_id: object  # a Department or Course id; None for the whole tenant
    code: str | None
    required: int
    compliant: int  # holding a completion that counts on the date
    due_soon: int
    overdue: int
    expired: int
    exempt: int

    def share(self, count: int) -> float | None:
        return round(100.0 * count / self.required, 2) if self.required else None

    @property
    def compliant_percent(self) -> float | None:
        return self.share(self.compliant)

    @property
    def overdue_percent(self) -> float | None:
        return self.share(self.overdue)

    @property
    def expired_percent(self) -> float | None:
        return self.share(self.expired)


def coverage(*, as_of: date, group_by: str) -> list[CoverageRow]:
    """group_by: "department", "course" or "total" (one row for the tenant)."""
    grouped = {"department": BY_DEPARTMENT, "course": BY_COURSE, "total": TOTAL}[group_by]
    with connection.cursor() as cursor:
        cursor.execute(STATUS_SQL + grouped, status_params(as_of=as_of))
        return [CoverageRow(*row) for row in cursor.fetchall()]
