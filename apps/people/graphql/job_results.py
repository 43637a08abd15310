"""The result type of the people import job (declared in apps/people/module.py)."""

from typing import Self

import strawberry

from apps.core.graphql.job_results import JobResultType, count, stored_row_errors
from apps.core.models import Job
from apps.people.graphql.errors import PeopleErrorCode
from apps.people.graphql.importing import PeopleImportErrorType


@strawberry.type(
    name="PeopleImportResult",
    description="What a background HR sync did, or, when it failed, every problem of the file "
    "(then nothing was written).",
)
class PeopleImportResult(JobResultType):
    created: int = strawberry.field(description="People added.")
    updated: int = strawberry.field(description="People whose details changed.")
    unchanged: int = strawberry.field(description="Rows that matched the directory already.")
    deactivated: int = strawberry.field(
        description="Active people not in the file, deactivated (only when asked to)."
    )
    errors: list[PeopleImportErrorType] = strawberry.field(
        description="Every problem of the file, in row order; empty when it was imported."
    )

    @classmethod
    def from_job(cls, job: Job) -> Self:
        r = job.result
        return cls(
            created=count(r, "created"),
            updated=count(r, "updated"),
            unchanged=count(r, "unchanged"),
            deactivated=count(r, "deactivated"),
            errors=stored_row_errors(PeopleImportErrorType, PeopleErrorCode, job),
        )
