"""Customer-education campaigns in GraphQL: the type, the list, create and update."""

from datetime import date
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, cast

import strawberry
import strawberry_django
from django.db import models
from strawberry import relay
from strawberry.types import Info

from apps.accounts.roles import Role
from apps.core.graphql.ids import pk_or_nothing
from apps.core.graphql.nodes import TenantNode
from apps.core.graphql.ordering import ORDER_BY_DESCRIPTION
from apps.core.graphql.pagination import BoundedConnection
from apps.core.graphql.permissions import IsRiskManager, IsViewer
from apps.core.graphql.resolvers import run_service
from apps.training import models as m
from apps.training.graphql.errors import TrainingError, TrainingErrorCode
from apps.training.graphql.ordering import CampaignOrder, sorted_by
from apps.training.graphql.reach import ReachPeriodType
from apps.training.selectors import sessions as selectors
from apps.training.services import campaigns

UNSET: Any = strawberry.UNSET
Errors = list[TrainingError]


def _enum(name: str, choices: type[models.TextChoices], description: str) -> type[Enum]:
    """A GraphQL enum from the model's choices, each value described by its label."""
    members = {
        value.upper(): strawberry.enum_value(value, description=f"{label}.")
        for value, label in choices.choices
    }
    enum = cast(type[Enum], Enum(name, members))  # the functional API: a new Enum class
    return strawberry.enum(enum, name=name, description=description)


# The GraphQL enums are built from the model's choices (each value described by its label);
# to the type checker they are the model enums themselves.
if TYPE_CHECKING:
    CampaignTopicEnum = m.CampaignTopic
    CampaignSegmentEnum = m.CampaignSegment
    CampaignChannelEnum = m.CampaignChannel
    ContentKindEnum = m.ContentKind
else:
    CampaignTopicEnum = _enum("CampaignTopic", m.CampaignTopic, "What a campaign teaches.")
    CampaignSegmentEnum = _enum("CampaignSegment", m.CampaignSegment, "Who a campaign addresses.")
    CampaignChannelEnum = _enum(
        "CampaignChannel", m.CampaignChannel, "How a campaign reaches them."
    )
    ContentKindEnum = _enum("CampaignContentKind", m.ContentKind, "What a content item is.")


@strawberry.type(name="CampaignContent", description="One content item of a campaign.")
class ContentType:
    title: str = strawberry.field(description="Title.")
    kind: ContentKindEnum = strawberry.field(description="Article, video, quiz, …")
    channel: CampaignChannelEnum = strawberry.field(description="Where it is published.")
    link: str = strawberry.field(description="Where to find it; may be empty.")


@strawberry.input(name="CampaignContentInput", description="One content item of a campaign.")
class ContentInput:
    title: str = strawberry.field(description="Title (1–200 characters).")
    kind: ContentKindEnum = strawberry.field(description="Article, video, quiz, …")
    channel: CampaignChannelEnum = strawberry.field(description="Where it is published.")
    link: str = strawberry.field(default="", description="An http(s) address, or empty.")


def _contents(items) -> list[dict]:
    return [
        {"title": i.title, "kind": i.kind.value, "channel": i.channel.value, "link": i.link}
        for i in items or []
    ]


@strawberry_django.type(
    m.EducationCampaign,
    name="EducationCampaign",
    description="Customer education (用户教育): consumer-protection and anti-fraud outreach.",
)
class CampaignType(TenantNode):
    min_role = Role.VIEWER

    code: str = strawberry_django.field(description="Permanent identifier.")
    title: str = strawberry_django.field(description="Title.")
    topic: CampaignTopicEnum = strawberry_django.field(description="What it teaches.")
    segment: CampaignSegmentEnum = strawberry_django.field(description="Who it addresses.")
    channel: CampaignChannelEnum = strawberry_django.field(description="How.")
    starts_on: date = strawberry_django.field(description="First day.")
    ends_on: date = strawberry_django.field(description="Last day.")
    planned_reach: int = strawberry_django.field(description="Customers it aims to reach.")
    reached: int = strawberry_django.field(description="Customers reached so far.")

    @strawberry_django.field(
        only=["reached", "planned_reach"], description="reached / plannedReach × 100."
    )
    def reach_percent(self, root: m.EducationCampaign) -> float:
        return root.reach_percent

    @strawberry_django.field(
        only=["risk_category_ids"], description="Ids of the linked RiskCategory objects."
    )
    def risk_category_ids(self, root: m.EducationCampaign) -> list[relay.GlobalID]:
        return [relay.GlobalID("RiskCategory", str(pk)) for pk in root.risk_category_ids]

    @strawberry_django.field(only=["contents"], description="Its content items, in order.")
    def contents(self, root: m.EducationCampaign) -> list[ContentType]:
        return [
            ContentType(
                title=c["title"],
                kind=ContentKindEnum(c["kind"]),
                channel=CampaignChannelEnum(c["channel"]),
                link=c["link"],
            )
            for c in root.contents
        ]

    @strawberry_django.field(
        prefetch_related=["reach_periods"],
        description="Reach per period, oldest first (from campaignReachImport).",
    )
    def reach_periods(self, root: m.EducationCampaign) -> list[ReachPeriodType]:
        return [
            ReachPeriodType(
                period_start=p.period_start,
                period_end=p.period_end,
                impressions=p.impressions,
                learners=p.learners,
                completions=p.completions,
                quiz_pass_rate=p.quiz_pass_rate,
            )
            for p in sorted(root.reach_periods.all(), key=lambda p: p.period_start)
        ]


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
            CampaignTopicEnum | None,
            strawberry.argument(description="Only this topic."),
        ] = None,
        running_on: Annotated[
            date | None, strawberry.argument(description="Only those running that day.")
        ] = None,
        order_by: Annotated[
            list[CampaignOrder] | None,
            strawberry.argument(
                description=ORDER_BY_DESCRIPTION.format(default="latest start first")
            ),
        ] = None,
    ) -> list[CampaignType]:
        rows = selectors.campaigns(topic=topic.value if topic else None, running_on=running_on)
        # model rows; strawberry_django resolves them as the declared type
        return sorted_by(rows, order_by)  # type: ignore[return-value]


@strawberry.input(description="A new customer-education campaign.")
class CampaignCreateInput:
    code: str = strawberry.field(description="Permanent: letters, digits and _; unique.")
    title: str = strawberry.field(description="Title.")
    topic: CampaignTopicEnum = strawberry.field(description="What it teaches.")
    segment: CampaignSegmentEnum = strawberry.field(description="Who it addresses.")
    channel: CampaignChannelEnum = strawberry.field(description="How.")
    starts_on: date = strawberry.field(description="First day.")
    ends_on: date = strawberry.field(description="Last day (on or after the first).")
    planned_reach: int = strawberry.field(description="Customers it aims to reach (≥ 1).")
    reached: int = strawberry.field(default=0, description="Customers reached so far.")
    risk_categories: list[relay.GlobalID] | None = strawberry.field(
        default=None, description="RiskCategory ids (fraud, reputational, …)."
    )
    contents: list[ContentInput] | None = strawberry.field(
        default=None, description="Content items (title, kind, channel, link)."
    )


@strawberry.input(description="Changes to a campaign; only the fields sent change.")
class CampaignUpdateInput:
    id: relay.GlobalID = strawberry.field(description="The EducationCampaign.")
    title: str | None = strawberry.field(default=UNSET, description="Title.")
    starts_on: date | None = strawberry.field(default=UNSET, description="First day.")
    ends_on: date | None = strawberry.field(default=UNSET, description="Last day.")
    planned_reach: int | None = strawberry.field(default=UNSET, description="Target.")
    reached: int | None = strawberry.field(default=UNSET, description="Reached so far.")
    contents: list[ContentInput] | None = strawberry.field(
        default=UNSET, description="Content items (replaces the list)."
    )


@strawberry.type(description="The campaign written, or why not.")
class CampaignPayload:
    errors: Errors = strawberry.field(description="Empty when it worked.")
    campaign: CampaignType | None = strawberry.field(default=None, description="As saved.")


def _run(input, call) -> Any:
    renames: dict[str, str | None] = {"risk_category_ids": "riskCategories"}
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
            "contents": _contents(input.contents),
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
        if input.contents is not UNSET:
            fields["contents"] = _contents(input.contents)
        user = info.context.request.user
        pk = pk_or_nothing(input.id, "EducationCampaign", m.EducationCampaign)
        return _run(
            input,
            lambda: {"campaign": campaigns.campaign_update(campaign_id=pk, actor=user, **fields)},
        )
