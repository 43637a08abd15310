"""Job lifecycle: every long-running operation is a row a frontend can poll.

Status moves only forward (queued → running → succeeded | failed); a retried task may move a
job from running back to running (a new attempt), never out of a finished state.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from apps.core.errors import CoreErrorCode
from apps.core.models import Job, JobStatus
from apps.core.module import JOB_DIAGNOSTICS
from apps.core.transactions import enqueue_task_on_commit

ALLOWED = {
    JobStatus.QUEUED: {JobStatus.RUNNING, JobStatus.FAILED},
    JobStatus.RUNNING: {JobStatus.RUNNING, JobStatus.SUCCEEDED, JobStatus.FAILED},
    JobStatus.SUCCEEDED: set(),
    JobStatus.FAILED: set(),
}


def job_create(*, kind: str, created_by=None, input: dict | None = None) -> Job:
    job = Job(kind=kind, created_by=created_by, input=input or {})
    job.full_clean()
    job.save()
    return job


def _transition(job: Job, to: str) -> None:
    if to not in ALLOWED[JobStatus(job.status)]:
        raise ValidationError(
            f"A {job.status} job cannot become {to}.", code=CoreErrorCode.INVALID_TRANSITION.value
        )
    job.status = to


@transaction.atomic
def job_start(*, job_id) -> Job:
    job = Job.objects.select_for_update().get(pk=job_id)
    _transition(job, JobStatus.RUNNING)
    job.started_at = job.started_at or timezone.now()
    job.attempts += 1
    job.save(update_fields=["status", "started_at", "attempts", "updated_at"])
    return job


def job_progress(*, job_id, progress: int) -> None:
    # A plain UPDATE: progress ticks are frequent and need no row lock or audit.
    Job.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(
        progress=max(0, min(100, progress)), updated_at=timezone.now()
    )


@transaction.atomic
def job_succeed(*, job_id, result: dict[str, Any] | None = None) -> Job:
    job = Job.objects.select_for_update().get(pk=job_id)
    _transition(job, JobStatus.SUCCEEDED)
    job.progress = 100
    job.result = result or {}
    job.finished_at = timezone.now()
    job.input = {}  # inputs (an uploaded file) are not kept once the work is done
    job.save(update_fields=["status", "progress", "result", "input", "finished_at", "updated_at"])
    return job


@transaction.atomic
def job_fail(*, job_id, error: str, result: dict[str, Any] | None = None) -> Job:
    job = Job.objects.select_for_update().get(pk=job_id)
    _transition(job, JobStatus.FAILED)
    job.error = error[:4000]
    job.result = result or job.result
    job.finished_at = timezone.now()
    job.input = {}
    job.save(update_fields=["status", "error", "result", "input", "finished_at", "updated_at"])
    return job


def jobs_fail_stale(*, older_than) -> int:
    """Mark jobs failed whose worker vanished (still running long past any sane duration)."""
    cutoff = timezone.now() - older_than
    stale = Job.objects.filter(status=JobStatus.RUNNING, updated_at__lt=cutoff)
    return stale.update(
        status=JobStatus.FAILED,
        finished_at=timezone.now(),
        error="The worker running this job stopped answering.",
    )


DIAGNOSTICS_TASK = "core.run_diagnostics"


@transaction.atomic
def diagnostics_request(*, actor=None) -> Job:
    """A job a worker answers to prove it serves this tenant; sent after commit."""
    job = job_create(kind=JOB_DIAGNOSTICS, created_by=actor)
    enqueue_task_on_commit(DIAGNOSTICS_TASK, str(job.pk))
    return job
