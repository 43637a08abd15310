"""Filters and orderings of the reputation lists."""

from datetime import datetime
from enum import Enum

import strawberry
from strawberry import relay

from apps.accounts.models import User
from apps.core.graphql.ids import pk_or_nothing
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
from apps.reputation.models import Source, Story


def _values(items) -> list[str] | None:
    return [item.value for item in items] if items else None


@strawberry.enum(name="MentionSourceOrder", description="How the source list is sorted.")
class SourceOrder(Enum):
    CODE = strawberry.enum_value("code", description="By code.")
    NAME = strawberry.enum_value("name", description="By name.")
    CREATED = strawberry.enum_value("created", description="Newest first.")


@strawberry.enum(name="LexiconOrder", description="How the lexicon is sorted.")
class LexiconOrder(Enum):
    TERM = strawberry.enum_value("term", description="Alphabetically.")
    WEIGHT = strawberry.enum_value("weight", description="Most negative weight first.")


@strawberry.input(name="MentionSourceFilter", description="Narrows the source list.")
class SourceFilterInput:
    channels: list[ChannelEnum] | None = strawberry.field(default=None, description="Any of.")
    active: bool | None = strawberry.field(default=None, description="Active or not.")


@strawberry.enum(name="MentionOrder", description="How the mention list is sorted.")
class MentionOrder(Enum):
    PUBLISHED = strawberry.enum_value("published", description="Latest first.")
    PUBLISHED_ASC = strawberry.enum_value("published_asc", description="Earliest first.")
    REACH = strawberry.enum_value("reach", description="Largest reach first.")
    SCORE = strawberry.enum_value("score", description="Most negative first; unscored last.")


@strawberry.enum(name="StoryOrder", description="How the story list is sorted.")
class StoryOrder(Enum):
    REACH = strawberry.enum_value("reach", description="Largest total reach first.")
    MENTIONS = strawberry.enum_value("mentions", description="Most mentions first.")
    LAST_SEEN = strawberry.enum_value("last_seen", description="Latest activity first.")


@strawberry.enum(name="ComplaintOrder", description="How the complaint list is sorted.")
class ComplaintOrder(Enum):
    RECEIVED = strawberry.enum_value("received", description="Latest received first.")
    RECEIVED_ASC = strawberry.enum_value("received_asc", description="Earliest first.")
    RESPONSE_DUE = strawberry.enum_value("response_due", description="First response due first.")
    RESOLUTION_DUE = strawberry.enum_value("resolution_due", description="Resolution due first.")


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
