from datetime import date, datetime, timedelta
from enum import Enum
from typing import Annotated

import strawberry
import strawberry_django
from django.utils import timezone
from strawberry import relay

from apps.core.graphql.errors import ApiError
from apps.core.graphql.ids import decode_pk
from apps.core.graphql.ordering import ORDER_BY_DESCRIPTION, apply_order
from apps.core.graphql.pagination import BoundedConnection
from apps.core.graphql.permissions import IsAnalyst, IsViewer
from apps.reputation import selectors
from apps.reputation.graphql.brand import BrandQueries
from apps.reputation.graphql.inputs import (
    LEXICON_ORDER_COLUMNS,
    SOURCE_ORDER_COLUMNS,
    ComplaintFilterInput,
    ComplaintOrder,
    LexiconOrder,
    MentionFilterInput,
    MentionOrder,
    SourceFilterInput,
    SourceOrder,
    StoryFilterInput,
    StoryOrder,
)
from apps.reputation.graphql.topics import TopicQueries, TopicType
from apps.reputation.graphql.types import (
    ChannelEnum,
    ComplaintType,
    DayType,
    EvaluationType,
    LanguageEnum,
    LexiconTermType,
    MentionType,
    PriorityEnum,
    SettingsType,
    SlaType,
    SourceType,
    StoryType,
)
from apps.reputation.models import Complaint, Mention, Priority
from apps.reputation.scoring import registry
from apps.reputation.services.complaints import DEFAULT_SLA
from apps.reputation.services.index import MAX_DAYS

EARLIEST, LATEST = date(1900, 1, 1), date(2999, 12, 31)


def _key(choice: Enum) -> str:
    """A GraphQL enum's value: the key the selector sorts or groups by."""
    return choice.value


def _period(start: date | None, end: date | None) -> tuple[date, date]:
    """[start, end] (default: the last 30 days to today), at most MAX_DAYS days."""
    for name, value in (("from", start), ("to", end)):
        if value is not None and not EARLIEST <= value <= LATEST:
            raise ApiError(f"'{name}' is between 1900 and 2999.", "BAD_ARGUMENT", argument=name)
    end = end or timezone.localdate()
    start = start or end - timedelta(days=29)
    if start > end:
        raise ApiError("'from' is on or before 'to'.", "BAD_ARGUMENT", argument="from")
    if (end - start).days >= MAX_DAYS:
        raise ApiError(f"At most {MAX_DAYS} days.", "BAD_ARGUMENT", argument="from")
    return start, end


@strawberry.type(name="ReputationSummary", description="Totals of a period, from its days.")
class SummaryType:
    start: date = strawberry.field(description="First day.")
    end: date = strawberry.field(description="Last day.")
    mentions: int = strawberry.field(description="Mentions published.")
    negative: int = strawberry.field(description="Scored negative.")
    positive: int = strawberry.field(description="Scored positive.")
    negative_share: float | None = strawberry.field(description="negative / scored, 0 to 1.")
    complaints_received: int = strawberry.field(description="Complaints received.")
    sla_breaches: int = strawberry.field(description="SLA breaches.")
    regulator_complaints: int = strawberry.field(description="Regulator referrals.")
    mean_index: float | None = strawberry.field(
        description="Mean of the indexes of the days that have one."
    )
    latest_index: float | None = strawberry.field(description="The last computed day's index.")


@strawberry.enum(name="MentionBreakdownBy", description="How mentions are grouped.")
class BreakdownBy(Enum):
    CHANNEL = strawberry.enum_value("channel", description="By channel.")
    LANGUAGE = strawberry.enum_value("language", description="By language.")
    TOPIC = strawberry.enum_value(
        "topic",
        description="By topic (a mention of two topics counts in both; untagged ones in none).",
    )


@strawberry.type(name="MentionBreakdownRow", description="Mentions of one group in a period.")
class BreakdownRowType:
    channel: ChannelEnum | None = strawberry.field(description="When grouped by channel.")
    language: LanguageEnum | None = strawberry.field(description="When grouped by language.")
    topic: TopicType | None = strawberry.field(description="When grouped by topic.")
    mentions: int = strawberry.field(description="Mentions published.")
    negative: int = strawberry.field(description="Scored negative.")
    neutral: int = strawberry.field(description="Scored neutral.")
    positive: int = strawberry.field(description="Scored positive.")
    unscored: int = strawberry.field(description="Not yet scored.")
    reach: float = strawberry.field(description="Sum of their reach.")


def _day(row) -> DayType:
    return DayType(
        **{
            name: getattr(row, name)
            for name in DayType.__annotations__  # the type's fields are the model's names
        }
    )


@strawberry.type
class ReputationQuery(TopicQueries, BrandQueries):
    @strawberry_django.connection(
        BoundedConnection[SourceType],
        permission_classes=[IsViewer],
        description="Mention sources, by code.",
    )
    def mention_sources(
        self,
        filter: Annotated[
            SourceFilterInput | None, strawberry.argument(description="What to list.")
        ] = None,
        order_by: Annotated[
            list[SourceOrder] | None,
            strawberry.argument(description=ORDER_BY_DESCRIPTION.format(default="by code")),
        ] = None,
    ) -> list[SourceType]:
        rows = selectors.sources(
            channels=[c.value for c in filter.channels] if filter and filter.channels else None,
            active=filter.active if filter else None,
        )
        return apply_order(  # type: ignore[return-value]  # the optimizer makes SourceType
            rows, order_by, default=selectors.SOURCE_ORDERINGS["code"], columns=SOURCE_ORDER_COLUMNS
        )

    @strawberry_django.connection(
        BoundedConnection[MentionType],
        permission_classes=[IsViewer],
        description="Mentions, filtered and ordered.",
    )
    def mentions(
        self,
        filter: Annotated[
            MentionFilterInput | None, strawberry.argument(description="What to list.")
        ] = None,
        order_by: Annotated[
            list[MentionOrder] | None,
            strawberry.argument(
                description=ORDER_BY_DESCRIPTION.format(default="latest published first")
            ),
        ] = None,
    ) -> list[MentionType]:
        filters = filter.to_filters() if filter else None
        return apply_order(  # type: ignore[return-value]  # the optimizer makes the type
            selectors.mentions(filters), order_by, default=selectors.MENTION_ORDERINGS["published"]
        )

    @strawberry_django.field(
        permission_classes=[IsViewer], description="One mention; null when none has this id."
    )
    def mention(
        self, id: Annotated[relay.GlobalID, strawberry.argument(description="A Mention id.")]
    ) -> MentionType | None:
        pk = decode_pk(id, "Mention", Mention)
        return Mention.objects.filter(pk=pk).first() if pk else None  # type: ignore[return-value]

    @strawberry_django.connection(
        BoundedConnection[StoryType],
        permission_classes=[IsViewer],
        description="Stories (grouped mentions), filtered and ordered; top stories by reach first.",
    )
    def stories(
        self,
        filter: Annotated[
            StoryFilterInput | None, strawberry.argument(description="What to list.")
        ] = None,
        order_by: Annotated[
            list[StoryOrder] | None,
            strawberry.argument(
                description=ORDER_BY_DESCRIPTION.format(default="largest total reach first")
            ),
        ] = None,
    ) -> list[StoryType]:
        filters = filter.to_filters() if filter else None
        return apply_order(  # type: ignore[return-value]  # the optimizer makes the type
            selectors.stories(filters), order_by, default=selectors.STORY_ORDERINGS["reach"]
        )

    @strawberry_django.connection(
        BoundedConnection[ComplaintType],
        permission_classes=[IsAnalyst],
        description="Complaints, filtered and ordered.",
    )
    def complaints(
        self,
        filter: Annotated[
            ComplaintFilterInput | None, strawberry.argument(description="What to list.")
        ] = None,
        order_by: Annotated[
            list[ComplaintOrder] | None,
            strawberry.argument(
                description=ORDER_BY_DESCRIPTION.format(default="latest received first")
            ),
        ] = None,
    ) -> list[ComplaintType]:
        filters = filter.to_filters() if filter else None
        return apply_order(  # type: ignore[return-value]  # the optimizer makes the type
            selectors.complaints(filters),
            order_by,
            default=selectors.COMPLAINT_ORDERINGS["received"],
        )

    @strawberry_django.field(
        permission_classes=[IsAnalyst], description="One complaint; null when none has this id."
    )
    def complaint(
        self, id: Annotated[relay.GlobalID, strawberry.argument(description="A Complaint id.")]
    ) -> ComplaintType | None:
        pk = decode_pk(id, "Complaint", Complaint)
        return Complaint.objects.filter(pk=pk).first() if pk else None  # type: ignore[return-value]

    @strawberry_django.connection(
        BoundedConnection[LexiconTermType],
        permission_classes=[IsViewer],
        description="The tenant's sentiment lexicon, by term.",
    )
    def sentiment_lexicon(
        self,
        active: Annotated[
            bool | None, strawberry.argument(description="Applied terms only (true), or not.")
        ] = None,
        order_by: Annotated[
            list[LexiconOrder] | None,
            strawberry.argument(description=ORDER_BY_DESCRIPTION.format(default="by term")),
        ] = None,
    ) -> list[LexiconTermType]:
        return apply_order(  # type: ignore[return-value]  # the optimizer makes LexiconTermType
            selectors.lexicon(active=active),
            order_by,
            default=selectors.LEXICON_ORDERINGS["term"],
            columns=LEXICON_ORDER_COLUMNS,
        )

    @strawberry.field(
        permission_classes=[IsViewer], description="The SLA of each priority (four rows)."
    )
    def complaint_slas(self) -> list[SlaType]:
        stored = selectors.slas()
        out = []
        for priority in Priority.values:
            sla = stored.get(priority)
            hours = (sla.response_hours, sla.resolution_hours) if sla else DEFAULT_SLA[priority]
            out.append(
                SlaType(
                    priority=PriorityEnum(priority),
                    response_hours=hours[0],
                    resolution_hours=hours[1],
                )
            )
        return out

    @strawberry.field(
        permission_classes=[IsViewer],
        description="The figures and index of each computed day of a period, oldest first "
        "(at most 400 days).",
    )
    def reputation_series(
        self,
        from_: Annotated[
            date | None,
            strawberry.argument(name="from", description="First day; default 29 days before to."),
        ] = None,
        to: Annotated[date | None, strawberry.argument(description="Last day; default today.")] = (
            None
        ),
    ) -> list[DayType]:
        start, end = _period(from_, to)
        return [_day(row) for row in selectors.days(start, end)]

    @strawberry.field(
        permission_classes=[IsViewer], description="Totals of a period (default: 30 days)."
    )
    def reputation_summary(
        self,
        from_: Annotated[
            date | None,
            strawberry.argument(name="from", description="First day; default 29 days before to."),
        ] = None,
        to: Annotated[date | None, strawberry.argument(description="Last day; default today.")] = (
            None
        ),
    ) -> SummaryType:
        start, end = _period(from_, to)
        rows = list(selectors.days(start, end))
        scored = sum(r.scored for r in rows)
        negative = sum(r.negative for r in rows)
        indexes = [r.index for r in rows if r.index is not None]
        return SummaryType(
            start=start,
            end=end,
            mentions=sum(r.mentions for r in rows),
            negative=negative,
            positive=sum(r.positive for r in rows),
            negative_share=negative / scored if scored else None,
            complaints_received=sum(r.complaints_received for r in rows),
            sla_breaches=sum(r.sla_breaches for r in rows),
            regulator_complaints=sum(r.regulator_complaints for r in rows),
            mean_index=round(sum(indexes) / len(indexes), 4) if indexes else None,
            latest_index=indexes[-1] if indexes else None,
        )

    @strawberry.field(
        permission_classes=[IsViewer],
        description="Accuracy and negative precision/recall of each scorer version against the "
        "analysts' labels (one row per language and scorer version).",
    )
    def sentiment_evaluation(self) -> list[EvaluationType]:
        return [
            EvaluationType(
                language=LanguageEnum(row.language),
                scorer_name=row.scorer_name,
                scorer_version=row.scorer_version,
                labelled=row.labelled,
                accuracy=row.accuracy,
                negative_precision=row.negative_precision,
                negative_recall=row.negative_recall,
            )
            for row in selectors.scorer_evaluation()
        ]

    @strawberry.field(
        permission_classes=[IsViewer],
        description="Mentions of a period by channel or language, with their sentiment counts.",
    )
    def mention_breakdown(
        self,
        by: Annotated[BreakdownBy, strawberry.argument(description="The grouping.")],
        published_from: Annotated[
            datetime, strawberry.argument(description="Published at or after.")
        ],
        published_before: Annotated[datetime, strawberry.argument(description="Before.")],
    ) -> list[BreakdownRowType]:
        if published_before <= published_from:
            raise ApiError(
                "'publishedBefore' is after 'publishedFrom'.",
                "BAD_ARGUMENT",
                argument="publishedBefore",
            )
        if by == BreakdownBy.TOPIC:
            return _topic_breakdown(published_from, published_before)
        rows = selectors.mention_breakdown(by=_key(by), start=published_from, end=published_before)
        return [
            BreakdownRowType(
                channel=ChannelEnum(row["channel"]) if "channel" in row else None,
                language=LanguageEnum(row["language"]) if "language" in row else None,
                topic=None,
                mentions=row["mentions"],
                negative=row["negative"],
                neutral=row["neutral"],
                positive=row["positive"],
                unscored=row["unscored"],
                reach=float(row["reach_sum"] or 0),
            )
            for row in rows
        ]

    @strawberry.field(permission_classes=[IsViewer], description="Scorers and index weights.")
    def reputation_settings(self) -> SettingsType:
        return settings_type(selectors.reputation_settings())


def _topic_breakdown(start: datetime, end: datetime) -> list[BreakdownRowType]:
    from apps.reputation.selectors import topics

    rows = topics.topic_breakdown(start=start, end=end)
    by_id = topics.topics_by_id([row["topic_id"] for row in rows])
    return [
        BreakdownRowType(
            channel=None,
            language=None,
            topic=by_id[row["topic_id"]],
            mentions=row["mentions"],
            negative=row["negative"],
            neutral=row["neutral"],
            positive=row["positive"],
            unscored=row["unscored"],
            reach=float(row["reach_sum"] or 0),
        )
        for row in rows
    ]


def settings_type(row) -> SettingsType:
    overrides = selectors.scorer_overrides(row)
    return SettingsType(
        scorer_zh=row.scorer_zh,
        scorer_en=row.scorer_en,
        scorer_zh_in_use=registry.scorer_name_for("zh", overrides),
        scorer_en_in_use=registry.scorer_name_for("en", overrides),
        available_scorers=sorted(registry.registered()),
        lexicon_version=row.lexicon_version,
        weight_sentiment=row.weight_sentiment,
        weight_negative_share=row.weight_negative_share,
        weight_complaints=row.weight_complaints,
        weight_brand=row.weight_brand,
        complaint_capacity=row.complaint_capacity,
    )
