"""The result types of the assessment jobs (declared in apps/assessments/module.py)."""

from typing import Self, cast

import strawberry
from strawberry.types import Info

from apps.assessments.graphql.errors import AssessmentErrorCode, AssessmentImportError
from apps.assessments.graphql.types import DatasetVersionType, RunType
from apps.core.graphql.job_results import JobResultType, count, stored_row_errors
from apps.core.models import Job


@strawberry.type(
    name="AssessmentRunResult",
    description="What a run's job stored: the run (its figures are on it) and how much it wrote.",
)
class AssessmentRunResult(JobResultType):
    run_id: strawberry.Private[str | None]
    figures: int = strawberry.field(description="Figures the run computed.")
    points: int = strawberry.field(description="Indicator points it published.")
    cancelled: bool = strawberry.field(description="The run was cancelled before it finished.")

    @strawberry.field(description="The run; null when you may not read it.")
    def run(self, info: Info) -> RunType | None:
        if self.run_id is None:
            return None
        return cast("RunType | None", RunType.resolve_node(self.run_id, info=info))  # sync view

    @classmethod
    def from_job(cls, job: Job) -> Self:
        r = job.result
        return cls(
            run_id=r.get("run") or (job.input or {}).get("run"),
            figures=count(r, "figures"),
            points=count(r, "points"),
            cancelled=bool(r.get("cancelled")),
        )


@strawberry.type(
    name="DatasetUploadResult",
    description="What a background dataset upload did: the version stored, or, when it was "
    "rejected, every problem of the file.",
)
class DatasetUploadResult(JobResultType):
    version_id: strawberry.Private[str | None]
    rows: int = strawberry.field(description="Rows stored (0 when rejected).")
    errors: list[AssessmentImportError] = strawberry.field(  # type: ignore[valid-type]
        description="Every problem of the file, in row order; empty when it was stored."
    )

    @strawberry.field(description="The dataset version; null when you may not read it.")
    def version(self, info: Info) -> DatasetVersionType | None:
        if self.version_id is None:
            return None
        version = DatasetVersionType.resolve_node(self.version_id, info=info)
        return cast("DatasetVersionType | None", version)  # the sync view: never awaitable

    @classmethod
    def from_job(cls, job: Job) -> Self:
        r = job.result
        return cls(
            version_id=r.get("version"),
            rows=count(r, "rows"),
            errors=stored_row_errors(AssessmentImportError, AssessmentErrorCode, job),
        )
