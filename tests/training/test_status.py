"""The status selector on its boundaries: the due-soon window, grace days, expiry on the day,
retraining after a material version, exemptions, audiences; and its cost (one query)."""

from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.people.services.people import person_create
from apps.training.selectors.status import training_status
from apps.training.services.courses import course_create, course_update
from apps.training.services.records import exemption_grant, record_create
from apps.training.services.requirements import requirement_create
from tests.training.conftest import status_of

DAY = timedelta(days=1)


def _a_year_later(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return date(day.year + 1, 2, 28)


def test_never_trained_is_due_soon_until_due_date_plus_grace_then_overdue(org, course):
    requirement_create(course_id=course.pk, department_ids=[org["hq"].pk], first_due_days=30)
    today = timezone.localdate()
    # created today, hired long ago: due 30 days from today; grace 5 days
    assert status_of(org["bo"], course, today) == "due_soon"
    assert status_of(org["bo"], course, today + 35 * DAY) == "due_soon"
    assert status_of(org["bo"], course, today + 36 * DAY) == "overdue"
    # before the requirement existed it asked nothing of anyone
    assert status_of(org["bo"], course, today - DAY) is None


def test_due_soon_window_and_expiry_on_the_day(org, course):
    requirement_create(course_id=course.pk, job_roles=["analyst"], first_due_days=0)
    completed = timezone.now() - 10 * DAY
    record = record_create(
        person_id=org["bo"].pk, course_id=course.pk, completed_at=completed, score=80
    )
    expires = _a_year_later(timezone.localdate(completed))
    assert record.expires_on == expires
    assert status_of(org["bo"], course, expires - 31 * DAY) == "compliant"
    assert status_of(org["bo"], course, expires - 30 * DAY) == "due_soon"  # window: 30 days
    assert status_of(org["bo"], course, expires - DAY) == "due_soon"
    assert status_of(org["bo"], course, expires) == "expired"  # the day itself


def test_the_window_is_a_setting(org, course):
    from apps.training.services.settings import settings_update

    requirement_create(course_id=course.pk, job_roles=["analyst"], first_due_days=0)
    completed = timezone.now() - 10 * DAY
    record_create(person_id=org["bo"].pk, course_id=course.pk, completed_at=completed, score=80)
    expires = _a_year_later(timezone.localdate(completed))
    settings_update(due_soon_days=7)
    assert status_of(org["bo"], course, expires - 8 * DAY) == "compliant"
    assert status_of(org["bo"], course, expires - 7 * DAY) == "due_soon"


def test_a_failed_attempt_does_not_count(org, course):
    requirement_create(course_id=course.pk, person_ids=[org["cy"].pk], first_due_days=0)
    record_create(
        person_id=org["cy"].pk, course_id=course.pk, completed_at=timezone.now() - DAY, score=59
    )
    assert status_of(org["cy"], course, timezone.localdate()) == "due_soon"
    assert status_of(org["cy"], course, timezone.localdate() + 6 * DAY) == "overdue"


def test_a_material_version_requires_retraining(org, course):
    requirement_create(course_id=course.pk, department_ids=[org["risk"].pk], first_due_days=20)
    record_create(
        person_id=org["ana"].pk, course_id=course.pk, completed_at=timezone.now() - DAY, score=90
    )
    today = timezone.localdate()
    assert status_of(org["ana"], course, today) == "compliant"
    course_update(course_id=course.pk, title_en="AML basics (2026)")  # not material
    assert status_of(org["ana"], course, today) == "compliant"
    updated = course_update(course_id=course.pk, material=True)
    assert updated.version == 2 and updated.requires_retraining_since is not None
    assert status_of(org["ana"], course, today) == "due_soon"
    assert status_of(org["ana"], course, today + 26 * DAY) == "overdue"  # 20 days + 5 grace
    record_create(
        person_id=org["ana"].pk,
        course_id=course.pk,
        completed_at=timezone.now() + timedelta(minutes=1),
        score=90,
    )
    assert status_of(org["ana"], course, today) == "compliant"


def test_recurrence_in_months_without_validity(org):
    course = course_create(
        code="drill",
        title_en="Fire drill",
        topic="emergency_handling",
        format="drill",
        grace_days=3,
    )
    requirement_create(
        course_id=course.pk,
        job_roles=["developer"],
        first_due_days=0,
        recurrence="every_months",
        recurrence_months=6,
    )
    back = 10 if timezone.localdate(timezone.now() - 10 * DAY).day <= 28 else 14
    completed = timezone.now() - back * DAY
    record_create(person_id=org["cy"].pk, course_id=course.pk, completed_at=completed)
    day = timezone.localdate(completed)  # on or before the 28th: six months on is plain
    month = day.month + 6
    again = date(day.year + (month > 12), month - 12 if month > 12 else month, day.day)
    assert status_of(org["cy"], course, again - 31 * DAY) == "compliant"
    assert status_of(org["cy"], course, again - 30 * DAY) == "due_soon"
    assert status_of(org["cy"], course, again + 3 * DAY) == "due_soon"  # grace 3 days
    assert status_of(org["cy"], course, again + 4 * DAY) == "overdue"


def test_exempt_and_not_required(org, course, world):
    requirement_create(course_id=course.pk, department_ids=[org["risk"].pk], first_due_days=0)
    exemption_grant(
        person_id=org["bo"].pk,
        course_id=course.pk,
        reason="Certified externally.",
        actor=world.user("a", "risk_manager"),
    )
    today = timezone.localdate()
    assert status_of(org["bo"], course, today) == "exempt"  # Credit is under Risk
    assert status_of(org["bo"], course, today - DAY) is None  # requirement not yet created
    assert status_of(org["cy"], course, today) is None  # IT is not under Risk
    assert status_of(org["cy"], course, today, include_not_required=True) == "not_required"


def test_people_not_yet_hired_or_gone_have_no_obligation(org, course):
    from apps.people.services.people import person_deactivate

    requirement_create(course_id=course.pk, department_ids=[org["hq"].pk], first_due_days=0)
    today = timezone.localdate()
    newcomer = person_create(
        employee_number="E9",
        full_name="New",
        department_id=org["it"].pk,
        hired_on=today + 10 * DAY,
    )
    assert status_of(newcomer, course, today) is None
    assert status_of(newcomer, course, today + 10 * DAY) == "due_soon"
    person_deactivate(person_id=org["cy"].pk, left_on=today)
    assert status_of(org["cy"], course, today) == "due_soon"  # still there on the last day
    assert status_of(org["cy"], course, today + DAY) is None


def test_one_query_whatever_the_number_of_people(org, course):
    from apps.training.selectors import training_settings

    requirement_create(course_id=course.pk, department_ids=[org["hq"].pk], first_due_days=0)
    training_settings()  # the settings row exists (made on first read)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            rows = training_status(as_of=timezone.localdate())
        return len(captured.captured_queries), len(rows)

    few = queries()
    for i in range(30):
        person_create(employee_number=f"X{i}", full_name=f"X{i}", department_id=org["it"].pk)
    many = queries()
    assert few == (2, 3) and many == (2, 33)  # the settings row, then the one status query
