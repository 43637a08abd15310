"""The result type of the training records import job (declared in apps/training/module.py)."""

from typing import Self

import strawberry

from apps.core.graphql.job_results import JobResultType, count, stored_row_errors
from apps.core.models import Job
from apps.training.graphql.errors import TrainingErrorCode
from apps.training.graphql.importing import TrainingImportErrorType


@strawberry.type(
    name="TrainingImportResult",
    description="What a background training records import did, or, when it failed, every "
    "problem of the file (then nothing was written).",
)
class TrainingImportResult(JobResultType):
    created: int = strawberry.field(description="Training records added.")
    updated: int = strawberry.field(description="Records whose details changed.")
    unchanged: int = strawberry.field(description="Rows that matched a record already.")
    errors: list[TrainingImportErrorType] = strawberry.field(
        description="Every problem of the file, in row order; empty when it was imported."
    )

    @classmethod
    def from_job(cls, job: Job) -> Self:
        r = job.result
        return cls(
            created=count(r, "created"),
            updated=count(r, "updated"),
            unchanged=count(r, "unchanged"),
            errors=stored_row_errors(TrainingImportErrorType, TrainingErrorCode, job),
        )
