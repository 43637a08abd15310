"""Topics (keyword lists that tag mentions) and the per-category complaint SLAs: types,
queries and mutations, each a thin call of one service."""

from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry
import strawberry_django
from strawberry import relay
from strawberry.types import Info

from apps.core.graphql.ids import pk_or_nothing
from apps.core.graphql.ordering import ORDER_BY_DESCRIPTION, OrderKey, apply_order, order_input
from apps.core.graphql.pagination import BoundedConnection
from apps.core.graphql.permissions import IsRiskManager, IsViewer
from apps.core.graphql.types import JobType
from apps.reputation import models as m
from apps.reputation.graphql.common import UNSET, Errors, run, sent
from apps.reputation.graphql.types import (
    CategorySlaType,
    ComplaintCategoryEnum,
    ComplaintChannelEnum,
    TopicType,
)
from apps.reputation.selectors import topics as selectors
from apps.reputation.services import complaints, topics


@strawberry.enum(name="MentionTopicOrderField", description="What the topic list sorts by.")
class TopicOrderField(Enum):
    CODE = strawberry.enum_value("code", description="The code.")
    NAME = strawberry.enum_value("name", description="The name, then the code.")
    CREATED = strawberry.enum_value("created_at", description="When it was added.")


if TYPE_CHECKING:
    TopicOrder = OrderKey
else:
    TopicOrder = order_input(
        "MentionTopicOrder", TopicOrderField, description="One sort key of the topic list."
    )


@strawberry.input(name="MentionTopicFilter", description="Narrows the topic list.")
class TopicFilterInput:
    active: bool | None = strawberry.field(default=None, description="Active or not.")


@strawberry.input(description="A new topic; its mentions are tagged by a job.")
class MentionTopicCreateInput:
    code: str = strawberry.field(description="Permanent: letters, digits and _; unique.")
    name: str = strawberry.field(description="Name for people.")
    keywords_zh: list[str] = strawberry.field(
        default_factory=list, description="Chinese keywords (each with a Chinese character)."
    )
    keywords_en: list[str] = strawberry.field(
        default_factory=list, description="English keywords or phrases (no Chinese)."
    )
    risk_categories: list[str] = strawberry.field(
        default_factory=list, description="Risk category codes, e.g. legal_compliance."
    )
    active: bool = strawberry.field(default=True, description="False: created inactive.")


@strawberry.input(description="Changes to a topic; only the fields sent change.")
class MentionTopicUpdateInput:
    id: relay.GlobalID = strawberry.field(description="The MentionTopic.")
    name: str | None = strawberry.field(default=UNSET, description="Name.")
    keywords_zh: list[str] | None = strawberry.field(
        default=UNSET, description="Chinese keywords (all of them): its mentions are re-tagged."
    )
    keywords_en: list[str] | None = strawberry.field(
        default=UNSET, description="English keywords (all of them): its mentions are re-tagged."
    )
    risk_categories: list[str] | None = strawberry.field(
        default=UNSET, description="Risk category codes (all of them)."
    )
    active: bool | None = strawberry.field(default=UNSET, description="Deactivate or reactivate.")


@strawberry.type(description="The topic and its re-tag job, or why not.")
class MentionTopicPayload:
    errors: Errors = strawberry.field(description="Problems; when any, nothing changed.")
    topic: TopicType | None = strawberry.field(default=None, description="The topic.")
    job: JobType | None = strawberry.field(
        default=None, description="The job tagging its mentions; null when nothing to re-tag."
    )


@strawberry.input(description="The hours of one complaint category (on a channel or all).")
class ComplaintCategorySlaSetInput:
    category: ComplaintCategoryEnum = strawberry.field(description="The category.")
    channel: ComplaintChannelEnum | None = strawberry.field(
        default=None, description="One channel (overrides the category's row); null: every one."
    )
    response_hours: int = strawberry.field(description="1 to 8,760 hours.")
    resolution_hours: int = strawberry.field(description="At least the response hours.")


@strawberry.type(description="The category's SLA, or why not.")
class ComplaintCategorySlaPayload:
    errors: Errors = strawberry.field(description="Problems; when any, nothing changed.")
    sla: CategorySlaType | None = strawberry.field(default=None, description="The row.")


@strawberry.input(description="A category SLA row to remove.")
class ComplaintCategorySlaDeleteInput:
    id: relay.GlobalID = strawberry.field(description="The ComplaintCategorySla.")


@strawberry.type(description="Whether the row went.")
class ComplaintCategorySlaDeletePayload:
    errors: Errors = strawberry.field(description="Problems; when any, nothing changed.")
    deleted_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The id removed."
    )


FIELDS = ("name", "keywords_zh", "keywords_en", "risk_categories", "active")


def _topic_and_job(topic: m.Topic) -> dict:
    from apps.core import services as jobs

    job = next(
        (
            j
            for j in jobs.jobs_active(kind=topics.JOB_TOPICS).order_by("-created_at")
            if j.input.get("topic") == str(topic.pk)
        ),
        None,
    )
    return {"topic": topic, "job": job}


@strawberry.type
class TopicQueries:
    @strawberry_django.connection(
        BoundedConnection[TopicType],
        permission_classes=[IsViewer],
        description="Mention topics, by code.",
    )
    def mention_topics(
        self,
        filter: Annotated[
            TopicFilterInput | None, strawberry.argument(description="What to list.")
        ] = None,
        order_by: Annotated[
            list[TopicOrder] | None,
            strawberry.argument(description=ORDER_BY_DESCRIPTION.format(default="by code")),
        ] = None,
    ) -> list[TopicType]:
        return apply_order(  # type: ignore[return-value]  # the optimizer makes TopicType
            selectors.topics(active=filter.active if filter else None),
            order_by,
            default=selectors.TOPIC_ORDERINGS["code"],
            columns={"name": ("name", "code")},
        )

    @strawberry_django.field(
        permission_classes=[IsViewer],
        description="The SLA rows of complaint categories (by category, the every-channel row "
        "first); at most one per category and channel.",
    )
    def complaint_category_slas(self) -> list[CategorySlaType]:
        return m.CategorySla.objects.order_by("category", "channel")  # type: ignore[return-value]


@strawberry.type
class TopicMutations:
    @strawberry.mutation(
        permission_classes=[IsRiskManager],
        description="Add a topic; a job tags the mentions already stored.",
    )
    def mention_topic_create(
        self,
        info: Info,
        input: Annotated[MentionTopicCreateInput, strawberry.argument(description="The topic.")],
    ) -> MentionTopicPayload:
        return run(
            MentionTopicPayload,
            input,
            lambda: _topic_and_job(
                topics.topic_create(
                    code=input.code,
                    actor=info.context.request.user,
                    **{name: getattr(input, name) for name in FIELDS},
                )
            ),
        )

    @strawberry.mutation(
        permission_classes=[IsRiskManager],
        description="Change a topic; new keywords (or activity) re-tag its mentions (a job).",
    )
    def mention_topic_update(
        self,
        info: Info,
        input: Annotated[MentionTopicUpdateInput, strawberry.argument(description="The changes.")],
    ) -> MentionTopicPayload:
        return run(
            MentionTopicPayload,
            input,
            lambda: _topic_and_job(
                topics.topic_update(
                    topic_id=pk_or_nothing(input.id, "MentionTopic", m.Topic),
                    actor=info.context.request.user,
                    **{k: v for k, v in sent(input, FIELDS).items() if v is not None},
                )
            ),
        )

    @strawberry.mutation(
        permission_classes=[IsRiskManager],
        description="Set the SLA hours of a complaint category (on one channel or all); "
        "complaints received from now on get them.",
    )
    def complaint_category_sla_set(
        self,
        info: Info,
        input: Annotated[ComplaintCategorySlaSetInput, strawberry.argument(description="Hours.")],
    ) -> ComplaintCategorySlaPayload:
        return run(
            ComplaintCategorySlaPayload,
            input,
            lambda: {
                "sla": complaints.category_sla_set(
                    category=input.category.value,
                    channel=input.channel.value if input.channel else "",
                    response_hours=input.response_hours,
                    resolution_hours=input.resolution_hours,
                    actor=info.context.request.user,
                )
            },
        )

    @strawberry.mutation(
        permission_classes=[IsRiskManager],
        description="Remove a category SLA row: the next rule applies to new complaints.",
    )
    def complaint_category_sla_delete(
        self,
        info: Info,
        input: Annotated[
            ComplaintCategorySlaDeleteInput, strawberry.argument(description="Which.")
        ],
    ) -> ComplaintCategorySlaDeletePayload:
        def call() -> dict:
            complaints.category_sla_delete(
                sla_id=pk_or_nothing(input.id, "ComplaintCategorySla", m.CategorySla),
                actor=info.context.request.user,
            )
            return {"deleted_id": input.id}

        return run(ComplaintCategorySlaDeletePayload, input, call, fields={"sla_id": "id"})
