"""Typed job results: what each job kind's `Job.result` is, and core's own kind.

A module declares its kinds' result types in its manifest (`job_results={kind:
"apps.<app>.graphql.job_results:<Type>"}`, apps/core/modules.py). Each type is a strawberry
object type deriving from `JobResultType`; its `from_job(job)` reads the stored summary
(`Job.result`, the dict the job's work returned, or the one it was rejected with). The union
of them all is composed in `apps/core/graphql/job_result_union.py`, when the schema is built.
"""

import datetime as dt
from enum import Enum
from typing import Any, Self

import strawberry
from django.utils.dateparse import parse_datetime

from apps.core.graphql.uploads import row_errors
from apps.core.models import Job
from apps.core.tabular import RowError


class JobResultType:
    """Base of a job kind's result type (a plain class: strawberry sees only its subclasses)."""

    @classmethod
    def from_job(cls, job: Job) -> Self:
        """The result of a finished (or failed) job, from `job.result`."""
        raise NotImplementedError(f"{cls.__name__} must define from_job")


def count(result: dict[str, Any], key: str) -> int:
    """A counter of a stored summary; 0 when absent (a rejected job stored none)."""
    value = result.get(key)
    return value if isinstance(value, int) else 0


@strawberry.type(
    name="DiagnosticsResult",
    description="What a diagnostics job found: which worker ran it, in which schema, when.",
)
class DiagnosticsResult(JobResultType):
    schema: str = strawberry.field(description="The database schema the worker ran it in.")
    worker: str = strawberry.field(description="The host name of the worker that ran it.")
    task_id: str | None = strawberry.field(description="The Celery task id of the run.")
    checked_at: dt.datetime | None = strawberry.field(description="When the worker ran it.")

    @classmethod
    def from_job(cls, job: Job) -> Self:
        stored = job.result
        checked = stored.get("checked_at")
        return cls(
            schema=stored.get("schema", ""),
            worker=stored.get("worker", ""),
            task_id=stored.get("task_id"),
            checked_at=parse_datetime(checked) if checked else None,
        )


def stored_row_errors(error_type: type, codes: type[Enum], job: Job) -> list[Any]:
    """The file's problems a rejected import job stored (`{"errors": [RowError as dict]}`), as
    the app's `<App>ImportError`s; `field` is null (a job keeps no record of the input used)."""
    stored = [RowError(**e) for e in job.result.get("errors", [])]
    return row_errors(error_type, codes, stored, field=None)
