from datetime import date, timedelta
from typing import Annotated

import strawberry
import strawberry_django
from django.utils import timezone
from strawberry import relay

from apps.core.graphql.errors import ApiError
from apps.core.graphql.ids import decode_pk
from apps.core.graphql.pagination import BoundedConnection
from apps.core.graphql.permissions import IsAnalyst, IsViewer
from apps.reputation import selectors
from apps.reputation.graphql.inputs import (
    ComplaintFilterInput,
    ComplaintOrder,
    MentionFilterInput,
    MentionOrder,
    StoryFilterInput,
    StoryOrder,
)
from apps.reputation.graphql.types import (
    ComplaintType,
    DayType,
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


def _period(start: date | None, end: date | None) -> tuple[date, date]:
    """[start, end] (default: the last 30 days to today), at most MAX_DAYS days."""
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
    mean_index: float | None = strawberry.field(description="Mean of the days' indexes.")
    latest_index: float | None = strawberry.field(description="The last computed day's index.")


def _day(row) -> DayType:
    return DayType(
        **{
            name: getattr(row, name)
            for name in DayType.__annotations__  # the type's fields are the model's names
        }
    )


@strawberry.type
class ReputationQuery:
    @strawberry_django.connection(
        BoundedConnection[SourceType],
        permission_classes=[IsViewer],
        description="Mention sources, by code.",
    )
    def mention_sources(self) -> list[SourceType]:
        return selectors.sources()  # type: ignore[return-value]

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
        order_by: Annotated[MentionOrder, strawberry.argument(description="Sort order.")] = (
            MentionOrder.PUBLISHED
        ),
    ) -> list[MentionType]:
        filters = filter.to_filters() if filter else None
        return selectors.mentions(filters, order_by.value)  # type: ignore[return-value]

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
        order_by: Annotated[StoryOrder, strawberry.argument(description="Sort order.")] = (
            StoryOrder.REACH
        ),
    ) -> list[StoryType]:
        filters = filter.to_filters() if filter else None
        return selectors.stories(filters, order_by.value)  # type: ignore[return-value]

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
        order_by: Annotated[ComplaintOrder, strawberry.argument(description="Sort order.")] = (
            ComplaintOrder.RECEIVED
        ),
    ) -> list[ComplaintType]:
        filters = filter.to_filters() if filter else None
        return selectors.complaints(filters, order_by.value)  # type: ignore[return-value]

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
    def sentiment_lexicon(self) -> list[LexiconTermType]:
        return selectors.lexicon()  # type: ignore[return-value]

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

    @strawberry.field(permission_classes=[IsViewer], description="Scorers and index weights.")
    def reputation_settings(self) -> SettingsType:
        return settings_type(selectors.reputation_settings())


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
        complaint_capacity=row.complaint_capacity,
    )
