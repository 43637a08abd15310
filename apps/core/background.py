"""The base of every task that touches tenant data, and the Job runner tasks share.

Tasks take ids, never objects; the tenant travels in the message (tenant-schemas-celery).
A task sent from `public` would run on the wrong data, so it refuses (DESIGN pitfall 10).
"""

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
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

    A redelivered message (acks_late after a lost worker) finds the job finished and does
    nothing. A transient error is retried with the job left running; the last attempt fails it.
    JobRejected fails the job with its result (e.g. every row error of a file), without retry.
    """
    job = Job.objects.get(pk=job_id)
    if job.status in (JobStatus.SUCCEEDED, JobStatus.FAILED):
        return {"status": job.status, "skipped": True}
    job = services.job_start(job_id=job_id)
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
