"""The training bench's data in the bench tenant, seeded once and kept: 10,000 people in 111
departments (one root, 10 divisions, 100 teams), 20 courses, 20 requirements (the root,
divisions, teams, job roles), and a record for about a third of the (person, course) pairs
(~70,000, completed over the last three years, 5 % failed; half the courses expire after 12
months). Requirements are dated two years back, so untrained people are overdue and the
statuses are a realistic mix."""

import random
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta

PREFIX = "bt"
N_PEOPLE = 10_000
N_COURSES = 20
DIVISIONS, TEAMS = 10, 10
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

    root = Department.objects.filter(code=f"{PREFIX}_root").first() or department_create(
        code=f"{PREFIX}_root", name_en="Bench root"
    )
    teams = []
    for d in range(DIVISIONS):
        code = f"{PREFIX}_div_{d}"
        division = Department.objects.filter(code=code).first() or department_create(
            code=code, name_en=f"Division {d}", parent_id=root.pk
        )
        for t in range(TEAMS):
            code = f"{PREFIX}_team_{d}_{t}"
            team = Department.objects.filter(code=code).first() or department_create(
                code=code, name_en=f"Team {d}.{t}", parent_id=division.pk
            )
            teams.append(team)
    return root, teams


def _seed(rng: random.Random) -> None:
    from django.utils import timezone

    from apps.people.models import Person
    from apps.training.models import Course, Requirement, TrainingRecord
    from apps.training.services.courses import course_create
    from apps.training.services.records import expiry
    from apps.training.services.requirements import requirement_create

    # A half-made earlier seed is removed first (records, requirements, people; courses kept).
    TrainingRecord.objects.filter(course__code__startswith=f"{PREFIX}_course_").delete()
    Requirement.objects.filter(course__code__startswith=f"{PREFIX}_course_").delete()
    Person.objects.filter(employee_number__startswith=f"{PREFIX.upper()}-").delete()
    root, teams = _departments()
    now = timezone.now()
    hired = timezone.localdate() - timedelta(days=1500)
    people = [
        Person(
            id=uuid.uuid4(),
            employee_number=f"{PREFIX.upper()}-{n:05d}",
            full_name=f"Bench person {n}",
            department_id=teams[n % len(teams)].pk,
            job_role=ROLES[n % len(ROLES)],
            hired_on=hired,
        )
        for n in range(N_PEOPLE)
    ]
    Person.objects.bulk_create(people, batch_size=2000)
    courses = []
    for n in range(N_COURSES):
        code = f"{PREFIX}_course_{n:02d}"
        course = Course.objects.filter(code=code).first() or course_create(
            code=code,
            title_en=f"Bench course {n}",
            topic=["compliance", "anti_fraud", "legal", "ethics"][n % 4],
            format="online",
            validity_months=12 if n % 2 else None,
            grace_days=10,
        )
        courses.append(course)
        audience = [
            {"department_ids": [root.pk]},
            {"department_ids": [teams[n].pk, teams[n + 20].pk], "job_roles": [ROLES[n % 8]]},
            {"job_roles": [ROLES[n % 8], ROLES[(n + 3) % 8]]},
            {"department_ids": [root.children.order_by("code")[n % DIVISIONS].pk]},
        ][n % 4]
        requirement_create(course_id=course.pk, first_due_days=60, **audience)
    # Dated back: the obligations started two years ago (set-up only; never done by the API).
    Requirement.objects.filter(course__code__startswith=f"{PREFIX}_course_").update(
        created_at=now - timedelta(days=730)
    )
    records = []
    for person in people:
        for course in courses:
            if rng.random() > 0.35:
                continue  # ~35 % of all pairs hold a record
            completed = now - timedelta(days=rng.randint(1, 1000), minutes=rng.randint(0, 999))
            records.append(
                TrainingRecord(
                    id=uuid.uuid4(),
                    person_id=person.pk,
                    course_id=course.pk,
                    completed_at=completed,
                    passed=rng.random() > 0.05,
                    source="elearning_import",
                    expires_on=expiry(course, completed),
                )
            )
    TrainingRecord.objects.bulk_create(records, batch_size=5000)


def ensure_training_set(tenant) -> TrainingSet:
    from django.db import connection
    from django_tenants.utils import schema_context

    from apps.people.models import Department, Person
    from apps.training.models import Course, TrainingRecord

    started = time.monotonic()
    with schema_context(tenant.schema_name):
        people = Person.objects.filter(employee_number__startswith=f"{PREFIX.upper()}-")
        created = people.count() != N_PEOPLE
        if created:
            _seed(random.Random(7))
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        return TrainingSet(
            people=people.count(),
            departments=Department.objects.filter(code__startswith=f"{PREFIX}_").count(),
            courses=Course.objects.filter(code__startswith=f"{PREFIX}_").count(),
            records=TrainingRecord.objects.filter(course__code__startswith=f"{PREFIX}_").count(),
            created=created,
            seconds=time.monotonic() - started,
        )
