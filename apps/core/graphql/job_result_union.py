"""The `JobResult` union: every job kind's result type, as the module manifests declare them.

Built when the schema is built (`Job.result` refers to it lazily): the manifests name types in
each app's GraphQL layer, which core must not import at its own import time (and whose
modules import `JobType` themselves).
"""

from functools import cache
from typing import TYPE_CHECKING, Annotated, Any, TypeAlias, Union

import strawberry

from apps.core import modules
from apps.core.graphql.job_results import JobResultType
from apps.core.models import Job


@cache
def result_types() -> dict[str, Any]:
    """kind → its result type (every registered kind has one: Module.problems)."""
    return modules.job_result_types()


def result_of(job: Job) -> Any:
    """The typed result of a job; None while it has stored none (queued, running, or failed
    before it could say anything)."""
    if not job.result:
        return None
    result_type = result_types().get(job.kind)
    return None if result_type is None else result_type.from_job(job)


if TYPE_CHECKING:  # its members are known when the manifests are: the checker sees the base
    JobResult: TypeAlias = JobResultType
else:
    _types = tuple(dict.fromkeys(result_types().values()))
    JobResult = Annotated[
        Union[_types],  # noqa: UP007 (a Union built from a tuple has no `|` spelling)
        strawberry.union(
            "JobResult",
            description="What a finished job produced; one type per job kind (`Job.kind`). "
            "Query it with a fragment per kind you read: `result { ... on PeopleImportResult "
            "{ created errors { row message } } }`.",
        ),
    ]
