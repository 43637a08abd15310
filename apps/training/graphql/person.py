"""`person { training }`: one person's standing with every active course and their latest
attempts. The field is declared on the directory's Person type (apps/people/graphql/types.py),
which calls `person_training` here; this module is loaded lazily, so people never imports
training at start-up. For many people at once, use `trainingCoverage`: each `training` field
costs its own status query."""

from datetime import date
from typing import Annotated
from uuid import UUID

import strawberry
from strawberry import relay

from apps.core.graphql.errors import ApiError
from apps.training import selectors
from apps.training.graphql.types import RecordType, StatusEnum, StatusRowType
from apps.training.models import Course
from apps.training.selectors.status import training_status

MAX_RECORDS = 100


@strawberry.type(name="PersonTraining", description="A person's training on a date.")
class PersonTrainingType:
    person_pk: strawberry.Private[UUID]
    as_of: date = strawberry.field(description="The date the statuses are for.")

    @strawberry.field(description="Status for every active course (not required ones included).")
    def statuses(self) -> list[StatusRowType]:
        rows = training_status(
            as_of=self.as_of, person_ids=[self.person_pk], include_not_required=True
        )
        courses = Course.objects.in_bulk([r.course_id for r in rows])
        person_id = relay.GlobalID("Person", str(self.person_pk))
        return [
            StatusRowType(
                person_id=person_id,
                # a model row; strawberry_django resolves it as the field's type
                course=courses[r.course_id],  # type: ignore[arg-type]
                status=StatusEnum(r.status),
                due_on=r.due_on,
                last_completed_on=r.last_completed_on,
                expires_on=r.expires_on,
            )
            for r in rows
        ]

    @strawberry.field(description=f"Their latest attempts, newest first (at most {MAX_RECORDS}).")
    def records(
        self,
        first: Annotated[
            int | None, strawberry.argument(description=f"How many, 0–{MAX_RECORDS}; null: 20.")
        ] = None,
    ) -> list[RecordType]:
        first = 20 if first is None else first
        if not 0 <= first <= MAX_RECORDS:
            raise ApiError(
                f"'first' is between 0 and {MAX_RECORDS}.", "BAD_ARGUMENT", argument="first"
            )
        rows = selectors.records(selectors.RecordFilters(person_id=self.person_pk))
        # model rows, which strawberry_django resolves as RecordType
        return list(rows.select_related("course")[:first])  # type: ignore[arg-type]


def person_training(person, as_of: date | None) -> PersonTrainingType:
    """What Person.training answers (asOf checked as trainingStatus checks it)."""
    from apps.training.graphql.queries import _as_of

    return PersonTrainingType(person_pk=person.pk, as_of=_as_of(as_of))
