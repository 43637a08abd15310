"""The result type of the warning-signal scan job (declared in apps/early_warning/module.py)."""

from typing import Self

import strawberry

from apps.core.graphql.job_results import JobResultType, count
from apps.core.models import Job


@strawberry.type(
    name="WarningScanResult",
    description="What a scan did, in counts over the whole scan (a resumed scan counts the "
    "attempts before it too; a lost one, what it had committed).",
)
class WarningScanResult(JobResultType):
    indicators: int = strawberry.field(description="Indicators scanned.")
    raised: int = strawberry.field(description="Signals raised.")
    updated: int = strawberry.field(description="Open signals updated (e.g. worsened).")
    resolved: int = strawberry.field(description="Signals resolved (the value was back in range).")
    escalated: int = strawberry.field(description="Overdue signals escalated.")

    @classmethod
    def from_job(cls, job: Job) -> Self:
        r = job.result
        return cls(
            indicators=count(r, "indicators"),
            raised=count(r, "raised"),
            updated=count(r, "updated"),
            resolved=count(r, "resolved"),
            escalated=count(r, "escalated"),
        )
