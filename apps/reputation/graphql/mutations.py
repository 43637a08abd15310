"""Writes of the reputation module, each a thin call of one service: analysts record and move
complaints and ingest mentions; risk managers set sources, lexicon, SLAs, scorers and weights."""

from datetime import date
from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info

from apps.core.graphql.ids import pk_or_nothing
from apps.core.graphql.permissions import IsRiskManager
from apps.reputation.graphql.brand import BrandMutations
from apps.reputation.graphql.common import UNSET, Errors, run, sent
from apps.reputation.graphql.complaint_import import ComplaintImportMutations
from apps.reputation.graphql.complaints import ComplaintMutations
from apps.reputation.graphql.ingestion import IngestionMutations
from apps.reputation.graphql.queries import settings_type
from apps.reputation.graphql.topics import TopicMutations
from apps.reputation.graphql.types import (
    ChannelEnum,
    DayType,
    LexiconTermType,
    SettingsType,
    SourceType,
)
from apps.reputation.models import LexiconTerm, Source
from apps.reputation.services import index, lexicon, sources


@strawberry.input(description="A new mention source.")
class MentionSourceCreateInput:
    code: str = strawberry.field(description="Permanent: letters, digits and _; unique.")
    name: str = strawberry.field(description="Name for people.")
    channel: ChannelEnum = strawberry.field(description="The channel it reads.")
    url: str = strawberry.field(default="", description="Where the feed is.")
    active: bool = strawberry.field(default=True, description="False: created inactive.")


@strawberry.input(description="Changes to a source; only the fields sent change.")
class MentionSourceUpdateInput:
    id: relay.GlobalID = strawberry.field(description="The MentionSource.")
    name: str | None = strawberry.field(default=UNSET, description="Name.")
    channel: ChannelEnum | None = strawberry.field(default=UNSET, description="Channel.")
    url: str | None = strawberry.field(default=UNSET, description="URL.")
    active: bool | None = strawberry.field(default=UNSET, description="Deactivate or reactivate.")


@strawberry.type(description="The source, or why not.")
class MentionSourcePayload:
    errors: Errors = strawberry.field(description="Problems; when any, nothing changed.")
    source: SourceType | None = strawberry.field(default=None, description="The source.")


@strawberry.input(description="A new lexicon term.")
class LexiconTermCreateInput:
    term: str = strawberry.field(description="Word or phrase, e.g. 跑路, hidden fees.")
    weight: float = strawberry.field(description="−1 to 1, not 0; negative for bad news.")
    active: bool = strawberry.field(default=True, description="False: kept but not applied.")


@strawberry.input(description="Changes to a lexicon term; only the fields sent change.")
class LexiconTermUpdateInput:
    id: relay.GlobalID = strawberry.field(description="The SentimentLexiconTerm.")
    term: str | None = strawberry.field(default=UNSET, description="Word or phrase.")
    weight: float | None = strawberry.field(default=UNSET, description="−1 to 1, not 0.")
    active: bool | None = strawberry.field(default=UNSET, description="Apply it or not.")


@strawberry.type(description="The term, or why not. Every change re-scores mentions (a job).")
class LexiconTermPayload:
    errors: Errors = strawberry.field(description="Problems; when any, nothing changed.")
    term: LexiconTermType | None = strawberry.field(default=None, description="The term.")


@strawberry.input(description="Scorer choice and index weights; only the fields sent change.")
class ReputationSettingsUpdateInput:
    scorer_zh: str | None = strawberry.field(
        default=UNSET, description="A registered scorer serving zh; empty: platform default."
    )
    scorer_en: str | None = strawberry.field(
        default=UNSET, description="A registered scorer serving en; empty: platform default."
    )
    weight_sentiment: float | None = strawberry.field(default=UNSET, description="≥ 0.")
    weight_negative_share: float | None = strawberry.field(default=UNSET, description="≥ 0.")
    weight_complaints: float | None = strawberry.field(default=UNSET, description="≥ 0.")
    weight_brand: float | None = strawberry.field(default=UNSET, description="≥ 0.")
    complaint_capacity: int | None = strawberry.field(default=UNSET, description="≥ 1.")


@strawberry.type(description="The settings, or why not.")
class ReputationSettingsPayload:
    errors: Errors = strawberry.field(description="Problems; when any, nothing changed.")
    settings: SettingsType | None = strawberry.field(default=None, description="The settings.")


@strawberry.input(description="Days to compute again (after a weight change, late data).")
class ReputationRecomputeInput:
    from_: date = strawberry.field(name="from", description="First day.")
    to: date = strawberry.field(description="Last day (at most 400 days in all).")


@strawberry.type(description="The days computed again.")
class ReputationRecomputePayload:
    errors: Errors = strawberry.field(description="Problems; when any, nothing changed.")
    days: list[DayType] = strawberry.field(default_factory=list, description="Oldest first.")


@strawberry.type
class ReputationMutation(
    IngestionMutations, ComplaintMutations, ComplaintImportMutations, TopicMutations, BrandMutations
):
    @strawberry.mutation(permission_classes=[IsRiskManager], description="Add a mention source.")
    def mention_source_create(
        self,
        info: Info,
        input: Annotated[MentionSourceCreateInput, strawberry.argument(description="The source.")],
    ) -> MentionSourcePayload:
        return run(
            MentionSourcePayload,
            input,
            lambda: {
                "source": sources.source_create(
                    code=input.code,
                    name=input.name,
                    channel=input.channel.value,
                    url=input.url,
                    active=input.active,
                    actor=info.context.request.user,
                )
            },
        )

    @strawberry.mutation(permission_classes=[IsRiskManager], description="Change a source.")
    def mention_source_update(
        self,
        info: Info,
        input: Annotated[MentionSourceUpdateInput, strawberry.argument(description="The changes.")],
    ) -> MentionSourcePayload:
        return run(
            MentionSourcePayload,
            input,
            lambda: {
                "source": sources.source_update(
                    source_id=pk_or_nothing(input.id, "MentionSource", Source),
                    actor=info.context.request.user,
                    **sent(input, ("name", "channel", "url", "active")),
                )
            },
        )

    @strawberry.mutation(permission_classes=[IsRiskManager], description="Add a lexicon term.")
    def lexicon_term_create(
        self,
        info: Info,
        input: Annotated[LexiconTermCreateInput, strawberry.argument(description="The term.")],
    ) -> LexiconTermPayload:
        return run(
            LexiconTermPayload,
            input,
            lambda: {
                "term": lexicon.term_create(
                    term=input.term,
                    weight=input.weight,
                    active=input.active,
                    actor=info.context.request.user,
                )
            },
        )

    @strawberry.mutation(permission_classes=[IsRiskManager], description="Change a term.")
    def lexicon_term_update(
        self,
        info: Info,
        input: Annotated[LexiconTermUpdateInput, strawberry.argument(description="The changes.")],
    ) -> LexiconTermPayload:
        return run(
            LexiconTermPayload,
            input,
            lambda: {
                "term": lexicon.term_update(
                    term_id=pk_or_nothing(input.id, "SentimentLexiconTerm", LexiconTerm),
                    actor=info.context.request.user,
                    **sent(input, ("term", "weight", "active")),
                )
            },
        )

    @strawberry.mutation(permission_classes=[IsRiskManager], description="Scorers and weights.")
    def reputation_settings_update(
        self,
        info: Info,
        input: Annotated[
            ReputationSettingsUpdateInput, strawberry.argument(description="The changes.")
        ],
    ) -> ReputationSettingsPayload:
        names = (
            "scorer_zh",
            "scorer_en",
            "weight_sentiment",
            "weight_negative_share",
            "weight_complaints",
            "weight_brand",
            "complaint_capacity",
        )
        return run(
            ReputationSettingsPayload,
            input,
            lambda: {
                "settings": settings_type(
                    lexicon.settings_update(actor=info.context.request.user, **sent(input, names))
                )
            },
        )

    @strawberry.mutation(
        permission_classes=[IsRiskManager],
        description="Compute days again with today's weights; their observations are replaced.",
    )
    def reputation_recompute(
        self,
        input: Annotated[ReputationRecomputeInput, strawberry.argument(description="The days.")],
    ) -> ReputationRecomputePayload:
        from apps.reputation import selectors
        from apps.reputation.graphql.queries import _day

        def call() -> dict:
            start, end = index.days_recompute(start=input.from_, end=input.to)
            return {"days": [_day(row) for row in selectors.days(start, end)]}

        return run(ReputationRecomputePayload, input, call, fields={"start": "from", "end": "to"})
