"""The training bench's data in the bench tenant, seeded once and kept — the issue's scale:
20,000 people in 200 departments (one root, 9 divisions, 190 teams), 40 courses, 60
requirements (the root, divisions, teams with job roles, job roles, named people) and
1,000,000 records (about 1.25 per (person, course) pair: retakes are history; completed over
the last three years, 5 % failed; half the courses expire after 12 months). Requirements are
dated two years back, so untrained people are overdue and the statuses are a realistic mix.

People go in with one COPY and the records are generated inside PostgreSQL (one INSERT …
SELECT over generate_series, seeded random), so seeding takes about a minute rather than the
half hour a million ORM objects would."""

import random
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta

PREFIX = "bt"
N_PEOPLE = 20_000
N_COURSES = 40
N_REQUIREMENTS = 60
N_RECORDS = 1_000_000
DIVISIONS, TEAMS = 9, 190
ROLES = [f"{PREFIX}_role_{n}" for n in range(8)]


@dataclass
class TrainingSet:
    people: int
    departments: int
    courses: int
    records: int
    created: bool
    seconds: float

    def summary(self) -> str:
        made = "seeded" if self.created else "kept"
        return (
            f"{self.people:,} people, {self.departments} departments, {self.courses} courses, "
            f"{self.records:,} records ({made} in {self.seconds:.1f} s)"
        )


def _departments():
    from apps.people.models import Department
    from apps.people.services.departments import department_create

    def made(code, name, parent=None):
        return Department.objects.filter(code=code).first() or department_create(
            code=code, name_en=name, parent_id=parent.pk if parent else None
        )

    root = made(f"{PREFIX}_root", "Bench root")
    divisions = [made(f"{PREFIX}_div_{d}", f"Division {d}", root) for d in range(DIVISIONS)]
    teams = [
        made(f"{PREFIX}_team_{t}", f"Team {t}", divisions[t % DIVISIONS]) for t in range(TEAMS)
    ]
    return root, divisions, teams


def _copy_people(teams) -> list:
    from django.db import connection
    from django.utils import timezone

    now = timezone.now()
    hired = timezone.localdate() - timedelta(days=1800)
    ids = [uuid.uuid4() for _ in range(N_PEOPLE)]
    columns = (
        "id, created_at, updated_at, employee_number, full_name, department_id, job_role, "
        "job_title, email, phone, active, hired_on"
    )
    sql = f"COPY people_person ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for n, pk in enumerate(ids):
            copy.write_row(
                (
                    pk,
                    now,
                    now,
                    f"{PREFIX.upper()}-{n:05d}",
                    f"Bench person {n}",
                    teams[n % len(teams)].pk,
                    ROLES[n % len(ROLES)],
                    "",
                    "",
                    "",
                    True,
                    hired,
                )
            )
    return ids


RECORDS_SQL = """
INSERT INTO training_trainingrecord (id, created_at, updated_at, person_id, course_id,
  course_version, attended, score, passed, completed_at, certificate_number, expires_on, source)
SELECT gen_random_uuid(), now(), now(), p.id, c.id, 1, TRUE, NULL, x.passed, x.completed_at,
  '', CASE WHEN c.validity_months IS NOT NULL THEN
        ((x.completed_at AT TIME ZONE %(tz)s)::date
         + make_interval(months => c.validity_months))::date END,
  'elearning_import'
FROM (
  SELECT floor(random() * %(people)s)::int AS p, floor(random() * %(courses)s)::int AS c,
         now() - make_interval(mins => floor(random() * 1000 * 1440)::int) AS completed_at,
         random() > 0.05 AS passed
  FROM generate_series(1, %(records)s)
) x
JOIN (SELECT id, row_number() OVER (ORDER BY employee_number) - 1 AS n FROM people_person
      WHERE employee_number LIKE 'BT-%%') p ON p.n = x.p
JOIN (SELECT id, validity_months, row_number() OVER (ORDER BY code) - 1 AS n
      FROM training_course WHERE code LIKE 'bt\\_course\\_%%') c ON c.n = x.c
ON CONFLICT DO NOTHING
"""


def _seed(rng: random.Random) -> None:
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from apps.people.models import Person
    from apps.training.models import Course, Requirement
    from apps.training.services.courses import course_create
    from apps.training.services.requirements import requirement_create

    # A half-made (or smaller, earlier) seed is removed first; departments and courses kept.
    with connection.cursor() as cursor:  # raw: an ORM delete of a million rows collects them
        cursor.execute(
            "DELETE FROM training_trainingrecord t USING people_person p"
            " WHERE p.id = t.person_id AND p.employee_number LIKE 'BT-%%'"
        )
    Requirement.objects.filter(course__code__startswith=f"{PREFIX}_course_").delete()
    Person.objects.filter(employee_number__startswith=f"{PREFIX.upper()}-").delete()
    root, divisions, teams = _departments()
    people = _copy_people(teams)
    courses = []
    for n in range(N_COURSES):
        code = f"{PREFIX}_course_{n:02d}"
        courses.append(
            Course.objects.filter(code=code).first()
            or course_create(
                code=code,
                title_en=f"Bench course {n}",
                topic=["compliance", "anti_fraud", "legal", "ethics"][n % 4],
                format="online",
                validity_months=12 if n % 2 else None,
                grace_days=10,
            )
        )
    for n in range(N_REQUIREMENTS):
        course = courses[n % N_COURSES]
        audience = [
            {"department_ids": [root.pk]},
            {"department_ids": [teams[n].pk, teams[n + 60].pk], "job_roles": [ROLES[n % 8]]},
            {"job_roles": [ROLES[n % 8], ROLES[(n + 3) % 8]]},
            {"department_ids": [divisions[n % DIVISIONS].pk]},
            {"person_ids": rng.sample(people, 50)},
        ][n % 5]
        recurrence = {"recurrence": "every_months", "recurrence_months": 24} if n % 3 == 0 else {}
        requirement_create(course_id=course.pk, first_due_days=60, **audience, **recurrence)
    # Dated back: the obligations started two years ago (set-up only; never done by the API).
    Requirement.objects.filter(course__code__startswith=f"{PREFIX}_course_").update(
        created_at=timezone.now() - timedelta(days=730)
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.7)")
        cursor.execute(
            RECORDS_SQL,
            {
                "tz": settings.TIME_ZONE,
                "people": N_PEOPLE,
                "courses": N_COURSES,
                "records": N_RECORDS,
            },
        )


def ensure_training_set(tenant) -> TrainingSet:
    from django.db import connection
    from django_tenants.utils import schema_context

    from apps.people.models import Department, Person
    from apps.training.models import Course, Requirement, TrainingRecord

    started = time.monotonic()
    with schema_context(tenant.schema_name):
        people = Person.objects.filter(employee_number__startswith=f"{PREFIX.upper()}-")
        records = TrainingRecord.objects.filter(course__code__startswith=f"{PREFIX}_")
        requirements = Requirement.objects.filter(course__code__startswith=f"{PREFIX}_")
        created = (
            people.count() != N_PEOPLE
            or requirements.count() != N_REQUIREMENTS
            or records.count() < 0.99 * N_RECORDS
        )
        if created:
            _seed(random.Random(7))
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
                # what autovacuum soon does after a bulk load: the visibility map set, so the
                # record index answers coverage without visiting the table
                cursor.execute("VACUUM training_trainingrecord")
        return TrainingSet(
            people=people.count(),
            departments=Department.objects.filter(code__startswith=f"{PREFIX}_").count(),
            courses=Course.objects.filter(code__startswith=f"{PREFIX}_").count(),
            records=records.count(),
            created=created,
            seconds=time.monotonic() - started,
        )
