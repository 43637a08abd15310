"""Requirements: which course is mandatory for whom. Obligations follow; none is stored."""

import re

from django.db import transaction

from apps.accounts.roles import Role
from apps.people.selectors import departments, people
from apps.training.errors import TrainingErrorCode as Code
from apps.training.models import Course, Recurrence, Requirement
from apps.training.services.common import Problems, full_clean, get_for_update

EDITABLE = (
    "department_ids",
    "job_roles",
    "person_ids",
    "member_roles",
    "first_due_days",
    "recurrence",
    "recurrence_months",
    "active",
)
ROLE_CODE = re.compile(r"^[a-z0-9_-]+$")


def _ids(values) -> list[str]:
    return list(dict.fromkeys(str(v) for v in values or []))


def _check(requirement: Requirement, problems: Problems) -> None:
    requirement.department_ids = _ids(requirement.department_ids)
    requirement.person_ids = _ids(requirement.person_ids)
    roles = [r.strip().lower() for r in requirement.job_roles or [] if r and r.strip()]
    if any(not ROLE_CODE.match(r) for r in roles):
        problems.add("job_roles", "Job roles are codes: letters, digits, _ and -.")
    requirement.job_roles = list(dict.fromkeys(roles))
    member_roles = [str(r) for r in requirement.member_roles or []]
    if any(r not in Role.values for r in member_roles):
        problems.add("member_roles", f"Member roles are {', '.join(Role.values)}.")
    requirement.member_roles = list(dict.fromkeys(member_roles))
    audience = (
        requirement.department_ids,
        requirement.job_roles,
        requirement.member_roles,
        requirement.person_ids,
    )
    if not any(audience):
        problems.add(None, "Name an audience: departments, job roles, member roles or people.")
    try:
        found_depts = departments().filter(pk__in=requirement.department_ids).count()
        found_people = people().filter(pk__in=requirement.person_ids).count()
    except Exception:  # a malformed UUID
        found_depts = found_people = -1
    if found_depts != len(requirement.department_ids):
        problems.add("department_ids", "Some departments do not exist.", Code.NOT_FOUND)
    if found_people != len(requirement.person_ids):
        problems.add("person_ids", "Some people do not exist.", Code.NOT_FOUND)
    if requirement.recurrence == Recurrence.EVERY_MONTHS:
        if not requirement.recurrence_months or requirement.recurrence_months < 1:
            problems.add("recurrence_months", "Every how many months (at least 1)?")
    else:
        requirement.recurrence_months = None


def requirement_create(*, course_id, actor=None, **fields) -> Requirement:
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"requirement_create() got unexpected fields {sorted(unknown)}")
    problems = Problems()
    course = Course.objects.filter(pk=course_id).first() if course_id else None
    if course is None:
        problems.add("course_id", "No such course.", Code.NOT_FOUND)
    elif not course.active:
        problems.add("course_id", "The course is deactivated.", Code.INACTIVE)
    requirement = Requirement(course=course, **fields)
    _check(requirement, problems)
    full_clean(requirement, problems, exclude=["course"])
    problems.raise_any()
    requirement.save()
    return requirement


@transaction.atomic
def requirement_update(*, requirement_id, actor=None, **changes) -> Requirement:
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"requirement_update() got unexpected fields {sorted(unknown)}")
    requirement = get_for_update(Requirement, requirement_id)
    for field, value in changes.items():
        setattr(requirement, field, value)
    problems = Problems()
    _check(requirement, problems)
    full_clean(requirement, problems, exclude=["course"])
    problems.raise_any()
    requirement.save()
    return requirement
