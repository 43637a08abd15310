"""Sessions: seats and a first-come waitlist, promotion when a seat frees up, and completion
from the attendance writing one record per attendee (source: session)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from strawberry.relay import to_base64

from apps.training.models import Enrolment, TrainingRecord
from apps.training.services import sessions
from apps.training.services.sessions import ENROLMENT_LIFECYCLE, SESSION_LIFECYCLE

HOUR = timedelta(hours=1)


def _session(course, *, capacity=2, past=False, **extra):
    start = timezone.now() + (-3 * HOUR if past else 24 * HOUR)
    return sessions.session_create(
        course_id=course.pk,
        starts_at=start,
        ends_at=start + 2 * HOUR,
        instructor="Ms Li",
        location="Room 3",
        capacity=capacity,
        **extra,
    )


def _statuses(session) -> dict[str, str]:
    rows = Enrolment.objects.filter(session=session).values_list(
        "person__employee_number", "status"
    )
    return dict(rows)


@pytest.fixture
def four(org, in_a):
    from apps.people.services.people import person_create

    dee = person_create(employee_number="E4", full_name="Person E4")
    return [org["ana"], org["bo"], org["cy"], dee]


def test_the_status_tables_are_as_written():
    assert SESSION_LIFECYCLE.table == {
        "scheduled": {"completed", "cancelled"},
        "completed": set(),
        "cancelled": set(),
    }
    assert ENROLMENT_LIFECYCLE.table == {
        "enrolled": {"cancelled", "attended", "absent"},
        "waitlisted": {"enrolled", "cancelled"},
        "cancelled": {"enrolled", "waitlisted"},
        "attended": set(),
        "absent": set(),
    }


def test_seats_then_the_waitlist_in_order_and_promotion(four, course):
    session = _session(course)
    ana, bo, cy, dee = (
        sessions.enrolment_create(session_id=session.pk, person_id=p.pk) for p in four
    )
    assert _statuses(session) == {
        "E1": "enrolled",
        "E2": "enrolled",
        "E3": "waitlisted",
        "E4": "waitlisted",
    }
    sessions.enrolment_cancel(enrolment_id=ana.pk)
    assert _statuses(session) == {
        "E1": "cancelled",
        "E2": "enrolled",
        "E3": "enrolled",
        "E4": "waitlisted",
    }
    sessions.enrolment_create(session_id=session.pk, person_id=four[0].pk)  # back, at the end
    with pytest.raises(ValidationError) as refused:
        sessions.enrolment_create(session_id=session.pk, person_id=four[1].pk)
    assert refused.value.error_dict["person_id"][0].code == "already_enrolled"
    sessions.session_update(session_id=session.pk, capacity=3)  # one more seat: Dee was first
    assert _statuses(session) == {
        "E1": "waitlisted",
        "E2": "enrolled",
        "E3": "enrolled",
        "E4": "enrolled",
    }
    with pytest.raises(ValidationError) as refused:
        sessions.session_update(session_id=session.pk, capacity=2)
    assert list(refused.value.error_dict) == ["capacity"]


def test_completion_writes_a_record_per_attendee_once(four, course):
    session = _session(course, past=True)
    for person in four[:3]:
        sessions.enrolment_create(session_id=session.pk, person_id=person.pk)
    ana, bo, cy = four[:3]
    sessions.session_complete(
        session_id=session.pk,
        attendance=[
            {"person_id": ana.pk, "attended": True, "score": 80},
            {"person_id": bo.pk, "attended": False},
        ],
    )
    assert _statuses(session) == {"E1": "attended", "E2": "absent", "E3": "cancelled"}
    (record,) = TrainingRecord.objects.all()
    assert (record.person_id, record.score, record.passed, record.source) == (
        ana.pk,
        80,
        True,
        "session",
    )
    assert record.completed_at == session.ends_at
    assert Enrolment.objects.get(session=session, person=ana).record_id == record.pk
    with pytest.raises(ValidationError) as refused:
        sessions.session_complete(session_id=session.pk, attendance=[])
    assert refused.value.error_dict["id"][0].code == "invalid_transition"
    assert TrainingRecord.objects.count() == 1


def test_a_session_not_over_or_with_strangers_is_not_completed(four, course):
    session = _session(course)
    with pytest.raises(ValidationError) as refused:
        sessions.session_complete(session_id=session.pk, attendance=[])
    assert refused.value.error_dict["id"][0].code == "invalid_transition"
    held = _session(course, past=True)
    with pytest.raises(ValidationError) as refused:
        sessions.session_complete(
            session_id=held.pk, attendance=[{"person_id": four[0].pk, "attended": True}]
        )
    assert list(refused.value.error_dict) == ["attendance.0.person_id"]


def test_cancelling_a_session_cancels_its_enrolments(four, course):
    session = _session(course, capacity=1)
    for person in four[:2]:
        sessions.enrolment_create(session_id=session.pk, person_id=person.pk)
    sessions.session_cancel(session_id=session.pk)
    assert _statuses(session) == {"E1": "cancelled", "E2": "cancelled"}
    with pytest.raises(ValidationError):
        sessions.enrolment_create(session_id=session.pk, person_id=four[2].pk)


def test_the_api_refuses_a_session_without_a_place_and_waitlists(api, four, course):
    full = _session(course, capacity=1)
    sessions.enrolment_create(session_id=full.pk, person_id=four[0].pk)
    connection.set_schema_to_public()
    manager = api("a", "risk_manager")
    create = """mutation($c: ID!) { sessionCreate(input: {course: $c, instructor: "X",
      startsAt: "2030-01-01T09:00:00Z", endsAt: "2030-01-01T10:00:00Z", capacity: 3}) {
      errors { field code } session { id } } }"""
    body = manager.ok(create, {"c": to_base64("Course", course.pk)})["sessionCreate"]
    assert body == {"errors": [{"field": "location", "code": "INVALID"}], "session": None}
    enrol = """mutation($s: ID!, $p: ID!) { enrolmentCreate(input: {session: $s, person: $p}) {
      errors { field code } enrolment { status person { employeeNumber } } } }"""
    answer = manager.ok(
        enrol, {"s": to_base64("TrainingSession", full.pk), "p": to_base64("Person", four[1].pk)}
    )["enrolmentCreate"]
    assert answer == {
        "errors": [],
        "enrolment": {"status": "WAITLISTED", "person": {"employeeNumber": "E2"}},
    }
