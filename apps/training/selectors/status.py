"""The status of every (person, course) obligation as of a date: ONE set-based SQL query.

Obligations are derived here, never stored: an eligible person (hired by the date, not gone)
× an active requirement whose audience includes them (a named person, a job role, a member
role — the role of the member account linked to the person, in this tenant — or a department
with its sub-departments). Several requirements of one course merge: the earliest
first due date and the shortest recurrence win. One pass over the records finds, per pair, the
last passed completion that still counts (not before the course's `requires_retraining_since`),
one over the exemptions the current one; both are hash-joined to the pairs (a LATERAL lookup
per pair cost 10× more on 10,000 people). The latest expiry held counts: a person who holds two
certificates of one course (the validity was shortened in between) is covered until the later.
The rules, in order:

- not_required: no active requirement covers the person (only listed when asked for);
- exempt: a current exemption;
- never completed (or only before retraining was required): overdue once the due date plus
  the course's grace days has passed, otherwise due_soon (an open obligation);
- expired: from the certificate's `expires_on` (the day itself included);
- recurrence lapsed (completed + N months reached): due_soon within the grace days, then
  overdue;
- due_soon: within the due-soon window before the next due date or expiry;
- compliant otherwise.
"""

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import connection

STATUSES = ("compliant", "due_soon", "overdue", "expired", "exempt", "not_required")

STATUS_HEAD = """
WITH eligible AS (
  SELECT p.id, p.hired_on, p.job_role, p.department_id, mb.role AS member_role
  FROM people_person p
  LEFT JOIN accounts_membership mb  -- public: the member account's role in this tenant
    ON mb.user_id = p.user_id
    AND mb.tenant_id = (SELECT t.id FROM tenants_tenant t WHERE t.schema_name = current_schema())
  WHERE (p.hired_on IS NULL OR p.hired_on <= %(as_of)s)
    AND (p.left_on IS NULL OR p.left_on >= %(as_of)s)
    AND (p.active OR p.left_on IS NOT NULL)
    AND (%(person_ids)s::uuid[] IS NULL OR p.id = ANY(%(person_ids)s::uuid[]))
),
reqs AS (
  SELECT r.id, r.course_id, r.department_ids, r.job_roles, r.member_roles, r.person_ids,
         r.first_due_days, (r.created_at AT TIME ZONE %(tz)s)::date AS created_on,
         CASE r.recurrence WHEN 'every_months' THEN r.recurrence_months
                           WHEN 'course_validity' THEN c.validity_months END AS period_months
  FROM training_requirement r JOIN training_course c ON c.id = r.course_id AND c.active
  WHERE r.active AND (r.created_at AT TIME ZONE %(tz)s)::date <= %(as_of)s
    AND (%(course_ids)s::uuid[] IS NULL OR c.id = ANY(%(course_ids)s::uuid[]))
),
-- each department with itself and every ancestor: a department audience covers its subtree
dept_ancestors AS (
  SELECT d.id AS department_id, a.id AS ancestor_id
  FROM people_department d
  JOIN people_department a ON d.path = a.path OR starts_with(d.path, a.path || '/')
),
-- who each requirement names, one hash join per kind of audience (duplicates merge below)
matches AS NOT MATERIALIZED (
  SELECT e.id AS person_id, e.department_id, e.job_role, e.hired_on, r.course_id,
         r.first_due_days, r.created_on, r.period_months
  FROM reqs r CROSS JOIN LATERAL unnest(r.person_ids) AS named(id)
  JOIN eligible e ON e.id = named.id
  UNION ALL
  SELECT e.id, e.department_id, e.job_role, e.hired_on, r.course_id, r.first_due_days,
         r.created_on, r.period_months
  FROM reqs r CROSS JOIN LATERAL unnest(r.job_roles) AS job(role)
  JOIN eligible e ON e.job_role = job.role
  UNION ALL
  SELECT e.id, e.department_id, e.job_role, e.hired_on, r.course_id, r.first_due_days,
         r.created_on, r.period_months
  FROM reqs r CROSS JOIN LATERAL unnest(r.member_roles) AS member(role)
  JOIN eligible e ON e.member_role = member.role
  UNION ALL
  SELECT e.id, e.department_id, e.job_role, e.hired_on, r.course_id, r.first_due_days,
         r.created_on, r.period_months
  FROM reqs r
  JOIN dept_ancestors da ON da.ancestor_id = ANY(r.department_ids)
  JOIN eligible e ON e.department_id = da.department_id
),
obligation AS NOT MATERIALIZED (
  SELECT m.person_id, m.course_id, m.department_id, m.job_role,
    MIN(GREATEST(m.hired_on, m.created_on) + m.first_due_days) AS first_due,
    MIN(m.first_due_days) AS lead_days,
    MIN(m.period_months) AS period_months
  FROM matches m
  GROUP BY m.person_id, m.course_id, m.department_id, m.job_role
),
pairs AS (
  SELECT o.person_id, o.course_id, o.department_id, o.job_role, o.first_due, o.lead_days,
         o.period_months, TRUE AS required
  FROM obligation o
  UNION ALL
  SELECT e.id, c.id, e.department_id, e.job_role, NULL, NULL, NULL, FALSE
  FROM eligible e CROSS JOIN training_course c
  WHERE %(all_courses)s AND c.active
    AND (%(course_ids)s::uuid[] IS NULL OR c.id = ANY(%(course_ids)s::uuid[]))
    AND NOT EXISTS (SELECT 1 FROM obligation o WHERE o.person_id = e.id AND o.course_id = c.id)
),
"""
LAST_CTES = """
-- per (person, course): the newest passed completion that counts and the latest expiry held
-- (none when one of them never expires), in one pass over the records. Courses without a
-- retraining date are grouped straight off the `record_passed_pair` index (person, course,
-- completed at, expiry included, passed only): an index-only scan already in group order, so
-- no hash table spills at 1M records; the few retrained courses are filtered apart. The date
-- bound is a timestamp (the end of as_of in the tenant's zone), not a conversion per record.
retrained AS (
  SELECT c.id FROM training_course c WHERE c.requires_retraining_since IS NOT NULL
),
last AS (
  SELECT t.person_id, t.course_id,
         (MAX(t.completed_at) AT TIME ZONE %(tz)s)::date AS completed_on,
         CASE WHEN bool_or(t.expires_on IS NULL) THEN NULL ELSE MAX(t.expires_on) END
           AS expires_on
  FROM training_trainingrecord t
  WHERE t.passed AND t.completed_at < %(day_end)s
    AND t.course_id <> ALL(ARRAY(SELECT id FROM retrained))
    AND (%(person_ids)s::uuid[] IS NULL OR t.person_id = ANY(%(person_ids)s::uuid[]))
    AND (%(course_ids)s::uuid[] IS NULL OR t.course_id = ANY(%(course_ids)s::uuid[]))
  GROUP BY t.person_id, t.course_id
  UNION ALL
  SELECT t.person_id, t.course_id,
         (MAX(t.completed_at) AT TIME ZONE %(tz)s)::date AS completed_on,
         CASE WHEN bool_or(t.expires_on IS NULL) THEN NULL ELSE MAX(t.expires_on) END
           AS expires_on
  FROM training_trainingrecord t
  JOIN training_course c ON c.id = t.course_id
  WHERE t.passed AND t.completed_at < %(day_end)s
    AND t.course_id = ANY(ARRAY(SELECT id FROM retrained))
    AND t.completed_at >= c.requires_retraining_since
    AND (%(person_ids)s::uuid[] IS NULL OR t.person_id = ANY(%(person_ids)s::uuid[]))
  GROUP BY t.person_id, t.course_id
),
"""
STATUS_TAIL = """
current_exemption AS (
  SELECT DISTINCT ON (x.person_id, x.course_id) x.person_id, x.course_id, x.id
  FROM training_exemption x
  WHERE x.valid_from <= %(as_of)s AND (x.valid_until IS NULL OR x.valid_until >= %(as_of)s)
    AND (%(person_ids)s::uuid[] IS NULL OR x.person_id = ANY(%(person_ids)s::uuid[]))
  ORDER BY x.person_id, x.course_id, x.valid_from DESC
),
facts AS (
  SELECT pr.person_id, pr.course_id, pr.department_id, pr.job_role, pr.required, c.grace_days,
         last.completed_on, last.expires_on, ex.id AS exemption_id,
         GREATEST(pr.first_due,
                  (c.requires_retraining_since AT TIME ZONE %(tz)s)::date + pr.lead_days)
           AS first_due,
         LEAST(last.expires_on,
               (last.completed_on + make_interval(months => pr.period_months))::date)
           AS next_due
  FROM pairs pr JOIN training_course c ON c.id = pr.course_id
  LEFT JOIN last
    ON pr.required AND last.person_id = pr.person_id AND last.course_id = pr.course_id
  LEFT JOIN current_exemption ex
    ON pr.required AND ex.person_id = pr.person_id AND ex.course_id = pr.course_id
),
status AS (
  SELECT f.*,
    CASE
      WHEN NOT f.required THEN 'not_required'
      WHEN f.exemption_id IS NOT NULL THEN 'exempt'
      WHEN f.completed_on IS NULL THEN
        CASE WHEN %(as_of)s > f.first_due + f.grace_days THEN 'overdue' ELSE 'due_soon' END
      WHEN f.expires_on IS NOT NULL AND %(as_of)s >= f.expires_on THEN 'expired'
      WHEN f.next_due IS NOT NULL AND %(as_of)s >= f.next_due THEN
        CASE WHEN %(as_of)s > f.next_due + f.grace_days THEN 'overdue' ELSE 'due_soon' END
      WHEN f.next_due IS NOT NULL AND %(as_of)s >= f.next_due - %(window)s THEN 'due_soon'
      ELSE 'compliant'
    END AS status,
    CASE WHEN f.completed_on IS NULL THEN f.first_due ELSE f.next_due END AS due_on,
    (f.required AND f.exemption_id IS NULL AND f.completed_on IS NOT NULL
     AND (f.next_due IS NULL OR %(as_of)s < f.next_due)) AS covered
  FROM facts f
)
"""
STATUS_SQL = STATUS_HEAD + LAST_CTES + STATUS_TAIL


@dataclass(frozen=True)
class StatusRow:
    person_id: object
    course_id: object
    status: str
    due_on: date | None  # first due date, or the next one after the last completion
    last_completed_on: date | None
    expires_on: date | None
    exemption_id: object
    covered: bool  # holds a completion that counts on the date


def status_params(
    *, as_of: date, person_ids=None, course_ids=None, include_not_required=False
) -> dict:
    from apps.training.selectors import training_settings

    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return {
        "as_of": as_of,
        "day_end": datetime.combine(as_of + timedelta(days=1), time.min, tzinfo=zone),
        "tz": settings.TIME_ZONE,
        "window": training_settings().due_soon_days,
        "person_ids": list(person_ids) if person_ids is not None else None,
        "course_ids": list(course_ids) if course_ids is not None else None,
        "all_courses": include_not_required,
    }


def training_status(
    *, as_of: date, person_ids=None, course_ids=None, include_not_required: bool = False
) -> list[StatusRow]:
    """Every obligation (and, when asked, every not-required active course) of the people."""
    params = status_params(
        as_of=as_of,
        person_ids=person_ids,
        course_ids=course_ids,
        include_not_required=include_not_required,
    )
    sql = (
        STATUS_SQL
        + """SELECT s.person_id, s.course_id, s.status, s.due_on, s.completed_on, s.expires_on,
                    s.exemption_id, s.covered
             FROM status s JOIN training_course c ON c.id = s.course_id
             ORDER BY s.person_id, c.code"""
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [StatusRow(*row) for row in cursor.fetchall()]
