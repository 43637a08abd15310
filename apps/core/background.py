"""The base of every task that touches tenant data, and the Job runner tasks share.

Tasks take ids, never objects; the tenant travels in the message (tenant-schemas-celery).
A task sent from `public` would run on the wrong data, so it refuses (DESIGN pitfall 10).
"""

import logging
import os
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.utils import timezone
from django_tenants.utils import get_public_schema_name
from tenant_schemas_celery.task import TenantTask

from apps.core import services
from apps.core.audit import acting_as
from apps.core.models import Job, JobStatus

log = logging.getLogger(__name__)

# Failures worth retrying: the database or broker went away for a moment.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, ConnectionError)


class JobRejected(Exception):
    """The work refuses its input (not a crash): the job fails with `result`, and no retry."""

    def __init__(self, message: str, result: dict[str, Any]) -> None:
        super().__init__(message)
        self.result = result


class TenantRequired(RuntimeError):
    """Raised when a tenant task runs in the public schema."""


class TenantOnlyTask(TenantTask):
    abstract = True
    autoretry_for = TRANSIENT_ERRORS
    retry_backoff = 2
    retry_backoff_max = 300
    retry_jitter = True
    max_retries = 5

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if connection.schema_name == get_public_schema_name():
            raise TenantRequired(
                f"{self.name} works on tenant data and refuses to run in the public schema."
            )
        return super().__call__(*args, **kwargs)


def run_job(task: TenantOnlyTask, job_id: str, work: Callable[[Job], dict[str, Any]]) -> dict:
    """Run `work` as job `job_id`: start, then succeed with its result or fail with its error.

    A message delivered again (acks_late) does nothing when the job is finished, or when a live
    worker is running it (beating, process alive); otherwise — a lost prefork child's requeued
    message, a stale job — it is a new attempt, which the work resumes from `job.checkpoint`.
    A transient error is retried with the job left running; the last attempt fails it.
    JobRejected fails the job with its result (e.g. every row error of a file), without retry.
    """
    job = Job.objects.get(pk=job_id)
    if job.status in (JobStatus.SUCCEEDED, JobStatus.FAILED):
        return {"status": job.status, "skipped": True}
    retry = task.request.retries or 0
    started = services.job_start(
        job_id=job_id,
        worker=worker_identity(retry),
        # The broker delivered the message again (its visibility timeout) while the worker that
        # has it is alive: that worker finishes the job, this copy does nothing.
        unless=lambda locked: _finished(locked) or _attempt_alive(locked, retry),
    )
    if started is None:
        return {"status": job.status, "skipped": True}
    job = started
    services.job_heartbeat(job_id=job_id)
    # Every audit entry the work writes names this job (and whoever asked for it).
    system = f"system: {getattr(task, 'name', None) or job.kind} job {job.pk}"
    try:
        with heartbeat(job_id), acting_as(system=system, user=job.created_by, cid=str(job.pk)):
            result = work(job)
    except JobRejected as rejected:
        services.job_fail(job_id=job_id, error=str(rejected), result=rejected.result)
        return {"status": JobStatus.FAILED, **rejected.result}
    except TRANSIENT_ERRORS:
        if task.request.retries < task.max_retries:
            raise
        services.job_fail(job_id=job_id, error="Gave up after repeated transient errors.")
        raise
    except Exception as exc:
        services.job_fail(job_id=job_id, error=f"{type(exc).__name__}: {exc}")
        raise
    services.job_succeed(job_id=job_id, result=result)
    return {"status": JobStatus.SUCCEEDED, **result}


def worker_identity(retry: int = 0) -> str:
    """This process and the task's retry number, as Job.worker records the running attempt."""
    return f"{socket.gethostname()}:{os.getpid()}:{retry}"


def _finished(job: Job) -> bool:
    return job.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)


def _attempt_alive(job: Job, retry: int) -> bool:
    """Is the attempt recorded on a running job still going? Not when its heartbeat is stale,
    its process (on this host) is gone — a prefork child killed, whose message Celery requeues
    at once (reject_on_worker_lost) —, or this message is the task's own later retry."""
    stale_after = timedelta(seconds=settings.FENGKONG_JOB_HEARTBEAT_STALE_SECONDS)
    if job.status != JobStatus.RUNNING or job.heartbeat_at is None:
        return False
    if job.heartbeat_at < timezone.now() - stale_after:
        return False
    host, _, rest = job.worker.partition(":")
    pid, _, recorded_retry = rest.partition(":")
    if not pid.isdigit() or retry > int(recorded_retry or 0):
        return False
    if host != socket.gethostname():
        return True  # another machine's worker, beating: it has the job
    return _process_alive(int(pid))


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A killed prefork child stays a zombie until the pool reaps it: that is not alive.
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rpartition(")")[2].split()[0] != "Z"
    except OSError:
        return True


@contextmanager
def heartbeat(job_id: str) -> Iterator[None]:
    """Beat for the job every FENGKONG_JOB_HEARTBEAT_SECONDS while the work runs, from a thread
    with its own connection: a long step without progress must not look like a dead worker, and
    a killed worker stops beating (the tick's sweep then fails the job, and re-runs a scan)."""
    stop = threading.Event()
    schema_name = connection.schema_name

    def beat() -> None:
        from django.db import connection as own  # this thread's connection

        try:
            own.set_schema(schema_name)
            while not stop.wait(settings.FENGKONG_JOB_HEARTBEAT_SECONDS):
                try:
                    services.job_heartbeat(job_id=job_id)
                except TRANSIENT_ERRORS:
                    log.warning("heartbeat of job %s failed", job_id)
        finally:
            own.close()

    thread = threading.Thread(target=beat, name=f"heartbeat-{job_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)
