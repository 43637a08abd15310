"""Records (one per attempt, history kept) and exemptions (reason and approver)."""

import calendar
from datetime import date, datetime, timedelta

from django.utils import timezone

from apps.people.selectors import people
from apps.training.errors import TrainingErrorCode as Code
from apps.training.models import Course, Exemption, RecordSource, TrainingRecord
from apps.training.services.common import Problems, full_clean


def add_months(day: date, months: int) -> date:
    """Same day N months later; the 31st becomes the month's last day (as PostgreSQL does)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def expiry(course: Course, completed_at: datetime) -> date | None:
    if course.validity_months is None:
        return None
    return add_months(timezone.localdate(completed_at), course.validity_months)


def _person_and_course(person_id, course_id, problems: Problems):
    person = people().filter(pk=person_id).first() if person_id else None
    if person is None:
        problems.add("person_id", "No such person.", Code.NOT_FOUND)
    course = Course.objects.filter(pk=course_id).first() if course_id else None
    if course is None:
        problems.add("course_id", "No such course.", Code.NOT_FOUND)
    return person, course


def check_result(
    course: Course | None, score, passed, attended, completed_at, problems: Problems
) -> bool:
    """Whether the attempt passed (given, or from the score and the course's pass score)."""
    if completed_at is None:
        problems.add("completed_at", "When was it completed?")
    elif completed_at > timezone.now() + timedelta(days=1):
        problems.add("completed_at", "A completion cannot be in the future.")
    if score is not None and not 0 <= score <= 100:
        problems.add("score", "A score is between 0 and 100.")
        return False
    if passed is None:
        if course is None or course.pass_score is None or score is None:
            passed = bool(attended)
        else:
            passed = score >= course.pass_score
    return bool(passed and attended)


def record_create(
    *,
    person_id,
    course_id,
    completed_at: datetime,
    attended: bool = True,
    score: int | None = None,
    passed: bool | None = None,
    certificate_number: str = "",
    source: str = RecordSource.SESSION,
    actor=None,
) -> TrainingRecord:
    """One attempt. `passed` left out: from the score and the course's pass score."""
    problems = Problems()
    person, course = _person_and_course(person_id, course_id, problems)
    passed = check_result(course, score, passed, attended, completed_at, problems)
    if (
        person
        and course
        and completed_at
        and TrainingRecord.objects.filter(
            person=person, course=course, completed_at=completed_at
        ).exists()
    ):
        problems.add("completed_at", "This attempt is recorded already.", Code.RECORD_EXISTS)
    record = TrainingRecord(
        person=person,
        course=course,
        course_version=course.version if course else 1,
        attended=attended,
        score=score,
        passed=passed,
        completed_at=completed_at,
        certificate_number=(certificate_number or "").strip(),
        source=source,
    )
    if course and completed_at and passed:
        record.expires_on = expiry(course, completed_at)
    full_clean(record, problems, exclude=["person", "course", "score", "completed_at"])
    problems.raise_any()
    record.save()
    return record


def exemption_grant(
    *,
    person_id,
    course_id,
    reason: str,
    approved_by_id=None,
    valid_from: date | None = None,
    valid_until: date | None = None,
    actor=None,
) -> Exemption:
    """Excuse a person from a course; the approver defaults to the caller."""
    from apps.accounts.selectors import members_here

    problems = Problems()
    _person_and_course(person_id, course_id, problems)
    approver = approved_by_id or (actor.pk if actor is not None else None)
    if not (reason or "").strip():
        problems.add("reason", "Say why the person is exempt.")
    if approver is None or approver not in members_here([approver]):
        problems.add("approved_by_id", "The approver must be a member.", Code.NOT_A_MEMBER)
    valid_from = valid_from or timezone.localdate()
    if valid_until is not None and valid_until < valid_from:
        problems.add("valid_until", "The exemption ends before it starts.")
    problems.raise_any()
    assert approver is not None  # refused above
    exemption = Exemption(
        person_id=person_id,
        course_id=course_id,
        reason=reason.strip(),
        approved_by_id=approver,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    exemption.save()
    return exemption
