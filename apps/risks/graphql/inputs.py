"""Inputs shared by the register's queries and mutations."""

from enum import Enum

import strawberry
from strawberry import relay

from apps.accounts.models import User
from apps.core.graphql.ids import pk_or_nothing
from apps.risks import selectors
from apps.risks.graphql.types import RiskLevelEnum, RiskStatusEnum
from apps.risks.models import RiskCategory


@strawberry.enum(name="RiskOrder")
class RiskOrder(Enum):
    CREATED = "created"
    TITLE = "title"
    INHERENT_SCORE = "inherent_score"
    RESIDUAL_SCORE = "residual_score"
    NEXT_REVIEW = "next_review"


@strawberry.input(name="RiskFilter")
class RiskFilterInput:
    category: relay.GlobalID | None = strawberry.field(
        default=None, description="Includes sub-categories."
    )
    levels: list[RiskLevelEnum] | None = strawberry.field(
        default=None, description="Current level."
    )
    statuses: list[RiskStatusEnum] | None = None
    owner: relay.GlobalID | None = strawberry.field(default=None, description="A User id.")
    above_appetite: bool | None = None
    review_overdue: bool | None = None
    search: str | None = strawberry.field(
        default=None, description="Words in title, description, causes, consequences."
    )
    tags: list[str] | None = strawberry.field(
        default=None, description="Risks carrying all these tags."
    )

    def to_filters(self) -> selectors.RiskFilters:
        return selectors.RiskFilters(
            category_id=pk_or_nothing(self.category, "RiskCategory", RiskCategory),
            levels=[level.value for level in self.levels or []],
            statuses=[status.value for status in self.statuses or []],
            owner_id=pk_or_nothing(self.owner, "User", User),
            above_appetite=self.above_appetite,
            review_overdue=self.review_overdue,
            search=self.search or "",
            tags=self.tags or [],
        )
