"""Mentions in (objects, compact rows or CSV; at most 10,000 a call) and re-scoring."""

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.scalars import JSON
from strawberry.types import Info

from apps.core.graphql.errors import UserError
from apps.core.graphql.permissions import IsAnalyst, IsRiskManager
from apps.core.graphql.resolvers import run_service
from apps.core.graphql.scalars import BigInt
from apps.core.graphql.types import JobType
from apps.reputation.graphql.errors import ReputationError, ReputationErrorCode
from apps.reputation.graphql.types import LanguageEnum, MentionType, SentimentLabelEnum
from apps.reputation.services import ingestion, mention_formats
from apps.reputation.services.ingestion import IngestRejected, MentionIn


@strawberry.input(description="One mention.")
class MentionInput:
    source: str = strawberry.field(description="The MentionSource's code.")
    external_id: str = strawberry.field(
        description="Its id on the channel (with the source, the key: sent again, it updates)."
    )
    published_at: datetime = strawberry.field(description="When published.")
    text: str = strawberry.field(description="The text (at most 10,000 characters).")
    author: str = strawberry.field(default="", description="Author's name or handle.")
    reach: BigInt = strawberry.field(default=0, description="The author's followers or audience.")
    likes: BigInt = strawberry.field(default=0, description="Likes now.")
    shares: BigInt = strawberry.field(default=0, description="Shares or reposts now.")
    comments: BigInt = strawberry.field(default=0, description="Comments now.")
    views: BigInt = strawberry.field(default=0, description="Views now.")
    url: str = strawberry.field(default="", description="Link.")
    language: LanguageEnum | None = strawberry.field(
        default=None, description="Null: detected from the text."
    )


@strawberry.input(description="Mentions to store (upserted; all or none).")
class MentionsIngestInput:
    mentions: list[MentionInput] = strawberry.field(description="At most 10,000.")


@strawberry.input(description="Mentions as compact JSON rows (for large batches).")
class MentionsIngestRowsInput:
    rows: JSON = strawberry.field(
        description='[["weibo_brand", "5012345", "2026-11-30T08:00:00Z", "提现 pending 3天了", '
        '"user", 1200, 3, 1, 0, 0, "https://…", "zh"], …]: source, externalId, publishedAt, '
        "text, then optional author, reach, likes, shares, comments, views, url, language. "
        "At most 10,000."
    )


@strawberry.input(description="Mentions as CSV text.")
class MentionsIngestCsvInput:
    csv: str = strawberry.field(
        description="Header names the columns: source, external_id, published_at, text; "
        "optional author, reach, likes, shares, comments, views, url, language."
    )


@strawberry.type(name="MentionIngestError", description="A refused mention of an ingestion.")
class MentionIngestErrorType(UserError):
    index: int = strawberry.field(
        description="Position of the mention (CSV: the row, header = 1; 0: the whole call)."
    )
    code: ReputationErrorCode = strawberry.field(description="Stable machine-readable code.")


@strawberry.type(description="What an ingestion stored, or every problem of it.")
class MentionsIngestPayload:
    errors: list[MentionIngestErrorType] = strawberry.field(
        description="Every problem; when any, nothing was stored."
    )
    created_count: int = strawberry.field(default=0, description="New mentions.")
    updated_count: int = strawberry.field(
        default=0, description="Mentions sent before: counts updated."
    )
    story_count: int = strawberry.field(default=0, description="Stories the call touched.")
    scoring: JobType | None = strawberry.field(
        default=None,
        description="The scoring job that will score the new mentions and recompute the days "
        "touched; null when nothing is new and no reach changed.",
    )


@strawberry.input(description="An analyst's sentiment label for a mention.")
class MentionLabelInput:
    id: relay.GlobalID = strawberry.field(description="The Mention.")
    label: SentimentLabelEnum | None = strawberry.field(description="The label; null clears it.")


@strawberry.type(description="The labelled mention, or why not.")
class MentionLabelPayload:
    errors: list[ReputationError] = strawberry.field(  # type: ignore[valid-type]
        description="Problems; when any, nothing changed."
    )
    mention: MentionType | None = strawberry.field(default=None, description="The mention.")


@strawberry.type(description="The re-scoring job.")
class MentionsRescorePayload:
    errors: list[ReputationError] = strawberry.field(description="Problems; none so far.")  # type: ignore[valid-type]
    job: JobType | None = strawberry.field(default=None, description="Poll it for progress.")


def _rejected(rejected: IngestRejected) -> MentionsIngestPayload:
    known = {c.value: c for c in ReputationErrorCode}
    return MentionsIngestPayload(
        errors=[
            MentionIngestErrorType(
                index=e.index,
                field=_camel(e.field),
                message=e.message,
                code=known.get(e.code, ReputationErrorCode.INVALID),
            )
            for e in rejected.errors
        ]
    )


def _camel(name: str | None) -> str | None:
    if not name:
        return None
    head, *rest = name.split("_")
    return head + "".join(p.title() for p in rest)


def _ingested(mentions: list[MentionIn], positions: list[int] | None, actor):
    try:
        done = ingestion.mentions_ingest(mentions, positions=positions, actor=actor)
    except IngestRejected as rejected:
        return _rejected(rejected)
    return MentionsIngestPayload(
        errors=[],
        created_count=done.created,
        updated_count=done.updated,
        story_count=done.stories,
        scoring=done.scoring_job,  # type: ignore[arg-type]
    )


@strawberry.type
class IngestionMutations:
    @strawberry.mutation(
        permission_classes=[IsAnalyst],
        description="Store mentions (idempotent on source + externalId; all or none); "
        "scoring follows as a job.",
    )
    def mentions_ingest(
        self,
        info: Info,
        input: Annotated[MentionsIngestInput, strawberry.argument(description="The mentions.")],
    ) -> MentionsIngestPayload:
        mentions = [
            MentionIn(
                source=m.source,
                external_id=m.external_id,
                published_at=m.published_at,
                text=m.text,
                author=m.author,
                reach=m.reach,
                likes=m.likes,
                shares=m.shares,
                comments=m.comments,
                views=m.views,
                url=m.url,
                language=m.language.value if m.language else "",
            )
            for m in input.mentions
        ]
        return _ingested(mentions, None, info.context.request.user)

    @strawberry.mutation(
        permission_classes=[IsAnalyst], description="The same, as compact JSON rows."
    )
    def mentions_ingest_rows(
        self,
        info: Info,
        input: Annotated[MentionsIngestRowsInput, strawberry.argument(description="The rows.")],
    ) -> MentionsIngestPayload:
        try:
            mentions = mention_formats.mentions_from_rows(input.rows)
        except IngestRejected as rejected:
            return _rejected(rejected)
        return _ingested(mentions, None, info.context.request.user)

    @strawberry.mutation(permission_classes=[IsAnalyst], description="The same, from CSV text.")
    def mentions_ingest_csv(
        self,
        info: Info,
        input: Annotated[MentionsIngestCsvInput, strawberry.argument(description="The CSV.")],
    ) -> MentionsIngestPayload:
        try:
            mentions, rows = mention_formats.mentions_from_csv(input.csv)
        except IngestRejected as rejected:
            return _rejected(rejected)
        return _ingested(mentions, rows, info.context.request.user)

    @strawberry.mutation(
        permission_classes=[IsAnalyst],
        description="Label a mention's sentiment by hand (kept through re-scoring; scorers are "
        "evaluated against these labels).",
    )
    def mention_label(
        self,
        info: Info,
        input: Annotated[MentionLabelInput, strawberry.argument(description="The label.")],
    ) -> MentionLabelPayload:
        from apps.core.graphql.ids import pk_or_nothing
        from apps.reputation.models import Mention
        from apps.reputation.services.labels import mention_label

        return run_service(
            MentionLabelPayload,
            ReputationError,
            ReputationErrorCode,
            lambda: {
                "mention": mention_label(
                    mention_id=pk_or_nothing(input.id, "Mention", Mention),
                    label=input.label.value if input.label else None,
                    actor=info.context.request.user,
                )
            },
            input=input,
        )

    @strawberry.mutation(
        permission_classes=[IsRiskManager],
        description="Score again every mention not scored by the current scorers and lexicon.",
    )
    def mentions_rescore(self, info: Info) -> MentionsRescorePayload:
        from apps.reputation.services.scoring import score_enqueue

        return run_service(
            MentionsRescorePayload,
            ReputationError,
            ReputationErrorCode,
            lambda: {
                "job": score_enqueue(
                    created_by=info.context.request.user, reason="requested", walk=True
                )
            },
        )
