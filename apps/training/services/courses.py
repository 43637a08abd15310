"""Courses: permanent codes; a material change is a new version that may require retraining."""

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from apps.training.errors import TrainingErrorCode as Code
from apps.training.models import Course
from apps.training.selectors import existing_plan_ids, existing_risk_category_ids
from apps.training.services.common import Problems, full_clean, get_for_update

EDITABLE = (
    "title_zh",
    "title_en",
    "topic",
    "format",
    "duration_minutes",
    "pass_score",
    "validity_months",
    "grace_days",
    "materials_url",
    "risk_category_ids",
    "emergency_plan_ids",
    "active",
)


def _check(course: Course, problems: Problems) -> None:
    course.title_zh = (course.title_zh or "").strip()
    course.title_en = (course.title_en or "").strip()
    if not (course.title_zh or course.title_en):
        problems.add("title_zh", "A course needs a title (Chinese or English).")
    if course.pass_score is not None and not 0 <= course.pass_score <= 100:
        problems.add("pass_score", "A pass score is between 0 and 100.")
    if course.validity_months is not None and course.validity_months < 1:
        problems.add("validity_months", "Validity is at least one month (empty: never expires).")
    ids = list(dict.fromkeys(str(pk) for pk in course.risk_category_ids or []))
    try:
        known = existing_risk_category_ids(ids)
    except (ValueError, TypeError):
        known = set()
    if set(ids) - known:
        problems.add("risk_category_ids", "Some risk categories do not exist.", Code.NOT_FOUND)
    course.risk_category_ids = ids
    plan_ids = list(dict.fromkeys(str(pk) for pk in course.emergency_plan_ids or []))
    try:
        known = existing_plan_ids(plan_ids)
    except (ValueError, TypeError):
        known = set()
    if set(plan_ids) - known:
        problems.add("emergency_plan_ids", "Some emergency plans do not exist.", Code.NOT_FOUND)
    course.emergency_plan_ids = plan_ids


def course_create(*, code: str, actor=None, **fields) -> Course:
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"course_create() got unexpected fields {sorted(unknown)}")
    problems = Problems()
    code = slugify((code or "").strip()).replace("-", "_")
    if not code:
        problems.add("code", "A course needs a code (letters, digits, _).")
    elif Course.objects.filter(code=code).exists():
        problems.add("code", "This course code is taken.", Code.CODE_TAKEN)
    course = Course(code=code, **fields)
    _check(course, problems)
    full_clean(course, problems, exclude=["code"])
    problems.raise_any()
    course.save()
    return course


@transaction.atomic
def course_update(*, course_id, material: bool = False, actor=None, **changes) -> Course:
    """Change a course; `material=True` bumps the version and sets `requires_retraining_since`
    to now: completions before it no longer count for anyone."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"course_update() got unexpected fields {sorted(unknown)}")
    course = get_for_update(Course, course_id)
    for field, value in changes.items():
        setattr(course, field, value)
    problems = Problems()
    _check(course, problems)
    full_clean(course, problems, exclude=["code"])
    problems.raise_any()
    if material:
        course.version += 1
        course.requires_retraining_since = timezone.now()
    course.save()
    return course
