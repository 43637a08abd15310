"""Job lifecycle: every long-running operation is a row a frontend can poll.

Status moves only forward (queued → running → succeeded | failed); a retried task may move a
job from running back to running (a new attempt), never out of a finished state.
"""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.core import live
from apps.core.errors import CoreErrorCode
from apps.core.lifecycle import Lifecycle, live_topic, transition
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


def job_create(
    *, kind: str, created_by=None, input: dict | None = None, checkpoint: dict | None = None
) -> Job:
    """A queued job; `checkpoint` carries over what a lost job's committed work had done (the
    sweep's re-run), so the new job resumes there and its result counts the whole work."""
    job = Job(kind=kind, created_by=created_by, input=input or {}, checkpoint=checkpoint or {})
    job.full_clean()
    job.save()
    return job


@transaction.atomic
def job_start(
    *, job_id, worker: str = "", unless: Callable[[Job], bool] | None = None
) -> Job | None:
    """A new attempt of the job by `worker`; None (nothing changed) when `unless(job)` says,
    under the row lock, that this attempt must not start (another one is alive)."""
    job = Job.objects.select_for_update().get(pk=job_id)
    if unless and unless(job):
        return None
    now = timezone.now()
    transition(
        job,
        JobStatus.RUNNING,
        now=now,
        changes={
            "started_at": job.started_at or now,
            "attempts": job.attempts + 1,
            "worker": worker,
        },
    )
    return job


def job_checkpoint(*, job_id, checkpoint: dict[str, Any]) -> None:
    """Record what the work has committed so far; call it inside the transaction that commits
    that work (a plain UPDATE, like progress), so the two are never out of step."""
    Job.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(
        checkpoint=checkpoint, heartbeat_at=timezone.now()
    )


def job_progress(*, job_id, progress: int) -> None:
    # A plain UPDATE: progress ticks are frequent and need no row lock or audit.
    now = timezone.now()
    moved = Job.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(
        progress=max(0, min(100, progress)), updated_at=now, heartbeat_at=now
    )
    if moved:  # status changes reach subscribers through the lifecycle; ticks from here
        live.publish(live_topic(Job), {"id": str(job_id), "kind": "progress"})


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


def jobs_fail_stale(*, older_than, heartbeat_older_than=None) -> int:
    """Mark jobs failed whose worker vanished or whose message never ran.

    Running: silent (no heartbeat) for `heartbeat_older_than`, or, for a job that never beat,
    not updated for `older_than`. Queued: waiting for `older_than` (a lost message). Returns how
    many; `jobs_lost` below also tells which, for a re-run.
    """
    return len(jobs_lost(older_than=older_than, heartbeat_older_than=heartbeat_older_than))


def stale_filter(*, older_than, heartbeat_older_than=None) -> Q:
    """Queued or running jobs that no worker will finish (see jobs_fail_stale)."""
    now = timezone.now()
    running = Q(status=JobStatus.RUNNING) & (
        Q(heartbeat_at__isnull=True, updated_at__lt=now - older_than)
        | (
            Q(heartbeat_at__lt=now - heartbeat_older_than)
            if heartbeat_older_than is not None
            else Q(heartbeat_at__lt=now - older_than)
        )
    )
    queued = Q(status=JobStatus.QUEUED, created_at__lt=now - older_than)
    return running | queued


def jobs_active(**kinds_and_filters) -> Any:
    """Queued or running jobs that are not stale: "is one already on its way?" must not be
    answered yes forever by a job whose worker died (the tick would never start another)."""
    from django.conf import settings

    stale = stale_filter(
        older_than=settings.FENGKONG_JOB_STALE_AFTER,
        heartbeat_older_than=timedelta(seconds=settings.FENGKONG_JOB_HEARTBEAT_STALE_SECONDS),
    )
    return Job.objects.filter(
        status__in=[JobStatus.QUEUED, JobStatus.RUNNING], **kinds_and_filters
    ).exclude(stale)


def jobs_lost(*, older_than, heartbeat_older_than=None) -> list[Job]:
    """Fail the stale jobs (see jobs_fail_stale), through the lifecycle, and return them with
    their input and `was_running` (so an idempotent one that was running can be run again)."""
    with transaction.atomic():
        lost = list(
            Job.objects.select_for_update(skip_locked=True).filter(
                stale_filter(older_than=older_than, heartbeat_older_than=heartbeat_older_than)
            )
        )
        now = timezone.now()
        for job in lost:
            was_running = job.status == JobStatus.RUNNING
            kept_input = dict(job.input)
            transition(
                job,
                JobStatus.FAILED,
                now=now,
                changes={
                    "finished_at": now,
                    # what it had done (its committed counters); a re-run goes on from there
                    "result": job.checkpoint.get("totals", job.result),
                    "input": {},  # as job_fail does; the copy returned keeps it for a re-run
                    "error": "The worker running this job stopped answering."
                    if was_running
                    else "This job was never started by a worker.",
                },
            )
            job.input, job.was_running = kept_input, was_running
    return lost


def job_heartbeat(*, job_id) -> None:
    """The worker is alive and on this job (a plain UPDATE, like progress)."""
    Job.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(heartbeat_at=timezone.now())


def jobs_unsent(*, older_than: timedelta) -> list[Job]:
    """Queued jobs whose message the broker never accepted (the outbox), for the sweep to send.
    `older_than` leaves the commit hook of a request in flight the time to send it itself."""
    return list(
        Job.objects.filter(
            status=JobStatus.QUEUED,
            enqueued_at__isnull=True,
            created_at__lt=timezone.now() - older_than,
        ).exclude(task_name="")[:100]
    )


DIAGNOSTICS_TASK = "core.run_diagnostics"


@transaction.atomic
def diagnostics_request(*, actor=None) -> Job:
    """A job a worker answers to prove it serves this tenant; sent after commit."""
    job = job_create(kind=JOB_DIAGNOSTICS, created_by=actor)
    enqueue_task_on_commit(DIAGNOSTICS_TASK, str(job.pk))
    return job
