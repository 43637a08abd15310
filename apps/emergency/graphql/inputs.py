"""Filters of the emergency lists (their sort keys are in orders.py)."""

from datetime import datetime

import strawberry
from strawberry import relay

from apps.core.graphql.ids import pk_or_nothing
from apps.emergency import models as m
from apps.emergency.graphql import enums as e
from apps.emergency.selectors import lists


@strawberry.input(name="EmergencyPlanFilter", description="Narrows the plan list.")
class PlanFilterInput:
    scenario: relay.GlobalID | None = strawberry.field(default=None, description="A scenario.")
    status: e.VersionStatusEnum | None = strawberry.field(
        default=None, description="Plans having a version in this status (APPROVED: in force)."
    )
    category: relay.GlobalID | None = strawberry.field(
        default=None, description="Plans covering this RiskCategory."
    )
    review_overdue: bool | None = strawberry.field(
        default=None, description="Review date passed (true) or not (false)."
    )
    drill_missing: bool | None = strawberry.field(
        default=None, description="No drill held within the drill cadence (true) or one was."
    )
    search: str | None = strawberry.field(default=None, description="Words in code or name.")

    def to_filters(self) -> lists.PlanFilters:
        from apps.risks.models import RiskCategory

        return lists.PlanFilters(
            scenario_id=pk_or_nothing(self.scenario, "EmergencyScenario", m.Scenario),
            status=self.status.value if self.status else None,
            category_id=pk_or_nothing(self.category, "RiskCategory", RiskCategory),
            review_overdue=self.review_overdue,
            drill_missing=self.drill_missing,
            search=self.search or "",
        )


@strawberry.input(name="ActivationFilter", description="Narrows the activation list.")
class ActivationFilterInput:
    open: bool | None = strawberry.field(default=None, description="Not closed (true) or closed.")
    level: relay.GlobalID | None = strawberry.field(default=None, description="A SeverityLevel.")
    plan: relay.GlobalID | None = strawberry.field(default=None, description="An EmergencyPlan.")
    declared_from: datetime | None = strawberry.field(
        default=None, description="Declared at or after."
    )
    declared_before: datetime | None = strawberry.field(
        default=None, description="Declared before."
    )

    def to_filters(self) -> lists.ActivationFilters:
        return lists.ActivationFilters(
            open=self.open,
            level_id=pk_or_nothing(self.level, "SeverityLevel", m.SeverityLevel),
            plan_id=pk_or_nothing(self.plan, "EmergencyPlan", m.Plan),
            declared_from=self.declared_from,
            declared_before=self.declared_before,
        )


@strawberry.input(name="DrillFilter", description="Narrows the drill list.")
class DrillFilterInput:
    plan: relay.GlobalID | None = strawberry.field(default=None, description="An EmergencyPlan.")
    status: e.DrillStatusEnum | None = strawberry.field(default=None, description="In this status.")
