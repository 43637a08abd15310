"""`person { training }`: one person's standing with every active course and their latest
attempts. The field is declared on the directory's Person type (apps/people/graphql/types.py),
which calls `person_training` here with the page of people the person was listed in; this module
is loaded lazily, so people never imports training at start-up.

A page is answered in one go: the first person's `statuses` runs the status query for the whole
page (one statement, plus one for the page's courses) and keeps the answer for the request, so
the others read it; `records(first:)` likewise fetches the latest attempts of the whole page in
one statement (a row number per person). Outside a page (`person(id:)`) the page is that person."""

from collections import defaultdict
from datetime import date
from typing import Annotated, Any
from uuid import UUID

import strawberry
from strawberry import relay

from apps.core.graphql.errors import ApiError
from apps.people.graphql.pages import request_memo
from apps.training import selectors
from apps.training.graphql.types import RecordType, StatusEnum, StatusRowType
from apps.training.models import Course
from apps.training.selectors.status import training_status

MAX_RECORDS = 100


def _page_statuses(info: Any, page: tuple, as_of: date) -> dict[Any, list[StatusRowType]]:
    memo = request_memo(info)
    key = ("training.statuses", as_of, page)
    if key not in memo:
        rows = training_status(as_of=as_of, person_ids=page, include_not_required=True)
        courses = Course.objects.in_bulk({r.course_id for r in rows})
        by_person: dict[Any, list[StatusRowType]] = defaultdict(list)
        for r in rows:
            by_person[r.person_id].append(
                StatusRowType(
                    person_id=relay.GlobalID("Person", str(r.person_id)),
                    # a model row; strawberry_django resolves it as the field's type
                    course=courses[r.course_id],  # type: ignore[arg-type]
                    status=StatusEnum(r.status),
                    due_on=r.due_on,
                    last_completed_on=r.last_completed_on,
                    expires_on=r.expires_on,
                )
            )
        memo[key] = by_person
    return memo[key]


def _page_records(info: Any, page: tuple, first: int) -> dict[Any, list]:
    memo = request_memo(info)
    key = ("training.records", first, page)
    if key not in memo:
        by_person: dict[Any, list] = defaultdict(list)
        for record in selectors.latest_records(person_ids=page, first=first):
            by_person[record.person_id].append(record)
        memo[key] = by_person
    return memo[key]


@strawberry.type(name="PersonTraining", description="A person's training on a date.")
class PersonTrainingType:
    person_pk: strawberry.Private[UUID]
    page: strawberry.Private[tuple]
    as_of: date = strawberry.field(description="The date the statuses are for.")

    @strawberry.field(description="Status for every active course (not required ones included).")
    def statuses(self, info: strawberry.Info) -> list[StatusRowType]:
        return _page_statuses(info, self.page, self.as_of).get(self.person_pk, [])

    @strawberry.field(description=f"Their latest attempts, newest first (at most {MAX_RECORDS}).")
    def records(
        self,
        info: strawberry.Info,
        first: Annotated[
            int | None, strawberry.argument(description=f"How many, 0–{MAX_RECORDS}; null: 20.")
        ] = None,
    ) -> list[RecordType]:
        first = 20 if first is None else first
        if not 0 <= first <= MAX_RECORDS:
            raise ApiError(
                f"'first' is between 0 and {MAX_RECORDS}.", "BAD_ARGUMENT", argument="first"
            )
        if first == 0:
            return []
        # model rows, which strawberry_django resolves as RecordType
        return _page_records(info, self.page, first).get(self.person_pk, [])


def person_training(person, as_of: date | None, page: tuple = ()) -> PersonTrainingType:
    """What Person.training answers (asOf checked as trainingStatus checks it); `page`: the
    people listed with this person (the page is answered together), default just them."""
    from apps.training.graphql.queries import _as_of

    return PersonTrainingType(person_pk=person.pk, page=page or (person.pk,), as_of=_as_of(as_of))
