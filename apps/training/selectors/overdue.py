"""The overdue list: one page of the obligations in some statuses (default overdue), with the
size of the whole list, in ONE statement over the status query (count(*) OVER () beside
LIMIT/OFFSET), optionally for one department (its sub-departments included) or one course."""

from dataclasses import dataclass
from datetime import date

from django.db import connection

from apps.training.selectors.status import STATUS_SQL, status_params

# Sort keys → columns; every order ends with the default one (the most late first, then by
# name) and the obligation's key (person, course), so pages are stable.
ORDER_COLUMNS = {
    "due": ("s.due_on",),
    "person": ("p.full_name", "p.id"),
    "course": ("c.code",),
}
TIEBREAK = "s.due_on, p.full_name, p.id, c.code"


def order_sql(keys: list[tuple[str, bool]]) -> str:
    """ORDER BY terms of `keys` ((key, descending) pairs; nulls last either way)."""
    terms = [
        f"{column} {'DESC' if descending else 'ASC'} NULLS LAST"
        for key, descending in keys
        for column in ORDER_COLUMNS[key]
    ]
    return ", ".join([*terms, TIEBREAK])


PAGE_SQL = """
SELECT s.person_id, s.course_id, s.status, s.due_on, s.completed_on, s.expires_on,
       COUNT(*) OVER () AS total
FROM status s
JOIN people_person p ON p.id = s.person_id
JOIN training_course c ON c.id = s.course_id
WHERE s.status = ANY(%(statuses)s)
  AND (%(course_id)s::uuid IS NULL OR s.course_id = %(course_id)s::uuid)
  AND (%(department_id)s::uuid IS NULL OR p.department_id IN (
        SELECT d.id FROM people_department d, people_department top
        WHERE top.id = %(department_id)s::uuid
          AND (d.path = top.path OR starts_with(d.path, top.path || '/'))))
ORDER BY {order}
LIMIT %(limit)s OFFSET %(offset)s
"""


@dataclass(frozen=True)
class ObligationRow:
    person_id: object
    course_id: object
    status: str
    due_on: date | None
    last_completed_on: date | None
    expires_on: date | None


@dataclass(frozen=True)
class ObligationPage:
    rows: list[ObligationRow]
    total: int  # the whole list's size (0 when the page is past its end and it is empty)


def obligations_page(
    *,
    as_of: date,
    statuses: list[str],
    limit: int,
    offset: int = 0,
    department_id=None,
    course_id=None,
    order: list[tuple[str, bool]] | None = None,
) -> ObligationPage:
    params = {
        **status_params(as_of=as_of, course_ids=[course_id] if course_id else None),
        "statuses": statuses,
        "course_id": course_id,
        "department_id": department_id,
        "limit": limit,
        "offset": offset,
    }
    with connection.cursor() as cursor:
        cursor.execute(STATUS_SQL + PAGE_SQL.format(order=order_sql(order or [])), params)
        fetched = cursor.fetchall()
        total = fetched[0][-1] if fetched else 0
        if not fetched and offset:  # past the end: the size still answers
            count_sql = PAGE_SQL.format(order="1").replace("LIMIT %(limit)s OFFSET %(offset)s", "")
            cursor.execute(STATUS_SQL + f"SELECT COUNT(*) FROM ({count_sql}) x", params)
            total = cursor.fetchone()[0]
    return ObligationPage([ObligationRow(*row[:-1]) for row in fetched], total)
