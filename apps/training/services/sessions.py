"""Sessions: scheduling, enrolment with a first-come waitlist, and completion from the
attendance, which writes one record per attendee (source: session).

Seats are counted under a lock of the session row, so two enrolments at once never both take
the last seat; a freed seat (a cancellation, more capacity) goes to the earliest waitlisted."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from apps.core.lifecycle import Lifecycle, transition
from apps.core.validation import refusal
from apps.people.selectors import people
from apps.training.errors import TrainingErrorCode as Code
from apps.training.models import (
    Course,
    Enrolment,
    EnrolmentStatus,
    RecordSource,
    SessionStatus,
    TrainingSession,
)
from apps.training.services.common import Problems, full_clean, get_for_update
from apps.training.services.records import record_create

S, E = SessionStatus, EnrolmentStatus
SESSION_LIFECYCLE = Lifecycle(
    model=TrainingSession,
    statuses=SessionStatus,
    table={S.SCHEDULED: {S.COMPLETED, S.CANCELLED}, S.COMPLETED: set(), S.CANCELLED: set()},
    refusal_code=Code.INVALID_TRANSITION,
    noun="session",
    internal=(S.COMPLETED,),  # through session_complete, with the attendance
    internal_message="A session is completed by recording its attendance.",
)
ENROLMENT_LIFECYCLE = Lifecycle(
    model=Enrolment,
    statuses=EnrolmentStatus,
    table={
        E.ENROLLED: {E.CANCELLED, E.ATTENDED, E.ABSENT},
        E.WAITLISTED: {E.ENROLLED, E.CANCELLED},
        E.CANCELLED: {E.ENROLLED, E.WAITLISTED},
        E.ATTENDED: set(),
        E.ABSENT: set(),
    },
    refusal_code=Code.INVALID_TRANSITION,
    noun="enrolment",
    field=None,
)
EDITABLE = ("starts_at", "ends_at", "instructor", "location", "online_url", "capacity")


def _check(session: TrainingSession, problems: Problems) -> None:
    session.instructor = (session.instructor or "").strip()
    session.location = (session.location or "").strip()
    session.online_url = (session.online_url or "").strip()
    if not session.instructor:
        problems.add("instructor", "Who teaches it?")
    if session.starts_at and session.ends_at and session.ends_at <= session.starts_at:
        problems.add("ends_at", "A session ends after it starts.")
    if not session.location and not session.online_url:
        problems.add("location", "Give a place, an online link, or both.")
    if session.capacity is not None and session.capacity < 1:
        problems.add("capacity", "At least one seat.")


def session_create(*, course_id, actor=None, **fields) -> TrainingSession:
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"session_create() got unexpected fields {sorted(unknown)}")
    problems = Problems()
    course = Course.objects.filter(pk=course_id).first() if course_id else None
    if course is None:
        problems.add("course_id", "No such course.", Code.NOT_FOUND)
    elif not course.active:
        problems.add("course_id", "The course is deactivated.", Code.INACTIVE)
    session = TrainingSession(course=course, **fields)
    _check(session, problems)
    full_clean(session, problems, exclude=["course", "status"])
    problems.raise_any()
    session.save()
    return session


@transaction.atomic
def session_update(*, session_id, actor=None, **changes) -> TrainingSession:
    """Change a scheduled session; more seats promote the waitlist."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"session_update() got unexpected fields {sorted(unknown)}")
    session = get_for_update(TrainingSession, session_id)
    problems = Problems()
    if session.status != S.SCHEDULED:
        problems.add(None, "Only a scheduled session changes.", Code.INVALID_TRANSITION)
    for field, value in changes.items():
        setattr(session, field, value)
    _check(session, problems)
    if "capacity" in changes and changes["capacity"] is not None:
        taken = session.enrolments.filter(status=E.ENROLLED).count()
        if changes["capacity"] < taken:
            problems.add("capacity", f"{taken} people hold a seat; cancel some first.")
    full_clean(session, problems, exclude=["course", "status"])
    problems.raise_any()
    session.save()
    _promote(session, actor=actor)
    return session


@transaction.atomic
def session_cancel(*, session_id, actor=None) -> TrainingSession:
    session = get_for_update(TrainingSession, session_id, field="id")
    transition(session, S.CANCELLED, actor=actor)
    for enrolment in session.enrolments.select_for_update().filter(
        status__in=[E.ENROLLED, E.WAITLISTED]
    ):
        transition(enrolment, E.CANCELLED, actor=actor)
    return session


def _seats_left(session: TrainingSession) -> int:
    return session.capacity - session.enrolments.filter(status=E.ENROLLED).count()


def _promote(session: TrainingSession, *, actor=None) -> list[Enrolment]:
    """Give free seats to the earliest waitlisted (the session row is locked by the caller)."""
    free = _seats_left(session)
    promoted = []
    if free > 0:
        waiting = session.enrolments.select_for_update().filter(status=E.WAITLISTED)
        for enrolment in waiting.order_by("queued_at", "id")[:free]:
            transition(enrolment, E.ENROLLED, actor=actor)
            promoted.append(enrolment)
    return promoted


@transaction.atomic
def enrolment_create(*, session_id, person_id, actor=None) -> Enrolment:
    """A seat if one is free, else the end of the waitlist. A cancelled enrolment is reopened."""
    problems = Problems()
    session = get_for_update(TrainingSession, session_id, field="session_id")
    person = people().filter(pk=person_id).first() if person_id else None
    if person is None:
        problems.add("person_id", "No such person.", Code.NOT_FOUND)
    elif not person.active:
        problems.add("person_id", "The person has left.", Code.INACTIVE)
    if session.status != S.SCHEDULED:
        problems.add("session_id", "The session is not open for enrolment.", Code.INACTIVE)
    existing = (
        Enrolment.objects.select_for_update().filter(session=session, person=person).first()
        if person
        else None
    )
    if existing is not None and existing.status != E.CANCELLED:
        problems.add("person_id", "Already in this session.", Code.ALREADY_ENROLLED)
    problems.raise_any()
    assert person is not None  # refused above
    status = E.ENROLLED if _seats_left(session) > 0 else E.WAITLISTED
    now = timezone.now()
    if existing is not None:
        transition(existing, status, actor=actor, changes={"queued_at": now})
        return existing
    return Enrolment.objects.create(session=session, person=person, status=status, queued_at=now)


@transaction.atomic
def enrolment_cancel(*, enrolment_id, actor=None) -> Enrolment:
    """Give up a seat (or a waitlist place); a freed seat goes to the earliest waitlisted."""
    enrolment = get_for_update(Enrolment, enrolment_id, field="id")
    session = get_for_update(TrainingSession, enrolment.session_id)
    if session.status != S.SCHEDULED:
        raise refusal("id", "The session is over or cancelled.", Code.INVALID_TRANSITION)
    transition(enrolment, E.CANCELLED, actor=actor, field="id")
    _promote(session, actor=actor)
    return enrolment


@transaction.atomic
def session_complete(
    *, session_id, attendance: list[dict], actor=None, now: datetime | None = None
) -> TrainingSession:
    """Record who attended (`{"person_id", "attended", "score"}` per enrolled person; an
    enrolled person left out is absent) and write a record per attendee, completed at the
    session's end. Waitlisted people never got a seat: their enrolment is cancelled."""
    session = get_for_update(TrainingSession, session_id, field="id")
    problems = Problems()
    if session.status != S.SCHEDULED:
        problems.add("id", "Only a scheduled session is completed.", Code.INVALID_TRANSITION)
    elif session.ends_at > (now or timezone.now()):
        problems.add("id", "The session has not ended yet.", Code.INVALID_TRANSITION)
    enrolled = {
        e.person_id: e for e in session.enrolments.select_for_update().filter(status=E.ENROLLED)
    }
    given = {}
    for n, item in enumerate(attendance):
        person_id = item.get("person_id")
        if person_id not in enrolled:
            problems.add(f"attendance.{n}.person_id", "Not enrolled in this session.")
        elif person_id in given:
            problems.add(f"attendance.{n}.person_id", "Listed twice.")
        else:
            given[person_id] = item
    problems.raise_any()
    for person_id, enrolment in enrolled.items():
        item = given.get(person_id, {"attended": False})
        if not item.get("attended", True):
            transition(enrolment, E.ABSENT, actor=actor)
            continue
        record = record_create(
            person_id=person_id,
            course_id=session.course_id,
            completed_at=session.ends_at,
            score=item.get("score"),
            passed=item.get("passed"),
            source=RecordSource.SESSION,
            actor=actor,
        )
        transition(enrolment, E.ATTENDED, actor=actor, changes={"record": record})
    for enrolment in session.enrolments.select_for_update().filter(status=E.WAITLISTED):
        transition(enrolment, E.CANCELLED, actor=actor)
    transition(session, S.COMPLETED, actor=actor, internal=True, field="id", now=now)
    return session
