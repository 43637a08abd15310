"""Filters and orderings of the reputation lists."""

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING

import strawberry
from strawberry import relay

from apps.accounts.models import User
from apps.core.graphql.ids import pk_or_nothing
from apps.core.graphql.ordering import OrderKey, order_input
from apps.reputation import selectors
from apps.reputation.graphql.types import (
    ChannelEnum,
    ComplaintCategoryEnum,
    ComplaintChannelEnum,
    ComplaintStatusEnum,
    LanguageEnum,
    PriorityEnum,
    SentimentLabelEnum,
)
from apps.reputation.models import Source, Story, Topic


def _values(items) -> list[str] | None:
    return [item.value for item in items] if items else None


@strawberry.enum(name="MentionSourceOrderField", description="What the source list sorts by.")
class SourceOrderField(Enum):
    CODE = strawberry.enum_value("code", description="The code.")
    NAME = strawberry.enum_value("name", description="The name, then the code.")
    CREATED = strawberry.enum_value("created_at", description="When it was added.")


@strawberry.enum(name="LexiconOrderField", description="What the lexicon sorts by.")
class LexiconOrderField(Enum):
    TERM = strawberry.enum_value("term", description="The term, alphabetically.")
    WEIGHT = strawberry.enum_value("weight", description="The weight (negative is ASC), then term.")


@strawberry.enum(name="MentionOrderField", description="What the mention list sorts by.")
class MentionOrderField(Enum):
    PUBLISHED = strawberry.enum_value("published_at", description="When it was published.")
    REACH = strawberry.enum_value("reach", description="Its reach.")
    SCORE = strawberry.enum_value(
        "sentiment_score", description="The sentiment score (most negative is ASC; unscored last)."
    )


@strawberry.enum(name="StoryOrderField", description="What the story list sorts by.")
class StoryOrderField(Enum):
    REACH = strawberry.enum_value("total_reach", description="Total reach of its mentions.")
    MENTIONS = strawberry.enum_value("mention_count", description="How many mentions it has.")
    FIRST_SEEN = strawberry.enum_value("first_seen_at", description="Its first mention.")
    LAST_SEEN = strawberry.enum_value("last_seen_at", description="Its latest mention.")


@strawberry.enum(name="ComplaintOrderField", description="What the complaint list sorts by.")
class ComplaintOrderField(Enum):
    RECEIVED = strawberry.enum_value("received_at", description="When it was received.")
    RESPONSE_DUE = strawberry.enum_value("response_due_at", description="First response due.")
    RESOLUTION_DUE = strawberry.enum_value("resolution_due_at", description="Resolution due.")


if TYPE_CHECKING:  # built at run time by order_input
    SourceOrder = OrderKey
    LexiconOrder = OrderKey
    MentionOrder = OrderKey
    StoryOrder = OrderKey
    ComplaintOrder = OrderKey
else:
    SourceOrder = order_input(
        "MentionSourceOrder", SourceOrderField, description="One sort key of the source list."
    )
    LexiconOrder = order_input(
        "LexiconOrder", LexiconOrderField, description="One sort key of the lexicon."
    )
    MentionOrder = order_input(
        "MentionOrder", MentionOrderField, description="One sort key of the mention list."
    )
    StoryOrder = order_input(
        "StoryOrder", StoryOrderField, description="One sort key of the story list."
    )
    ComplaintOrder = order_input(
        "ComplaintOrder", ComplaintOrderField, description="One sort key of the complaint list."
    )

# Sort keys that are more than one column (each in the key's direction).
SOURCE_ORDER_COLUMNS = {"name": ("name", "code")}
LEXICON_ORDER_COLUMNS = {"weight": ("weight", "term")}


@strawberry.input(name="MentionSourceFilter", description="Narrows the source list.")
class SourceFilterInput:
    channels: list[ChannelEnum] | None = strawberry.field(default=None, description="Any of.")
    active: bool | None = strawberry.field(default=None, description="Active or not.")


@strawberry.input(name="MentionFilter", description="Narrows the mention list.")
class MentionFilterInput:
    channels: list[ChannelEnum] | None = strawberry.field(default=None, description="Any of.")
    sources: list[relay.GlobalID] | None = strawberry.field(
        default=None, description="MentionSource ids."
    )
    languages: list[LanguageEnum] | None = strawberry.field(default=None, description="Any of.")
    sentiment_labels: list[SentimentLabelEnum] | None = strawberry.field(
        default=None, description="Any of (unscored mentions have none)."
    )
    story: relay.GlobalID | None = strawberry.field(default=None, description="A Story.")
    published_from: datetime | None = strawberry.field(
        default=None, description="Published at or after."
    )
    published_before: datetime | None = strawberry.field(
        default=None, description="Published before."
    )
    min_reach: int | None = strawberry.field(default=None, description="Reach at least this.")
    unscored: bool | None = strawberry.field(
        default=None, description="True: only not yet scored; false: only scored."
    )
    search: str | None = strawberry.field(default=None, description="Words in text or author.")
    topics: list[relay.GlobalID] | None = strawberry.field(
        default=None, description="MentionTopic ids: tagged with any of them."
    )

    def to_filters(self) -> selectors.MentionFilters:
        return selectors.MentionFilters(
            channels=_values(self.channels),
            source_ids=None
            if self.sources is None
            else [pk_or_nothing(g, "MentionSource", Source) for g in self.sources],
            languages=_values(self.languages),
            labels=_values(self.sentiment_labels),
            story_id=pk_or_nothing(self.story, "Story", Story) if self.story else None,
            published_from=self.published_from,
            published_before=self.published_before,
            min_reach=self.min_reach,
            unscored=self.unscored,
            search=self.search or "",
            topic_ids=None
            if self.topics is None
            else [pk_or_nothing(g, "MentionTopic", Topic) for g in self.topics],
        )


@strawberry.input(name="StoryFilter", description="Narrows the story list.")
class StoryFilterInput:
    languages: list[LanguageEnum] | None = strawberry.field(default=None, description="Any of.")
    seen_from: datetime | None = strawberry.field(
        default=None, description="Active (last seen) at or after."
    )
    seen_before: datetime | None = strawberry.field(default=None, description="First seen before.")
    min_mentions: int | None = strawberry.field(default=None, description="At least this many.")

    def to_filters(self) -> selectors.StoryFilters:
        return selectors.StoryFilters(
            languages=_values(self.languages),
            seen_from=self.seen_from,
            seen_before=self.seen_before,
            min_mentions=self.min_mentions,
        )


@strawberry.input(name="ComplaintFilter", description="Narrows the complaint list.")
class ComplaintFilterInput:
    statuses: list[ComplaintStatusEnum] | None = strawberry.field(
        default=None, description="Any of."
    )
    channels: list[ComplaintChannelEnum] | None = strawberry.field(
        default=None, description="Any of."
    )
    categories: list[ComplaintCategoryEnum] | None = strawberry.field(
        default=None, description="Any of."
    )
    priorities: list[PriorityEnum] | None = strawberry.field(default=None, description="Any of.")
    received_from: datetime | None = strawberry.field(default=None, description="At or after.")
    received_before: datetime | None = strawberry.field(default=None, description="Before.")
    breached: bool | None = strawberry.field(
        default=None, description="True: a due time was breached; false: none was."
    )
    regulator_referred: bool | None = strawberry.field(
        default=None, description="Regulator referrals only (true) or none of them (false)."
    )
    assignee: relay.GlobalID | None = strawberry.field(default=None, description="A User.")

    def to_filters(self) -> selectors.ComplaintFilters:
        return selectors.ComplaintFilters(
            statuses=_values(self.statuses),
            channels=_values(self.channels),
            categories=_values(self.categories),
            priorities=_values(self.priorities),
            received_from=self.received_from,
            received_before=self.received_before,
            breached=self.breached,
            regulator=self.regulator_referred,
            assignee_id=pk_or_nothing(self.assignee, "User", User) if self.assignee else None,
        )
