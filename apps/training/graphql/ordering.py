"""Sort keys of the training lists: `orderBy: [XOrder!]` (`{field, direction}`; null or empty:
the list's default order, which the argument's description names), as on every list
(docs/graphql.md). The selectors give each list its default order; a sort key replaces it."""

from collections.abc import Sequence
from enum import Enum
from typing import TYPE_CHECKING

import strawberry
from django.db.models import QuerySet

from apps.core.graphql.ordering import OrderKey, apply_order, order_input


@strawberry.enum(name="CourseOrderField", description="What the course list sorts by.")
class CourseOrderField(Enum):
    CODE = strawberry.enum_value("code", description="The course code.")
    TITLE = strawberry.enum_value("title", description="The title (Chinese, then English).")
    CREATED = strawberry.enum_value("created_at", description="When it was added.")


@strawberry.enum(name="TrainingRecordOrderField", description="What the record list sorts by.")
class RecordOrderField(Enum):
    COMPLETED = strawberry.enum_value("completed_at", description="When it was completed.")
    CREATED = strawberry.enum_value("created_at", description="When it was recorded.")


@strawberry.enum(
    name="TrainingRequirementOrderField", description="What the requirement list sorts by."
)
class RequirementOrderField(Enum):
    COURSE = strawberry.enum_value("course", description="The course code.")
    CREATED = strawberry.enum_value("created_at", description="When it was set.")


@strawberry.enum(name="TrainingSessionOrderField", description="What the session list sorts by.")
class SessionOrderField(Enum):
    STARTS = strawberry.enum_value("starts_at", description="When it starts.")


@strawberry.enum(name="EnrolmentOrderField", description="What the enrolment list sorts by.")
class EnrolmentOrderField(Enum):
    QUEUED = strawberry.enum_value("queued_at", description="When they enrolled (waitlist order).")
    SESSION = strawberry.enum_value("session", description="The session's start.")


@strawberry.enum(name="EducationCampaignOrderField", description="What the campaign list sorts by.")
class CampaignOrderField(Enum):
    STARTS = strawberry.enum_value("starts_on", description="The first day.")
    CODE = strawberry.enum_value("code", description="The campaign code.")


# Keys that are more than one column, or another table's (each in the key's direction).
COLUMNS = {
    "title": ("title_zh", "title_en", "code"),
    "course": ("course__code",),
    "session": ("session__starts_at",),
}

if TYPE_CHECKING:  # built at run time by order_input
    CourseOrder = OrderKey
    RecordOrder = OrderKey
    RequirementOrder = OrderKey
    SessionOrder = OrderKey
    EnrolmentOrder = OrderKey
    CampaignOrder = OrderKey
else:
    CourseOrder = order_input("CourseOrder", CourseOrderField, description="A course sort key.")
    RecordOrder = order_input(
        "TrainingRecordOrder", RecordOrderField, description="A training-record sort key."
    )
    RequirementOrder = order_input(
        "TrainingRequirementOrder", RequirementOrderField, description="A requirement sort key."
    )
    SessionOrder = order_input(
        "TrainingSessionOrder", SessionOrderField, description="A session sort key."
    )
    EnrolmentOrder = order_input(
        "EnrolmentOrder", EnrolmentOrderField, description="An enrolment sort key."
    )
    CampaignOrder = order_input(
        "EducationCampaignOrder", CampaignOrderField, description="A campaign sort key."
    )


def sorted_by(rows: QuerySet, order_by: Sequence[OrderKey] | None) -> QuerySet:
    """`rows` in the selector's default order, or sorted by `order_by` (then the key)."""
    return apply_order(rows, order_by, default=(), columns=COLUMNS) if order_by else rows
