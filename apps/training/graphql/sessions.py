"""Sessions and enrolments in GraphQL: types, lists, and the writes (risk managers), each a
thin call of one service in apps/training/services/sessions.py."""

from datetime import datetime
from enum import Enum
from typing import Annotated, Any

import strawberry
import strawberry_django
from strawberry import relay
from strawberry.types import Info

from apps.accounts.roles import Role
from apps.core.graphql.ids import decode_pk, pk_or_nothing
from apps.core.graphql.nodes import TenantNode
from apps.core.graphql.ordering import ORDER_BY_DESCRIPTION
from apps.core.graphql.pagination import BoundedConnection
from apps.core.graphql.permissions import IsRiskManager, IsViewer
from apps.core.graphql.resolvers import run_service
from apps.people.graphql.types import PersonType
from apps.people.models import Person
from apps.training import models as m
from apps.training.graphql.errors import TrainingError, TrainingErrorCode
from apps.training.graphql.ordering import EnrolmentOrder, SessionOrder, sorted_by
from apps.training.graphql.types import CourseType, RecordType
from apps.training.selectors import sessions as session_selectors
from apps.training.services import sessions

UNSET: Any = strawberry.UNSET
Errors = list[TrainingError]
RENAMES: dict[str, str | None] = {
    "course_id": "course",
    "person_id": "person",
    "session_id": "session",
}


@strawberry.enum(name="TrainingSessionStatus", description="Where a session stands.")
class SessionStatusEnum(Enum):
    SCHEDULED = strawberry.enum_value("scheduled", description="Planned; open for enrolment.")
    COMPLETED = strawberry.enum_value("completed", description="Held; attendance recorded.")
    CANCELLED = strawberry.enum_value("cancelled", description="Called off.")


@strawberry.enum(name="EnrolmentStatus", description="Where a person stands in a session.")
class EnrolmentStatusEnum(Enum):
    ENROLLED = strawberry.enum_value("enrolled", description="Holds a seat.")
    WAITLISTED = strawberry.enum_value("waitlisted", description="Waiting for a seat, in order.")
    CANCELLED = strawberry.enum_value("cancelled", description="Gave up the seat or place.")
    ATTENDED = strawberry.enum_value("attended", description="Attended; a record was written.")
    ABSENT = strawberry.enum_value("absent", description="Held a seat and did not attend.")


@strawberry_django.type(m.Enrolment, name="Enrolment", description="A person in a session.")
class EnrolmentType(TenantNode):
    min_role = Role.VIEWER

    session: "SessionType" = strawberry_django.field(description="The session.")
    person: PersonType = strawberry_django.field(description="Who.")
    status: EnrolmentStatusEnum = strawberry_django.field(description="Seat, waitlist, …")
    queued_at: datetime = strawberry_django.field(description="Waitlist order: earliest first.")
    record: RecordType | None = strawberry_django.field(description="Written from attendance.")


@strawberry_django.type(
    m.TrainingSession, name="TrainingSession", description="A scheduled run of a course."
)
class SessionType(TenantNode):
    min_role = Role.VIEWER

    course: CourseType = strawberry_django.field(description="The course taught.")
    starts_at: datetime = strawberry_django.field(description="When it starts.")
    ends_at: datetime = strawberry_django.field(description="When it ends.")
    instructor: str = strawberry_django.field(description="Who teaches it.")
    location: str = strawberry_django.field(description="The place; may be empty if online.")
    online_url: str = strawberry_django.field(description="The online link; may be empty.")
    capacity: int = strawberry_django.field(description="Seats.")
    status: SessionStatusEnum = strawberry_django.field(description="Where it stands.")


@strawberry.type
class SessionQuery:
    @strawberry_django.connection(
        BoundedConnection[SessionType],
        permission_classes=[IsViewer],
        description="Training sessions, soonest first.",
    )
    def training_sessions(
        self,
        course: Annotated[
            relay.GlobalID | None, strawberry.argument(description="Only this Course's.")
        ] = None,
        status: Annotated[
            SessionStatusEnum | None, strawberry.argument(description="Only in this status.")
        ] = None,
        order_by: Annotated[
            list[SessionOrder] | None,
            strawberry.argument(description=ORDER_BY_DESCRIPTION.format(default="soonest first")),
        ] = None,
    ) -> list[SessionType]:
        course_id = decode_pk(course, "Course", m.Course) if course is not None else None
        if course is not None and course_id is None:
            # an empty queryset of the model rows; strawberry_django resolves them as the type
            return m.TrainingSession.objects.none()  # type: ignore[return-value]
        rows = session_selectors.sessions(
            course_id=course_id, status=str(status.value) if status else None
        )
        # model rows; strawberry_django resolves them as the declared type
        return sorted_by(rows, order_by)  # type: ignore[return-value]

    @strawberry_django.connection(
        BoundedConnection[EnrolmentType],
        permission_classes=[IsViewer],
        description="Enrolments of a session or of a person.",
    )
    def training_enrolments(
        self,
        session: Annotated[
            relay.GlobalID | None, strawberry.argument(description="Only this TrainingSession's.")
        ] = None,
        person: Annotated[
            relay.GlobalID | None, strawberry.argument(description="Only this Person's.")
        ] = None,
        order_by: Annotated[
            list[EnrolmentOrder] | None,
            strawberry.argument(description=ORDER_BY_DESCRIPTION.format(default="waitlist order")),
        ] = None,
    ) -> list[EnrolmentType]:
        session_id = _session_pk(session) if session is not None else None
        person_id = decode_pk(person, "Person", Person) if person is not None else None
        if (session is not None and session_id is None) or (
            person is not None and person_id is None
        ):
            # an empty queryset of the model rows; strawberry_django resolves them as the type
            return m.Enrolment.objects.none()  # type: ignore[return-value]
        rows = session_selectors.enrolments(session_id=session_id, person_id=person_id)
        # model rows; strawberry_django resolves them as the declared type
        return sorted_by(rows, order_by)  # type: ignore[return-value]


@strawberry.input(description="A new session of a course.")
class SessionCreateInput:
    course: relay.GlobalID = strawberry.field(description="The Course.")
    starts_at: datetime = strawberry.field(description="When it starts.")
    ends_at: datetime = strawberry.field(description="When it ends (after the start).")
    instructor: str = strawberry.field(description="Who teaches it.")
    location: str = strawberry.field(default="", description="The place (or give onlineUrl).")
    online_url: str = strawberry.field(default="", description="The online link.")
    capacity: int = strawberry.field(description="Seats (at least 1).")


@strawberry.input(description="Changes to a scheduled session; only the fields sent change.")
class SessionUpdateInput:
    id: relay.GlobalID = strawberry.field(description="The TrainingSession.")
    starts_at: datetime | None = strawberry.field(default=UNSET, description="Start.")
    ends_at: datetime | None = strawberry.field(default=UNSET, description="End.")
    instructor: str | None = strawberry.field(default=UNSET, description="Instructor.")
    location: str | None = strawberry.field(default=UNSET, description="Place.")
    online_url: str | None = strawberry.field(default=UNSET, description="Online link.")
    capacity: int | None = strawberry.field(
        default=UNSET, description="Seats; more seats promote the waitlist."
    )


@strawberry.input(description="Cancel a session (its enrolments are cancelled).")
class SessionCancelInput:
    id: relay.GlobalID = strawberry.field(description="The TrainingSession.")


@strawberry.input(description="One enrolled person's attendance.")
class AttendanceInput:
    person: relay.GlobalID = strawberry.field(description="The Person (enrolled).")
    attended: bool = strawberry.field(default=True, description="Whether they attended.")
    score: int | None = strawberry.field(default=None, description="0–100, if scored.")


@strawberry.input(description="Record a held session's attendance: one record per attendee.")
class SessionCompleteInput:
    id: relay.GlobalID = strawberry.field(description="The TrainingSession (ended).")
    attendance: list[AttendanceInput] = strawberry.field(
        description="Enrolled people; anyone enrolled and not listed is absent."
    )


@strawberry.type(description="The session written, or why not.")
class SessionPayload:
    errors: Errors = strawberry.field(description="Empty when it worked.")
    session: SessionType | None = strawberry.field(default=None, description="As saved.")


@strawberry.input(description="Enrol a person: a seat if free, else the waitlist.")
class EnrolmentCreateInput:
    session: relay.GlobalID = strawberry.field(description="The TrainingSession.")
    person: relay.GlobalID = strawberry.field(description="The Person.")


@strawberry.input(description="Give up a seat or waitlist place.")
class EnrolmentCancelInput:
    id: relay.GlobalID = strawberry.field(description="The Enrolment.")


@strawberry.type(description="The enrolment written, or why not.")
class EnrolmentPayload:
    errors: Errors = strawberry.field(description="Empty when it worked.")
    enrolment: EnrolmentType | None = strawberry.field(default=None, description="As saved.")


def _run(payload: type, input, call) -> Any:
    return run_service(payload, TrainingError, TrainingErrorCode, call, input=input, fields=RENAMES)


def _session_pk(gid):
    return pk_or_nothing(gid, "TrainingSession", m.TrainingSession)


@strawberry.type
class SessionMutations:
    @strawberry.mutation(permission_classes=[IsRiskManager], description="Schedule a session.")
    def session_create(
        self,
        info: Info,
        input: Annotated[SessionCreateInput, strawberry.argument(description="What.")],
    ) -> SessionPayload:
        fields = {n: getattr(input, n) for n in sessions.EDITABLE}
        course_id = pk_or_nothing(input.course, "Course", m.Course)
        user = info.context.request.user
        return _run(
            SessionPayload,
            input,
            lambda: {"session": sessions.session_create(course_id=course_id, actor=user, **fields)},
        )

    @strawberry.mutation(permission_classes=[IsRiskManager], description="Change a session.")
    def session_update(
        self,
        info: Info,
        input: Annotated[SessionUpdateInput, strawberry.argument(description="What.")],
    ) -> SessionPayload:
        fields = {n: getattr(input, n) for n in sessions.EDITABLE if getattr(input, n) is not UNSET}
        for name in ("location", "online_url"):
            if fields.get(name, "") is None:
                fields[name] = ""
        user = info.context.request.user
        return _run(
            SessionPayload,
            input,
            lambda: {
                "session": sessions.session_update(
                    session_id=_session_pk(input.id), actor=user, **fields
                )
            },
        )

    @strawberry.mutation(permission_classes=[IsRiskManager], description="Cancel a session.")
    def session_cancel(
        self,
        info: Info,
        input: Annotated[SessionCancelInput, strawberry.argument(description="Which.")],
    ) -> SessionPayload:
        user = info.context.request.user
        return _run(
            SessionPayload,
            input,
            lambda: {
                "session": sessions.session_cancel(session_id=_session_pk(input.id), actor=user)
            },
        )

    @strawberry.mutation(
        permission_classes=[IsRiskManager],
        description="Record a session's attendance: a record per attendee, source SESSION.",
    )
    def session_complete(
        self,
        info: Info,
        input: Annotated[SessionCompleteInput, strawberry.argument(description="Attendance.")],
    ) -> SessionPayload:
        attendance = [
            {
                "person_id": pk_or_nothing(a.person, "Person", Person),
                "attended": a.attended,
                "score": a.score,
            }
            for a in input.attendance
        ]
        user = info.context.request.user
        return _run(
            SessionPayload,
            input,
            lambda: {
                "session": sessions.session_complete(
                    session_id=_session_pk(input.id), attendance=attendance, actor=user
                )
            },
        )

    @strawberry.mutation(
        permission_classes=[IsRiskManager], description="Enrol a person (or waitlist them)."
    )
    def enrolment_create(
        self,
        info: Info,
        input: Annotated[EnrolmentCreateInput, strawberry.argument(description="Who, where.")],
    ) -> EnrolmentPayload:
        user = info.context.request.user
        return _run(
            EnrolmentPayload,
            input,
            lambda: {
                "enrolment": sessions.enrolment_create(
                    session_id=_session_pk(input.session),
                    person_id=pk_or_nothing(input.person, "Person", Person),
                    actor=user,
                )
            },
        )

    @strawberry.mutation(
        permission_classes=[IsRiskManager],
        description="Cancel an enrolment; a freed seat goes to the earliest waitlisted.",
    )
    def enrolment_cancel(
        self,
        info: Info,
        input: Annotated[EnrolmentCancelInput, strawberry.argument(description="Which.")],
    ) -> EnrolmentPayload:
        user = info.context.request.user
        return _run(
            EnrolmentPayload,
            input,
            lambda: {
                "enrolment": sessions.enrolment_cancel(
                    enrolment_id=pk_or_nothing(input.id, "Enrolment", m.Enrolment), actor=user
                )
            },
        )
