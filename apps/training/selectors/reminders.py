"""What the daily reminders read: the obligations coming due or overdue, with the person's
contact and manager, from the one status query (never a query per person)."""

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from django.db import connection

from apps.training.selectors.status import STATUS_SQL, status_params

CANDIDATES = """
SELECT s.person_id, s.course_id, s.status, s.due_on, s.expires_on,
       p.employee_number, p.full_name, p.email, p.user_id, p.manager_id, p.department_id,
       c.code, COALESCE(NULLIF(c.title_zh, ''), c.title_en)
FROM status s
JOIN people_person p ON p.id = s.person_id
JOIN training_course c ON c.id = s.course_id
WHERE s.status IN ('overdue', 'expired')
   OR (s.status IN ('due_soon', 'compliant') AND s.due_on >= %(as_of)s
       AND s.due_on <= %(as_of)s + %(horizon)s)
ORDER BY p.employee_number, c.code
"""


@dataclass(frozen=True)
class Candidate:
    person_id: UUID
    course_id: UUID
    status: str
    due_on: date | None
    expires_on: date | None
    employee_number: str
    full_name: str
    email: str
    user_id: int | None
    manager_id: UUID | None
    department_id: UUID | None
    course_code: str
    course_title: str

    @property
    def late(self) -> bool:
        return self.status in ("overdue", "expired")


def reminder_candidates(*, as_of: date, horizon_days: int) -> list[Candidate]:
    """Obligations overdue or expired on `as_of`, and those due (or expiring) within
    `horizon_days` of it."""
    params = {**status_params(as_of=as_of), "horizon": horizon_days}
    with connection.cursor() as cursor:
        cursor.execute(STATUS_SQL + CANDIDATES, params)
        return [Candidate(*row) for row in cursor.fetchall()]


OWNED = """
SELECT o.person_id, d.id
FROM training_trainingowner o
JOIN people_department top ON top.id = o.department_id
JOIN people_department d ON d.path = top.path OR starts_with(d.path, top.path || '/')
"""


def owned_departments() -> dict:
    """{owner's person id: the ids of the departments they own, sub-departments included}."""
    out: dict = {}
    with connection.cursor() as cursor:
        cursor.execute(OWNED)
        for owner_id, department_id in cursor.fetchall():
            out.setdefault(owner_id, set()).add(department_id)
    return out


def managers(ids) -> dict:
    """{person id: (full name, e-mail, user id)} of these managers."""
    from apps.people.selectors import people

    rows = people().filter(pk__in=list(ids)).values_list("id", "full_name", "email", "user_id")
    return {pk: (name, email, user_id) for pk, name, email, user_id in rows}
