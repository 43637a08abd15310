"""The result type of the sentiment scoring job (declared in apps/reputation/module.py)."""

from typing import Self

import strawberry

from apps.core.graphql.job_results import JobResultType, count
from apps.core.models import Job


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
