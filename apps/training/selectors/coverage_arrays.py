"""Coverage counts by a numpy pass over arrays fetched once — the same rules as the status query
(selectors/status.py), computed per obligation without a row per obligation ever leaving
PostgreSQL.

What PostgreSQL sends (five statements whatever the numbers of people and departments): the
eligible people (one row each), the departments, the active courses and requirements, the
current exemptions, and the last completion of every (person, course) pair as four packed
int32 arrays (person index, course index, completed day, expiry day: `string_agg(int4send(…))`,
read with `numpy.frombuffer`), grouped straight off the record index. numpy then derives the
obligations (each requirement's audience as a mask over the people: named, job role, member
role, department subtree), merges the requirements of one course (earliest first due, shortest
recurrence), looks each obligation's last completion up by a sorted key, sets the statuses
and counts them per group — sub-departments rolled up through the ancestor matrix.

Why not one SQL statement: at 20,000 people × 40 courses and 1,000,000 records the planner
misjudged the derived obligations by two orders of magnitude (a requirement's audience is an
array), sorted and hashed them on disk, and the statement took 4–5× the bare read of the
records; here the work beyond that read is a few array passes. `status.py` stays the one
definition a person's page, the overdue list and the reminders read; tests hold this module to
its counts (tests/training/test_coverage_arrays.py)."""

import zoneinfo
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np
from django.conf import settings
from django.db import connection

from apps.training.selectors.status import status_params

EPOCH = date(2000, 1, 1)
NEVER = np.iinfo(np.int32).max  # "no expiry" / "no recurrence"
DAY0 = np.datetime64("2000-01-01", "D")

PEOPLE_SQL = """
SELECT p.id::text, p.department_id::text, p.job_role, mb.role, p.hired_on - DATE '2000-01-01'
FROM people_person p
LEFT JOIN accounts_membership mb  -- public: the member account's role in this tenant
  ON mb.user_id = p.user_id
  AND mb.tenant_id = (SELECT t.id FROM tenants_tenant t WHERE t.schema_name = current_schema())
WHERE (p.hired_on IS NULL OR p.hired_on <= %(as_of)s)
  AND (p.left_on IS NULL OR p.left_on >= %(as_of)s)
  AND (p.active OR p.left_on IS NOT NULL)
ORDER BY p.id
"""
COURSES_SQL = """
SELECT c.id, c.code, c.topic, c.grace_days,
       (c.requires_retraining_since AT TIME ZONE %(tz)s)::date - DATE '2000-01-01'
FROM training_course c WHERE c.active ORDER BY c.code
"""
REQUIREMENTS_SQL = """
SELECT r.course_id, r.department_ids, r.job_roles, r.member_roles, r.person_ids,
       r.first_due_days, (r.created_at AT TIME ZONE %(tz)s)::date - DATE '2000-01-01',
       CASE r.recurrence WHEN 'every_months' THEN r.recurrence_months
                         WHEN 'course_validity' THEN c.validity_months END
FROM training_requirement r JOIN training_course c ON c.id = r.course_id AND c.active
WHERE r.active AND (r.created_at AT TIME ZONE %(tz)s)::date <= %(as_of)s
"""
EXEMPTIONS_SQL = """
SELECT DISTINCT x.person_id::text, x.course_id FROM training_exemption x
WHERE x.valid_from <= %(as_of)s AND (x.valid_until IS NULL OR x.valid_until >= %(as_of)s)
"""
# The last completion per (person, course), each pair one 44-byte record of a single bytea:
# person and course ids (uuid_send, 16 bytes each), the last completion (timestamptz_send:
# microseconds since 2000-01-01 UTC) and the latest expiry held (date_send: days since
# 2000-01-01, `infinity` when one never expires). Only *_send functions per row — no time-zone
# conversion, no join — grouped straight off the `record_passed_pair` index; the ids are
# matched to the people and courses in numpy. The courses asked to be taken again since a date
# (`retrained`, usually none) are grouped apart, from their records on or after that date.
LAST_SQL = """
SELECT string_agg(uuid_send(l.person_id) || uuid_send(l.course_id)
                  || timestamptz_send(l.completed_at) || date_send(l.expires_on), '')
FROM (
  SELECT t.person_id, t.course_id, MAX(t.completed_at) AS completed_at,
         CASE WHEN bool_or(t.expires_on IS NULL) THEN 'infinity'::date ELSE MAX(t.expires_on) END
           AS expires_on
  FROM training_trainingrecord t
  WHERE t.passed AND t.completed_at < %(day_end)s {not_retrained}
  GROUP BY t.person_id, t.course_id
  {retrained}
) l
"""
RETRAINED_SQL = """
  UNION ALL
  SELECT t.person_id, t.course_id, MAX(t.completed_at),
         CASE WHEN bool_or(t.expires_on IS NULL) THEN 'infinity'::date ELSE MAX(t.expires_on) END
  FROM training_trainingrecord t JOIN training_course c ON c.id = t.course_id
  WHERE t.passed AND t.completed_at < %(day_end)s AND t.course_id = ANY(%(retrained)s::uuid[])
    AND t.completed_at >= c.requires_retraining_since
  GROUP BY t.person_id, t.course_id
"""
RECORD = np.dtype([("person", "V16"), ("course", "V16"), ("completed", ">i8"), ("expires", ">i4")])


def last_sql(any_retrained: bool) -> str:
    if not any_retrained:
        return LAST_SQL.format(not_retrained="", retrained="")
    return LAST_SQL.format(
        not_retrained="AND t.course_id <> ALL(%(retrained)s::uuid[])", retrained=RETRAINED_SQL
    )


def _halves(ids) -> np.ndarray:
    """16-byte ids (bytes, or a V16 array) as [n, 2] big-endian unsigned halves."""
    raw = b"".join(ids) if isinstance(ids, list) else np.ascontiguousarray(ids).tobytes()
    return np.frombuffer(raw, dtype=">u8").reshape(-1, 2)


def match_ids(found, known: list[bytes]) -> np.ndarray:
    """The index in `known` of each id in `found` (-1: not there), exactly."""
    if not known or not len(found):
        return np.full(len(found), -1, dtype=np.int64)
    wanted, have = _halves(found), _halves(known)
    order = np.lexsort((have[:, 1], have[:, 0]))
    have = have[order]
    if np.any(have[1:, 0] == have[:-1, 0]):  # two known ids share their first 8 bytes:
        # match them one by one (never seen with random ids)
        index = {bytes(k): n for n, k in enumerate(known)}
        return np.array([index.get(bytes(f), -1) for f in np.asarray(found)], dtype=np.int64)
    at = np.minimum(np.searchsorted(have[:, 0], wanted[:, 0]), len(have) - 1)
    hit = (have[at, 0] == wanted[:, 0]) & (have[at, 1] == wanted[:, 1])
    return np.where(hit, order[at], -1)


def local_days(micros: np.ndarray) -> np.ndarray:
    """PostgreSQL timestamps (µs since 2000-01-01 UTC) as the tenant's local day numbers: the
    zone's offset looked up once per distinct UTC day, per record only on a day it changes."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    base = datetime(2000, 1, 1, tzinfo=UTC)
    day = 86_400_000_000
    days, back = np.unique(micros // day, return_inverse=True)
    back = back.ravel()
    offsets = np.empty(len(days), dtype=np.int64)
    changing = np.zeros(len(days), dtype=bool)
    for n, d in enumerate(days.tolist()):
        start = base + timedelta(days=d)
        changing[n] = _offset(zone, start) != _offset(zone, start + timedelta(days=1))
        offsets[n] = _offset(zone, start)
    local = micros + offsets[back]
    for at in np.flatnonzero(changing[back]):  # a day the zone changes its offset
        local[at] = micros[at] + _offset(zone, base + timedelta(microseconds=int(micros[at])))
    return local // day


def _offset(zone: zoneinfo.ZoneInfo, instant: datetime) -> int:
    """The zone's UTC offset at `instant`, in microseconds."""
    offset = zone.utcoffset(instant)
    return int(offset.total_seconds()) * 1_000_000 if offset is not None else 0


STATUS_NAMES = ("compliant", "due_soon", "overdue", "expired", "exempt")
COMPLIANT, DUE_SOON, OVERDUE, EXPIRED, EXEMPT = range(5)


def add_months(days: np.ndarray, months: np.ndarray) -> np.ndarray:
    """Day numbers plus whole months, clamped to the month's last day (PostgreSQL's rule)."""
    day = DAY0 + days.astype("timedelta64[D]")
    month = day.astype("datetime64[M]")
    day_of_month = (day - month.astype("datetime64[D]")).astype(np.int64)
    target = month + months.astype("timedelta64[M]")
    length = ((target + 1).astype("datetime64[D]") - target.astype("datetime64[D]")).astype(int)
    out = target.astype("datetime64[D]") + np.minimum(day_of_month, length - 1).astype(
        "timedelta64[D]"
    )
    return (out - DAY0).astype(np.int64)


@dataclass
class Obligations:
    """One entry per obligation (person, course), the people's and courses' facts by index."""

    person: np.ndarray  # index into people
    course: np.ndarray  # index into courses
    status: np.ndarray  # COMPLIANT … EXEMPT
    covered: np.ndarray  # bool
    people_department: np.ndarray  # per person: department index, -1 for none
    people_role: list[str]
    departments: list[tuple]  # (id, code, path) by path
    ancestors: np.ndarray  # [department, ancestor-or-self] bool
    courses: list[tuple]  # (id, code, topic) by code


def _departments(rows):
    index = {path: n for n, (_, _, path) in enumerate(rows)}
    ancestors = np.zeros((len(rows), len(rows)), dtype=bool)
    for n, (_, _, path) in enumerate(rows):
        parts = path.split("/")
        for depth in range(1, len(parts) + 1):
            above = index.get("/".join(parts[:depth]))
            if above is not None:
                ancestors[n, above] = True
    return ancestors


def obligations(*, as_of: date) -> Obligations:
    """Every obligation's status on `as_of` (exemptions included, as EXEMPT)."""
    params = {**status_params(as_of=as_of), "person_ids": None, "course_ids": None}
    window = params["window"]
    today = (as_of - EPOCH).days
    with connection.cursor() as cursor:
        cursor.execute(PEOPLE_SQL, params)
        people = cursor.fetchall()
        cursor.execute("SELECT id, code, path FROM people_department ORDER BY path")
        # ids as text: 20,000 UUID objects cost more than the rest of the people's rows
        departments = cursor.fetchall()
        cursor.execute(COURSES_SQL, params)
        courses = cursor.fetchall()
        cursor.execute(REQUIREMENTS_SQL, params)
        requirements = cursor.fetchall()
        cursor.execute(EXEMPTIONS_SQL, params)
        exempt_pairs = cursor.fetchall()
        retrained = [c[0] for c in courses if c[4] is not None]
        params["retrained"] = retrained
        cursor.execute(last_sql(bool(retrained)), params)
        (packed,) = cursor.fetchone()

    person_index = {row[0]: n for n, row in enumerate(people)}
    course_index = {row[0]: n for n, row in enumerate(courses)}
    department_index = {str(row[0]): n for n, row in enumerate(departments)}
    ancestors = _departments(departments)
    n_courses = max(len(courses), 1)
    department = np.array([department_index.get(p[1], -1) for p in people], dtype=np.int64)
    roles = [p[2] for p in people]
    role_codes: dict = {}  # job and member roles as small integers (np.isin on strings is slow)
    role_array = np.array([role_codes.setdefault(r, len(role_codes)) for r in roles], dtype=int)
    member_array = np.array(
        [role_codes.setdefault(("member", p[3]), len(role_codes)) for p in people], dtype=int
    )
    hired = np.array([NEVER if p[4] is None else p[4] for p in people], dtype=np.int64)

    keys: list[np.ndarray] = []
    first_due: list[np.ndarray] = []
    lead: list[np.ndarray] = []
    period: list[np.ndarray] = []
    for course_id, dept_ids, job_roles, member_roles, named, days, created, every in requirements:
        mask = np.zeros(len(people), dtype=bool)
        if dept_ids:
            listed = [department_index[str(d)] for d in dept_ids if str(d) in department_index]
            if listed:
                in_subtree = np.append(ancestors[:, listed].any(axis=1), False)  # [-1]: none
                mask |= in_subtree[department]
        if job_roles:
            mask |= np.isin(role_array, [role_codes.get(r, -1) for r in job_roles])
        if member_roles:
            mask |= np.isin(member_array, [role_codes.get(("member", r), -1) for r in member_roles])
        for pk in map(str, named or ()):
            if pk in person_index:
                mask[person_index[pk]] = True
        who = np.flatnonzero(mask)
        keys.append(who * n_courses + course_index[course_id])
        # GREATEST(hired, created): a person without a hire date counts from the creation
        start = np.where(hired[who] == NEVER, created, np.maximum(hired[who], created))
        first_due.append(start + days)
        lead.append(np.full(len(who), days))
        period.append(np.full(len(who), NEVER if every is None else every))
    if keys:
        key = np.concatenate(keys)
        order = np.argsort(key, kind="stable")
        key = key[order]
        starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else key
        merged = [
            np.minimum.reduceat(np.concatenate(v)[order], starts) if len(key) else key
            for v in (first_due, lead, period)
        ]
        key = key[starts] if len(key) else key
        first, lead_days, months = merged
    else:
        key = first = lead_days = months = np.zeros(0, dtype=np.int64)
    person = key // n_courses
    course = key % n_courses

    grace = np.array([c[3] for c in courses] or [0], dtype=np.int64)[course]
    since = np.array([NEVER if c[4] is None else c[4] for c in courses] or [0], dtype=np.int64)
    retrained_on = since[course]
    first = np.where(retrained_on == NEVER, first, np.maximum(first, retrained_on + lead_days))

    last = np.frombuffer(bytes(packed or b""), dtype=RECORD)
    last_person = match_ids(last["person"], [bytes.fromhex(p[0].replace("-", "")) for p in people])
    last_course = match_ids(last["course"], [c[0].bytes for c in courses])
    kept = (last_person >= 0) & (last_course >= 0)  # eligible people, active courses
    last_key = last_person[kept] * n_courses + last_course[kept]
    completed_all = local_days(last["completed"][kept].astype(np.int64))
    expires_all = last["expires"][kept].astype(np.int64)  # `infinity` is NEVER
    order = np.argsort(last_key)
    last_key = last_key[order]
    at = np.searchsorted(last_key, key)
    at_clipped = np.minimum(at, max(len(last_key) - 1, 0))
    found = (at < len(last_key)) & (last_key[at_clipped] == key) if len(last_key) else at < 0
    completed = np.where(found, completed_all[order][at_clipped] if len(last_key) else 0, NEVER)
    expires = np.where(found, expires_all[order][at_clipped] if len(last_key) else 0, NEVER)
    renew = np.full(len(key), NEVER, dtype=np.int64)
    recurring = found & (months != NEVER)
    renew[recurring] = add_months(completed[recurring], months[recurring])
    next_due = np.minimum(expires, renew)  # NEVER: neither expires nor recurs

    exempt = np.zeros(len(key), dtype=bool)
    if exempt_pairs and len(key):
        exempt_keys = np.array(
            [
                person_index[p] * n_courses + course_index[c]
                for p, c in exempt_pairs
                if p in person_index and c in course_index
            ],
            dtype=np.int64,
        )
        exempt = np.isin(key, exempt_keys)

    status = np.full(len(key), COMPLIANT, dtype=np.int8)
    has_next = next_due != NEVER
    status[has_next & (today >= next_due - window)] = DUE_SOON
    lapsed = has_next & (today >= next_due)
    status[lapsed] = np.where(today > next_due[lapsed] + grace[lapsed], OVERDUE, DUE_SOON)
    status[(expires != NEVER) & (today >= expires)] = EXPIRED
    untrained = ~found
    status[untrained] = np.where(today > first[untrained] + grace[untrained], OVERDUE, DUE_SOON)
    status[exempt] = EXEMPT
    covered = ~exempt & found & (~has_next | (today < next_due))
    return Obligations(
        person=person,
        course=course,
        status=status,
        covered=covered,
        people_department=department,
        people_role=roles,
        departments=departments,
        ancestors=ancestors,
        courses=[(c[0], c[1], c[2]) for c in courses],
    )


def _counts(group: np.ndarray, ob: Obligations, size: int) -> np.ndarray:
    """[group, (required, compliant, due_soon, overdue, expired, exempt, covered, rows)]."""
    out = np.zeros((size, 8), dtype=np.int64)
    for n in range(5):
        out[:, n + 1] = np.bincount(group[ob.status == n], minlength=size)[:size]
    out[:, 0] = out[:, 1:5].sum(axis=1)
    out[:, 6] = np.bincount(group[ob.covered], minlength=size)[:size]
    out[:, 7] = np.bincount(group, minlength=size)[:size]
    return out


def grouped_counts(ob: Obligations, group_by: str, department_id=None) -> list[tuple]:
    """Rows (group id, code, required, compliant, due_soon, overdue, expired, exempt, covered)
    in the order the coverage query answers them."""

    def row(group_id, code, counts):
        return (group_id, code, *(int(v) for v in counts[:7]))

    if group_by == "total":
        return [row(None, None, _counts(np.zeros(len(ob.person), int), ob, 1)[0])]
    if group_by == "department":
        n = len(ob.departments)
        own = ob.people_department[ob.person]
        with_one = own >= 0
        per_department = _counts(own[with_one], _subset(ob, with_one), max(n, 1))[:n]
        subtree = ob.ancestors.T.astype(np.int64) @ per_department  # [ancestor] = Σ below
        return [
            row(pk, code, subtree[i])
            for i, (pk, code, _) in enumerate(ob.departments)
            if subtree[i, 7] and (department_id is None or str(pk) == str(department_id))
        ]
    if group_by in ("course", "topic"):
        counts = _counts(ob.course, ob, max(len(ob.courses), 1))
        if group_by == "course":
            return [
                row(pk, code, counts[i])
                for i, (pk, code, _) in enumerate(ob.courses)
                if counts[i, 7]
            ]
        topics = sorted({topic for _, _, topic in ob.courses})
        of_course = np.array([topics.index(t) for _, _, t in ob.courses] or [0])
        by_topic = _counts(of_course[ob.course], ob, max(len(topics), 1))
        return [row(None, t, by_topic[i]) for i, t in enumerate(topics) if by_topic[i, 7]]
    if group_by == "job_role":
        roles = sorted(set(ob.people_role))
        of_person = np.array([roles.index(r) for r in ob.people_role] or [0])
        by_role = _counts(of_person[ob.person], ob, max(len(roles), 1))
        return [row(None, r, by_role[i]) for i, r in enumerate(roles) if by_role[i, 7]]
    raise ValueError(f"unknown grouping {group_by!r}")


def _subset(ob: Obligations, keep: np.ndarray) -> Obligations:
    return Obligations(
        person=ob.person[keep],
        course=ob.course[keep],
        status=ob.status[keep],
        covered=ob.covered[keep],
        people_department=ob.people_department,
        people_role=ob.people_role,
        departments=ob.departments,
        ancestors=ob.ancestors,
        courses=ob.courses,
    )
