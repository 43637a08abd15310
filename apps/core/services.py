"""Job lifecycle: every long-running operation is a row a frontend can poll.

Status moves only forward (queued → running → succeeded | failed); a retried task may move a
job from running back to running (a new attempt), never out of a finished state.
"""

from typing import Any

from django.db import transaction
from django.utils import timezone

from apps.core.errors import CoreErrorCode
from apps.core.lifecycle import Lifecycle, transition
from apps.core.models import Job, JobStatus
from apps.core.module import JOB_DIAGNOSTICS
from apps.core.transactions import enqueue_task_on_commit

JOB_LIFECYCLE = Lifecycle(
    model=Job,
    statuses=JobStatus,
    table={
        JobStatus.QUEUED: {JobStatus.RUNNING, JobStatus.FAILED},
        JobStatus.RUNNING: {JobStatus.RUNNING, JobStatus.SUCCEEDED, JobStatus.FAILED},
        JobStatus.SUCCEEDED: set(),
        JobStatus.FAILED: set(),
    },
    refusal_code=CoreErrorCode.INVALID_TRANSITION,
    field=None,  # no input names a job's status: the refusal is the whole call's
    noun="job",
)


def job_create(*, kind: str, created_by=None, input: dict | None = None) -> Job:
    job = Job(kind=kind, created_by=created_by, input=input or {})
    job.full_clean()
    job.save()
    return job


@transaction.atomic
def job_start(*, job_id) -> Job:
    job = Job.objects.select_for_update().get(pk=job_id)
    now = timezone.now()
    transition(
        job,
        JobStatus.RUNNING,
        now=now,
        changes={"started_at": job.started_at or now, "attempts": job.attempts + 1},
    )
    return job


def job_progress(*, job_id, progress: int) -> None:
    # A plain UPDATE: progress ticks are frequent and need no row lock or audit.
    Job.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(
        progress=max(0, min(100, progress)), updated_at=timezone.now()
    )


@transaction.atomic
def job_succeed(*, job_id, result: dict[str, Any] | None = None) -> Job:
    job = Job.objects.select_for_update().get(pk=job_id)
    now = timezone.now()
    transition(
        job,
        JobStatus.SUCCEEDED,
        now=now,
        # inputs (an uploaded file) are not kept once the work is done
        changes={"progress": 100, "result": result or {}, "finished_at": now, "input": {}},
    )
    return job


@transaction.atomic
def job_fail(*, job_id, error: str, result: dict[str, Any] | None = None) -> Job:
    job = Job.objects.select_for_update().get(pk=job_id)
    now = timezone.now()
    transition(
        job,
        JobStatus.FAILED,
        now=now,
        changes={
            "error": error[:4000],
            "result": result or job.result,
            "finished_at": now,
            "input": {},
        },
    )
    return job


@transaction.atomic
def jobs_fail_stale(*, older_than) -> int:
    """Mark jobs failed whose worker vanished (still running long past any sane duration)."""
    cutoff = timezone.now() - older_than
    stale = Job.objects.filter(status=JobStatus.RUNNING, updated_at__lt=cutoff)
    now, failed = timezone.now(), 0
    # Row by row through the lifecycle (few rows); a job a worker holds now is left to it.
    for job in stale.select_for_update(skip_locked=True):
        transition(
            job,
            JobStatus.FAILED,
            now=now,
            changes={"finished_at": now, "error": "The worker running this job stopped answering."},
        )
        failed += 1
    return failed


DIAGNOSTICS_TASK = "core.run_diagnostics"


@transaction.atomic
def diagnostics_request(*, actor=None) -> Job:
    """A job a worker answers to prove it serves this tenant; sent after commit."""
    job = job_create(kind=JOB_DIAGNOSTICS, created_by=actor)
    enqueue_task_on_commit(DIAGNOSTICS_TASK, str(job.pk))
    return job
