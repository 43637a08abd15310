"""`trainingOverdue`: the page a training officer works from — who is late with what, oldest
first. One status statement for the page and its total, then the page's people (with their
department) and courses in one query each, whatever the page size.

It is a report page (`totalCount`, `rows`, `first`/`offset`), not a Relay connection: its rows
are (person, course) pairs computed on the date, not stored objects with ids to page after."""

from datetime import date
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay

from apps.core.graphql.errors import ApiError
from apps.core.graphql.ids import decode_pk
from apps.core.graphql.ordering import (
    ORDER_BY_DESCRIPTION,
    OrderDirection,
    OrderKey,
    order_input,
)
from apps.core.graphql.permissions import IsViewer
from apps.people.graphql.types import PersonType
from apps.people.models import Department  # the id's type only
from apps.people.selectors import departments
from apps.people.selectors import people as directory
from apps.training.graphql.types import CourseType, StatusEnum
from apps.training.models import Course
from apps.training.selectors.overdue import obligations_page

MAX_PAGE = 100


@strawberry.enum(name="TrainingObligationOrderField", description="What the overdue list sorts by.")
class ObligationOrderField(Enum):
    DUE = strawberry.enum_value("due", description="The due date (then the person's name).")
    PERSON = strawberry.enum_value("person", description="The person's name.")
    COURSE = strawberry.enum_value("course", description="The course code.")


if TYPE_CHECKING:
    ObligationOrder = OrderKey
else:
    ObligationOrder = order_input(
        "TrainingObligationOrder",
        ObligationOrderField,
        description="One sort key of the overdue list.",
    )


@strawberry.type(name="TrainingObligation", description="One person's obligation to one course.")
class ObligationType:
    person: PersonType = strawberry.field(description="Who.")
    course: CourseType = strawberry.field(description="Which course.")
    status: StatusEnum = strawberry.field(description="The status on the date asked.")
    due_on: date | None = strawberry.field(
        description="First due date, or the next due date after the last completion."
    )
    days_past_due: int | None = strawberry.field(
        description="Days from the due date to the date asked (0 on the day; null: not yet due)."
    )
    last_completed_on: date | None = strawberry.field(description="Last completion that counts.")
    expires_on: date | None = strawberry.field(description="When that completion expires.")


@strawberry.type(name="TrainingObligationPage", description="A page of the overdue list.")
class ObligationPageType:
    total_count: int = strawberry.field(description="How many the whole list holds.")
    rows: list[ObligationType] = strawberry.field(description="This page's obligations.")


def _pk(value: relay.GlobalID | None, type_name: str, model, argument: str, exists):
    if value is None:
        return None
    pk = decode_pk(value, type_name, model)
    if pk is None or not exists(pk):
        raise ApiError(f"No such {type_name.lower()}.", "NOT_FOUND", argument=argument)
    return pk


@strawberry.type
class OverdueQuery:
    @strawberry.field(
        permission_classes=[IsViewer],
        description="Obligations overdue (or in the statuses asked) on a date, oldest due "
        f"first: at most {MAX_PAGE} a page, with the whole list's size.",
    )
    def training_overdue(
        self,
        as_of: Annotated[
            date | None, strawberry.argument(description="The date; default today.")
        ] = None,
        statuses: Annotated[
            list[StatusEnum] | None,
            strawberry.argument(description="Which statuses; default [OVERDUE]."),
        ] = None,
        department: Annotated[
            relay.GlobalID | None,
            strawberry.argument(description="Only people of this Department or below."),
        ] = None,
        course: Annotated[
            relay.GlobalID | None, strawberry.argument(description="Only this Course.")
        ] = None,
        first: Annotated[
            int | None,
            strawberry.argument(description=f"Page size, 0–{MAX_PAGE}; null: {MAX_PAGE}."),
        ] = None,
        offset: Annotated[
            int | None, strawberry.argument(description="Rows to skip; null: none.")
        ] = None,
        order_by: Annotated[
            list[ObligationOrder] | None,
            strawberry.argument(
                description=ORDER_BY_DESCRIPTION.format(default="oldest due date first")
            ),
        ] = None,
    ) -> ObligationPageType:
        from apps.training.graphql.queries import _as_of

        first = MAX_PAGE if first is None else first
        offset = offset or 0

        if not 0 <= first <= MAX_PAGE:
            raise ApiError(
                f"'first' is between 0 and {MAX_PAGE}.", "BAD_ARGUMENT", argument="first"
            )
        if offset < 0 or offset > 2**31 - 1:
            raise ApiError("'offset' is zero or more.", "BAD_ARGUMENT", argument="offset")
        day = _as_of(as_of)
        chosen = [str(s.value) for s in statuses] if statuses else ["overdue"]
        page = obligations_page(
            as_of=day,
            statuses=chosen,
            limit=first,
            offset=offset,
            department_id=_pk(
                department,
                "Department",
                Department,
                "department",
                lambda pk: departments().filter(pk=pk).exists(),
            ),
            course_id=_pk(
                course, "Course", Course, "course", lambda pk: Course.objects.filter(pk=pk).exists()
            ),
            order=[
                (key.field.value, key.direction == OrderDirection.DESC) for key in order_by or []
            ],
        )
        people = directory().select_related("department").in_bulk([r.person_id for r in page.rows])
        courses = Course.objects.in_bulk([r.course_id for r in page.rows])
        return ObligationPageType(
            total_count=page.total,
            rows=[
                ObligationType(
                    # model rows; strawberry_django resolves them as PersonType, CourseType
                    person=people[r.person_id],  # type: ignore[arg-type]
                    course=courses[r.course_id],  # type: ignore[arg-type]
                    status=StatusEnum(r.status),
                    due_on=r.due_on,
                    days_past_due=(day - r.due_on).days if r.due_on and day >= r.due_on else None,
                    last_completed_on=r.last_completed_on,
                    expires_on=r.expires_on,
                )
                for r in page.rows
            ],
        )
