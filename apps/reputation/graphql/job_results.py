"""The result type of the sentiment scoring job (declared in apps/reputation/module.py)."""

from typing import Self

import strawberry

from apps.core.graphql.job_results import JobResultType, count, stored_row_errors
from apps.core.models import Job
from apps.reputation.errors import ReputationErrorCode
from apps.reputation.graphql.complaint_import import ReputationImportErrorType


@strawberry.type(name="ScorerCount", description="How many mentions one scorer scored.")
class ScorerCount:
    scorer: str = strawberry.field(description="The scorer's registered name.")
    count: int = strawberry.field(description="Mentions it scored in this job.")


@strawberry.type(
    name="SentimentScoringResult",
    description="What a scoring job did: the mentions scored, by which scorers, and the days "
    "whose reputation figures it refreshed.",
)
class SentimentScoringResult(JobResultType):
    scored: int = strawberry.field(description="Mentions scored.")
    by_scorer: list[ScorerCount] = strawberry.field(
        description="Mentions scored per scorer, by scorer name."
    )
    days: int = strawberry.field(description="Days whose figures were refreshed.")

    @classmethod
    def from_job(cls, job: Job) -> Self:
        r = job.result
        per_scorer = r.get("by_scorer") or {}
        return cls(
            scored=count(r, "scored"),
            by_scorer=[ScorerCount(scorer=k, count=v) for k, v in sorted(per_scorer.items())],
            days=count(r, "days"),
        )


@strawberry.type(
    name="TopicTaggingResult",
    description="What a topic's re-tag job did (after its keywords changed): tags removed and "
    "added, and the days whose per-topic figures were computed again.",
)
class TopicTaggingResult(JobResultType):
    tagged: int = strawberry.field(description="Mentions tagged with the topic now.")
    removed: int = strawberry.field(description="Tags the topic had before (all replaced).")
    days: int = strawberry.field(description="Days whose figures were refreshed.")

    @classmethod
    def from_job(cls, job: Job) -> Self:
        r = job.result
        return cls(tagged=count(r, "tagged"), removed=count(r, "removed"), days=count(r, "days"))


@strawberry.type(
    name="ComplaintImportJobResult",
    description="What a background complaints import did, or, when it failed, every problem "
    "of the file (then nothing was written).",
)
class ComplaintImportJobResult(JobResultType):
    created: int = strawberry.field(description="Complaints recorded.")
    unchanged: int = strawberry.field(description="Rows whose reference was recorded already.")
    errors: list[ReputationImportErrorType] = strawberry.field(
        description="Every problem of the file, in row order; empty when it was imported."
    )

    @classmethod
    def from_job(cls, job: Job) -> Self:
        r = job.result
        return cls(
            created=count(r, "created"),
            unchanged=count(r, "unchanged"),
            errors=stored_row_errors(ReputationImportErrorType, ReputationErrorCode, job),
        )
