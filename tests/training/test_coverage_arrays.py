"""Coverage by numpy (selectors/coverage_arrays.py) against the same counts grouped in one SQL
statement over the status query, on a directory with every kind of audience and rule, on
several dates; and the month arithmetic of recurrences, worked by hand."""

from datetime import date, timedelta

import numpy as np
import pytest
from django.utils import timezone

from apps.people.services import people
from apps.people.services.people import person_update
from apps.training.selectors.coverage import coverage, coverage_sql
from apps.training.selectors.coverage_arrays import EPOCH, add_months
from apps.training.services.courses import course_create, course_update
from apps.training.services.records import exemption_grant, record_create
from apps.training.services.requirements import requirement_create

DAY = timedelta(days=1)


def _days(*days: date) -> np.ndarray:
    return np.array([(d - EPOCH).days for d in days])


def test_months_are_added_as_postgresql_adds_them():
    start = _days(date(2025, 1, 31), date(2024, 1, 31), date(2025, 3, 15), date(2023, 12, 31))
    got = add_months(start, np.array([1, 1, 12, 2]))
    assert [EPOCH + timedelta(days=int(d)) for d in got] == [
        date(2025, 2, 28),  # clamped to the month's last day
        date(2024, 2, 29),  # a leap year
        date(2026, 3, 15),
        date(2024, 2, 29),
    ]


@pytest.fixture
def varied(in_a, org, course, world):
    """Department, job-role, member-role and named audiences; recurrence by months and by
    validity; a retrained course; an exemption; someone without a department; someone who
    left; failed and passed attempts, old and recent."""
    now = timezone.now()
    loner = people.person_create(
        employee_number="E9", full_name="No department", job_role="analyst"
    )
    gone = people.person_create(
        employee_number="E8",
        full_name="Left",
        department_id=org["it"].pk,
        hired_on=timezone.localdate() - 900 * DAY,
    )
    person_update(person_id=gone.pk, left_on=timezone.localdate() - 30 * DAY, active=False)
    person_update(person_id=org["cy"].pk, user_id=world.user("a", "analyst").pk)
    ethics = course_create(
        code="ethics", title_en="Ethics", topic="ethics", format="seminar", grace_days=3
    )
    drill = course_create(
        code="drill", title_en="Drill", topic="emergency_handling", format="drill"
    )
    requirement_create(course_id=course.pk, department_ids=[org["risk"].pk], first_due_days=10)
    requirement_create(course_id=course.pk, job_roles=["analyst"], first_due_days=40)
    requirement_create(
        course_id=ethics.pk,
        department_ids=[org["hq"].pk],
        first_due_days=0,
        recurrence="every_months",
        recurrence_months=1,
    )
    requirement_create(course_id=drill.pk, member_roles=["analyst"], person_ids=[loner.pk])
    requirement_create(course_id=drill.pk, person_ids=[org["ana"].pk], first_due_days=5)
    for person, course_, days_ago, score in [
        (org["ana"], course, 400, 90),  # expired (12 months' validity)
        (org["ana"], course, 20, 40),  # failed: does not count
        (org["bo"], course, 5, 80),
        (org["ana"], ethics, 25, None),  # monthly: due again within days
        (org["bo"], ethics, 50, None),  # monthly: lapsed
        (org["cy"], ethics, 2, None),
        (loner, drill, 3, None),
        (org["ana"], drill, 100, None),  # before the retraining below
    ]:
        record_create(
            person_id=person.pk,
            course_id=course_.pk,
            completed_at=now - days_ago * DAY,
            score=score,
        )
    course_update(course_id=drill.pk, material=True, title_en="Drill v2")
    exemption_grant(
        person_id=org["bo"].pk,
        course_id=ethics.pk,
        reason="Abroad.",
        actor=world.user("a", "admin"),
    )
    return org


@pytest.mark.parametrize("group_by", ["department", "course", "job_role", "topic", "total"])
@pytest.mark.parametrize("days", [-60, -1, 0, 3, 12, 45, 400])
def test_numpy_counts_are_the_one_statement_counts(varied, group_by, days):
    day = timezone.localdate() + days * DAY
    assert coverage(as_of=day, group_by=group_by) == coverage_sql(as_of=day, group_by=group_by)


def test_numpy_counts_by_hand(varied):
    today = timezone.localdate()
    by_course = {r.code: r for r in coverage(as_of=today, group_by="course")}
    # aml_basics: Ana (Risk; expired, her later attempt failed), Bo (Credit; passed 5 days ago),
    # the analyst without a department (due in 40 days) → required 3
    aml = by_course["aml_basics"]
    assert (aml.required, aml.compliant, aml.due_soon, aml.expired, aml.covered) == (3, 1, 1, 1, 1)
    # ethics, monthly, everyone under HQ: Ana 25 days ago → due within the 30-day window;
    # Bo exempt; Cy 2 days ago → renewal in a month, within the window too
    ethics = by_course["ethics"]
    assert (ethics.required, ethics.due_soon, ethics.exempt, ethics.covered) == (2, 2, 1, 2)
    # drill, retrained today: Ana's attempt 100 days ago no longer counts (due 5 days after the
    # retraining), the loner's 3 days ago neither; Cy (an analyst member) never took it
    drill = by_course["drill"]
    assert (drill.required, drill.due_soon, drill.covered) == (3, 3, 0)


def test_completion_days_follow_the_zone_across_a_change_of_offset(settings):
    """Berlin leaves summer time at 01:00 UTC on 26 October 2025 (+2 → +1)."""
    from datetime import UTC, datetime

    from apps.training.selectors.coverage_arrays import local_days

    settings.TIME_ZONE = "Europe/Berlin"
    base = datetime(2000, 1, 1, tzinfo=UTC)
    instants = [
        datetime(2025, 10, 25, 22, 30, tzinfo=UTC),  # 00:30 on the 26th, summer time
        datetime(2025, 10, 26, 0, 30, tzinfo=UTC),  # 02:30 on the 26th, still summer time
        datetime(2025, 10, 26, 23, 30, tzinfo=UTC),  # 00:30 on the 27th, winter time
        datetime(2025, 10, 27, 22, 30, tzinfo=UTC),  # 23:30 on the 27th, winter time
    ]
    micros = np.array([(i - base) // timedelta(microseconds=1) for i in instants])
    assert [EPOCH + timedelta(days=int(d)) for d in local_days(micros)] == [
        date(2025, 10, 26),
        date(2025, 10, 26),
        date(2025, 10, 27),
        date(2025, 10, 27),
    ]
