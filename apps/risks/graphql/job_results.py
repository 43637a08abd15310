"""The result types of the register's job kinds (declared in apps/risks/module.py)."""

from typing import Self

import strawberry

from apps.core.graphql.job_results import JobResultType, count, stored_row_errors
from apps.core.models import Job
from apps.risks.graphql.errors import RiskErrorCode
from apps.risks.graphql.mutations.transfer import RiskImportErrorType


@strawberry.type(
    name="RegisterDailyResult", description="What the register's daily run did, in counts."
)
class RegisterDailyResult(JobResultType):
    overdue_reviews: int = strawberry.field(
        description="Risks whose periodic review was past due (each owner notified)."
    )
    acceptances_expired: int = strawberry.field(
        description="Acceptances that expired today (their risks are open again)."
    )
    residual_proposals: int = strawberry.field(
        description="Risks given a new residual proposal from control changes."
    )

    @classmethod
    def from_job(cls, job: Job) -> Self:
        r = job.result
        return cls(
            overdue_reviews=count(r, "overdue_reviews"),
            acceptances_expired=count(r, "acceptances_expired"),
            residual_proposals=count(r, "residual_proposals"),
        )


@strawberry.type(
    name="RiskImportResult",
    description="What a background risk import did, or, when it failed, every problem of the "
    "file (then nothing was imported).",
)
class RiskImportResult(JobResultType):
    created: int = strawberry.field(description="Risks created.")
    updated: int = strawberry.field(description="Risks updated (rows naming an existing id).")
    errors: list[RiskImportErrorType] = strawberry.field(
        description="Every problem of the file, in row order; empty when it was imported."
    )

    @classmethod
    def from_job(cls, job: Job) -> Self:
        return cls(
            created=count(job.result, "created"),
            updated=count(job.result, "updated"),
            errors=stored_row_errors(RiskImportErrorType, RiskErrorCode, job),
        )
