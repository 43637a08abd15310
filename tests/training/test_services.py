"""The services refuse bad input with typed codes, every problem at once, and write nothing."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.training.models import Course, Exemption, Requirement, TrainingRecord
from apps.training.services.courses import course_create
from apps.training.services.records import add_months, exemption_grant, record_create
from apps.training.services.requirements import requirement_create, requirement_update


def _codes(exc: ValidationError) -> dict:
    return {field: sorted(e.code for e in errors) for field, errors in exc.error_dict.items()}


def test_a_course_refusal_lists_every_problem(in_a):
    course_create(code="aml", title_en="AML", topic="compliance", format="online")
    with pytest.raises(ValidationError) as refused:
        course_create(
            code="AML", topic="nonsense", format="online", pass_score=101, validity_months=0
        )
    assert _codes(refused.value) == {
        "code": ["code_taken"],
        "title_zh": ["invalid"],
        "pass_score": ["invalid"],
        "validity_months": ["invalid"],
        "topic": ["invalid"],
    }
    assert Course.objects.count() == 1


def test_a_requirement_needs_an_audience_and_months_when_recurring(org, course):
    with pytest.raises(ValidationError) as refused:
        requirement_create(course_id=course.pk, recurrence="every_months", job_roles=["Bad Role"])
    assert _codes(refused.value) == {
        "job_roles": ["invalid"],
        "recurrence_months": ["invalid"],
    }
    made = requirement_create(course_id=course.pk, job_roles=[" Analyst ", "analyst"])
    assert made.job_roles == ["analyst"]
    with pytest.raises(ValidationError) as emptied:
        requirement_update(requirement_id=made.pk, job_roles=[])
    assert list(_codes(emptied.value)) == ["__all__"]
    assert Requirement.objects.get().job_roles == ["analyst"]


def test_a_record_in_the_future_or_for_nobody_is_refused(org, course):
    with pytest.raises(ValidationError) as refused:
        record_create(
            person_id=None,
            course_id=course.pk,
            completed_at=timezone.now() + timedelta(days=2),
            score=101,
        )
    assert _codes(refused.value) == {
        "person_id": ["not_found"],
        "completed_at": ["invalid"],
        "score": ["invalid"],
    }
    assert not TrainingRecord.objects.exists()


def test_an_exemption_needs_a_reason_and_a_member_approver(org, course, world):
    with pytest.raises(ValidationError) as refused:
        exemption_grant(person_id=org["ana"].pk, course_id=course.pk, reason="", actor=None)
    assert _codes(refused.value) == {"reason": ["invalid"], "approved_by_id": ["not_a_member"]}
    outsider = world.user("b", "admin")
    with pytest.raises(ValidationError):
        exemption_grant(
            person_id=org["ana"].pk, course_id=course.pk, reason="x", approved_by_id=outsider.pk
        )
    assert not Exemption.objects.exists()


def test_months_are_added_as_the_calendar_does():
    from datetime import date

    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)


def test_a_requirement_with_an_audience_can_be_changed(org, course):
    """Its id lists come back from the database as text, so the audit's JSON takes them (an
    update of a requirement that already named departments or people used to fail there)."""
    from apps.training.services.requirements import requirement_create, requirement_update

    made = requirement_create(
        course_id=course.pk, department_ids=[org["hq"].pk], person_ids=[org["ana"].pk]
    )
    changed = requirement_update(requirement_id=made.pk, department_ids=[org["it"].pk])
    assert changed.department_ids == [str(org["it"].pk)]
    assert requirement_update(requirement_id=made.pk, first_due_days=5).first_due_days == 5
