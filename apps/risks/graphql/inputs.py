"""Filters of the register's queries."""

from datetime import date

import strawberry
from strawberry import relay

from apps.accounts.models import User
from apps.core.graphql.ids import pk_or_nothing
from apps.people.models import Person
from apps.risks import selectors
from apps.risks.graphql.enums import (
    AcceptanceStatusEnum,
    ActionStatusEnum,
    RiskLevelEnum,
    RiskStatusEnum,
)
from apps.risks.models import Risk, RiskCategory
from apps.risks.selectors import work


@strawberry.input(name="RiskFilter", description="Risks matching all the given conditions.")
class RiskFilterInput:
    category: relay.GlobalID | None = strawberry.field(
        default=None, description="A RiskCategory id; includes sub-categories."
    )
    category_code: str | None = strawberry.field(
        default=None, description="A category code, e.g. credit; includes sub-categories."
    )
    levels: list[RiskLevelEnum] | None = strawberry.field(
        default=None, description="Current level is one of these."
    )
    statuses: list[RiskStatusEnum] | None = strawberry.field(
        default=None, description="Status is one of these."
    )
    owner: relay.GlobalID | None = strawberry.field(
        default=None, description="Owned by this Person of the directory."
    )
    mine: bool | None = strawberry.field(
        default=None,
        description="true: owned by the person linked to you (none if no person is linked to "
        "your account).",
    )
    above_appetite: bool | None = strawberry.field(
        default=None, description="Above (true) or within (false) appetite."
    )
    review_overdue: bool | None = strawberry.field(
        default=None, description="Review date past (true) or not (false)."
    )
    search: str | None = strawberry.field(
        default=None, description="Words in title, description, causes, consequences."
    )
    tags: list[str] | None = strawberry.field(
        default=None, description="Risks carrying all these tags."
    )
    inherent_likelihood: int | None = strawberry.field(
        default=None, description="Latest inherent likelihood (a heatmap cell's row)."
    )
    inherent_impact: int | None = strawberry.field(
        default=None, description="Latest inherent impact (a heatmap cell's column)."
    )
    residual_likelihood: int | None = strawberry.field(
        default=None, description="Latest residual likelihood."
    )
    residual_impact: int | None = strawberry.field(
        default=None, description="Latest residual impact."
    )
    archived: bool | None = strawberry.field(
        default=False,
        description="Archived risks (true), the register (false, default), or both (null).",
    )

    def to_filters(self, viewer_id=None) -> selectors.RiskFilters:
        ratings = {
            axis: getattr(self, axis)
            for axis in selectors.RATING_AXES
            if getattr(self, axis) is not None
        }
        return selectors.RiskFilters(
            category_id=pk_or_nothing(self.category, "RiskCategory", RiskCategory),
            category_code=self.category_code,
            levels=[level.value for level in self.levels or []],
            statuses=[status.value for status in self.statuses or []],
            owner_id=pk_or_nothing(self.owner, "Person", Person),
            above_appetite=self.above_appetite,
            review_overdue=self.review_overdue,
            search=self.search or "",
            tags=self.tags or [],
            ratings=ratings,
            archived=self.archived,
            mine_of=viewer_id if self.mine is not None else None,
            mine=bool(self.mine),
        )


@strawberry.input(name="TreatmentActionFilter", description="Actions matching all conditions.")
class ActionFilterInput:
    owner: relay.GlobalID | None = strawberry.field(
        default=None, description="Owned by this Person of the directory."
    )
    mine: bool | None = strawberry.field(
        default=None,
        description="true: owned by the person linked to you (none if no person is linked to "
        "your account).",
    )
    risk: relay.GlobalID | None = strawberry.field(default=None, description="A Risk id.")
    statuses: list[ActionStatusEnum] | None = strawberry.field(
        default=None, description="Status is one of these."
    )
    due_from: date | None = strawberry.field(default=None, description="Due on or after.")
    due_to: date | None = strawberry.field(default=None, description="Due on or before.")
    overdue: bool | None = strawberry.field(
        default=None, description="Open and due before today (true), or not (false)."
    )

    def to_filters(self, viewer_id=None) -> work.ActionFilters:
        return work.ActionFilters(
            owner_id=pk_or_nothing(self.owner, "Person", Person),
            risk_id=pk_or_nothing(self.risk, "Risk", Risk),
            statuses=[s.value for s in self.statuses or []],
            due_from=self.due_from,
            due_to=self.due_to,
            overdue=self.overdue,
            mine_of=viewer_id if self.mine is not None else None,
            mine=bool(self.mine),
        )


@strawberry.input(name="RiskAcceptanceFilter", description="Acceptances matching all conditions.")
class AcceptanceFilterInput:
    statuses: list[AcceptanceStatusEnum] | None = strawberry.field(
        default=None, description="Status is one of these."
    )
    risk: relay.GlobalID | None = strawberry.field(default=None, description="A Risk id.")
    requested_by: relay.GlobalID | None = strawberry.field(
        default=None, description="Asked for by this User."
    )
    decider: relay.GlobalID | None = strawberry.field(
        default=None,
        description="Those this User may decide now: requested, asked for by someone else, and "
        "the user a risk manager or admin of this tenant (else none).",
    )

    def to_filters(self, decider_role) -> work.AcceptanceFilters:
        return work.AcceptanceFilters(
            statuses=[s.value for s in self.statuses or []],
            risk_id=pk_or_nothing(self.risk, "Risk", Risk),
            requested_by_id=pk_or_nothing(self.requested_by, "User", User),
            decider_id=pk_or_nothing(self.decider, "User", User),
            decider_role=decider_role,
        )


@strawberry.input(name="RiskCategoryFilter", description="Categories matching all conditions.")
class CategoryFilterInput:
    codes: list[str] | None = strawberry.field(default=None, description="Code is one of these.")
