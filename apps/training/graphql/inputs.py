"""Filters and orderings of the training lists."""

from datetime import datetime

import strawberry
from strawberry import relay

from apps.core.graphql.ids import pk_or_nothing
from apps.people.models import Person
from apps.training import selectors
from apps.training.graphql.types import SourceEnum, TopicEnum
from apps.training.models import Course


@strawberry.input(name="CourseFilter", description="Narrows the course list.")
class CourseFilterInput:
    topics: list[TopicEnum] | None = strawberry.field(default=None, description="Any of these.")
    active: bool | None = strawberry.field(default=None, description="Active or retired.")
    search: str | None = strawberry.field(default=None, description="Words in code or titles.")

    def to_filters(self) -> selectors.CourseFilters:
        return selectors.CourseFilters(
            topics=[str(t.value) for t in self.topics] if self.topics else None,
            active=self.active,
            search=self.search or "",
        )


@strawberry.input(name="TrainingRequirementFilter", description="Narrows the requirement list.")
class RequirementFilterInput:
    course: relay.GlobalID | None = strawberry.field(default=None, description="A Course.")
    active: bool | None = strawberry.field(default=None, description="Active or retired.")

    def to_filters(self) -> selectors.RequirementFilters:
        return selectors.RequirementFilters(
            course_id=pk_or_nothing(self.course, "Course", Course), active=self.active
        )


@strawberry.input(name="TrainingRecordFilter", description="Narrows the record list.")
class RecordFilterInput:
    person: relay.GlobalID | None = strawberry.field(default=None, description="A Person.")
    course: relay.GlobalID | None = strawberry.field(default=None, description="A Course.")
    sources: list[SourceEnum] | None = strawberry.field(default=None, description="Any of.")
    passed: bool | None = strawberry.field(default=None, description="Passed or not.")
    completed_from: datetime | None = strawberry.field(
        default=None, description="Completed at or after."
    )
    completed_before: datetime | None = strawberry.field(
        default=None, description="Completed before."
    )

    def to_filters(self) -> selectors.RecordFilters:
        return selectors.RecordFilters(
            person_id=pk_or_nothing(self.person, "Person", Person),
            course_id=pk_or_nothing(self.course, "Course", Course),
            sources=[str(s.value) for s in self.sources] if self.sources else None,
            passed=self.passed,
            completed_from=self.completed_from,
            completed_before=self.completed_before,
        )
