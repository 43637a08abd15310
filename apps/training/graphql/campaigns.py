"""Customer-education campaigns in GraphQL: the type, the list, create and update."""

from datetime import date
from enum import Enum
from typing import Annotated, Any

import strawberry
import strawberry_django
from strawberry import relay
from strawberry.types import Info

from apps.accounts.roles import Role
from apps.core.graphql.ids import pk_or_nothing
from apps.core.graphql.nodes import TenantNode
from apps.core.graphql.pagination import BoundedConnection
from apps.core.graphql.permissions import IsRiskManager, IsViewer
from apps.core.graphql.resolvers import run_service
from apps.training import models as m
from apps.training.graphql.errors import TrainingError, TrainingErrorCode
from apps.training.selectors import sessions as selectors
from apps.training.services import campaigns

UNSET: Any = strawberry.UNSET
Errors = list[TrainingError]  # type: ignore[valid-type]


def _enum(name: str, choices: type, description: str) -> type:
    """A GraphQL enum from the model's choices, each value described by its label."""
    members = {
        value.upper(): strawberry.enum_value(value, description=f"{label}.")
        for value, label in choices.choices
    }
    return strawberry.enum(Enum(name, members), name=name, description=description)  # type: ignore[misc]


CampaignTopicEnum = _enum("CampaignTopic", m.CampaignTopic, "What a campaign teaches.")
CampaignSegmentEnum = _enum("CampaignSegment", m.CampaignSegment, "Who a campaign addresses.")
CampaignChannelEnum = _enum("CampaignChannel", m.CampaignChannel, "How a campaign reaches them.")


@strawberry_django.type(
    m.EducationCampaign,
    name="EducationCampaign",
    description="Customer education (用户教育): consumer-protection and anti-fraud outreach.",
)
class CampaignType(TenantNode):
    min_role = Role.VIEWER

    code: str = strawberry_django.field(description="Permanent identifier.")
    title: str = strawberry_django.field(description="Title.")
    topic: CampaignTopicEnum = strawberry_django.field(description="What it teaches.")  # type: ignore[valid-type]
    segment: CampaignSegmentEnum = strawberry_django.field(description="Who it addresses.")  # type: ignore[valid-type]
    channel: CampaignChannelEnum = strawberry_django.field(description="How.")  # type: ignore[valid-type]
    starts_on: date = strawberry_django.field(description="First day.")
    ends_on: date = strawberry_django.field(description="Last day.")
    planned_reach: int = strawberry_django.field(description="Customers it aims to reach.")
    reached: int = strawberry_django.field(description="Customers reached so far.")

    @strawberry_django.field(
        only=["reached", "planned_reach"], description="reached / plannedReach × 100."
    )
    def reach_percent(self) -> float:
        return self.reach_percent  # type: ignore[return-value]

    @strawberry_django.field(
        only=["risk_category_ids"], description="Ids of the linked RiskCategory objects."
    )
    def risk_category_ids(self) -> list[relay.GlobalID]:
        return [relay.GlobalID("RiskCategory", str(pk)) for pk in self.risk_category_ids]


@strawberry.enum(name="EducationCampaignOrder", description="How the campaign list is sorted.")
class CampaignOrder(Enum):
    STARTS_DESC = strawberry.enum_value("starts_desc", description="Latest start first.")
    CODE = strawberry.enum_value("code", description="By code.")


@strawberry.type
class CampaignQuery:
    @strawberry_django.connection(
        BoundedConnection[CampaignType],
        permission_classes=[IsViewer],
        description="Customer-education campaigns, latest first.",
    )
    def education_campaigns(
        self,
        topic: Annotated[
            CampaignTopicEnum | None,  # type: ignore[valid-type]
            strawberry.argument(description="Only this topic."),
        ] = None,
        running_on: Annotated[
            date | None, strawberry.argument(description="Only those running that day.")
        ] = None,
        order_by: Annotated[CampaignOrder, strawberry.argument(description="Sort order.")] = (
            CampaignOrder.STARTS_DESC
        ),
    ) -> list[CampaignType]:
        return selectors.campaigns(  # type: ignore[return-value]
            topic=topic.value if topic else None, running_on=running_on, order=order_by.value
        )


@strawberry.input(description="A new customer-education campaign.")
class CampaignCreateInput:
    code: str = strawberry.field(description="Permanent: letters, digits and _; unique.")
    title: str = strawberry.field(description="Title.")
    topic: CampaignTopicEnum = strawberry.field(description="What it teaches.")  # type: ignore[valid-type]
    segment: CampaignSegmentEnum = strawberry.field(description="Who it addresses.")  # type: ignore[valid-type]
    channel: CampaignChannelEnum = strawberry.field(description="How.")  # type: ignore[valid-type]
    starts_on: date = strawberry.field(description="First day.")
    ends_on: date = strawberry.field(description="Last day (on or after the first).")
    planned_reach: int = strawberry.field(description="Customers it aims to reach (≥ 1).")
    reached: int = strawberry.field(default=0, description="Customers reached so far.")
    risk_categories: list[relay.GlobalID] | None = strawberry.field(
        default=None, description="RiskCategory ids (fraud, reputational, …)."
    )


@strawberry.input(description="Changes to a campaign; only the fields sent change.")
class CampaignUpdateInput:
    id: relay.GlobalID = strawberry.field(description="The EducationCampaign.")
    title: str | None = strawberry.field(default=UNSET, description="Title.")
    starts_on: date | None = strawberry.field(default=UNSET, description="First day.")
    ends_on: date | None = strawberry.field(default=UNSET, description="Last day.")
    planned_reach: int | None = strawberry.field(default=UNSET, description="Target.")
    reached: int | None = strawberry.field(default=UNSET, description="Reached so far.")


@strawberry.type(description="The campaign written, or why not.")
class CampaignPayload:
    errors: Errors = strawberry.field(description="Empty when it worked.")
    campaign: CampaignType | None = strawberry.field(default=None, description="As saved.")


def _run(input, call) -> Any:
    renames = {"risk_category_ids": "riskCategories"}
    return run_service(
        CampaignPayload, TrainingError, TrainingErrorCode, call, input=input, fields=renames
    )


@strawberry.type
class CampaignMutations:
    @strawberry.mutation(permission_classes=[IsRiskManager], description="Add a campaign.")
    def campaign_create(
        self,
        info: Info,
        input: Annotated[CampaignCreateInput, strawberry.argument(description="What.")],
    ) -> CampaignPayload:
        from apps.risks.models import RiskCategory

        fields = {
            "title": input.title,
            "topic": input.topic.value,
            "segment": input.segment.value,
            "channel": input.channel.value,
            "starts_on": input.starts_on,
            "ends_on": input.ends_on,
            "planned_reach": input.planned_reach,
            "reached": input.reached,
            "risk_category_ids": [
                pk_or_nothing(g, "RiskCategory", RiskCategory) for g in input.risk_categories or []
            ],
        }
        user = info.context.request.user
        return _run(
            input,
            lambda: {"campaign": campaigns.campaign_create(code=input.code, actor=user, **fields)},
        )

    @strawberry.mutation(
        permission_classes=[IsRiskManager], description="Change a campaign (e.g. its reach)."
    )
    def campaign_update(
        self,
        info: Info,
        input: Annotated[CampaignUpdateInput, strawberry.argument(description="What.")],
    ) -> CampaignPayload:
        names = ("title", "starts_on", "ends_on", "planned_reach", "reached")
        fields = {n: getattr(input, n) for n in names if getattr(input, n) is not UNSET}
        user = info.context.request.user
        pk = pk_or_nothing(input.id, "EducationCampaign", m.EducationCampaign)
        return _run(
            input,
            lambda: {"campaign": campaigns.campaign_update(campaign_id=pk, actor=user, **fields)},
        )
