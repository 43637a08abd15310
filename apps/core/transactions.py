"""Background work is sent only once the data it reads is committed."""

import inspect
import logging
from functools import partial

from django.db import transaction

from apps.core.errors import Refusal

log = logging.getLogger(__name__)


def enqueue_on_commit(task, *args, **kwargs) -> None:
    # The schema is read when the message is sent: still the tenant's, inside the request.
    transaction.on_commit(partial(send_now, task, *args, **kwargs))


def enqueue_task_on_commit(name: str, *args, **kwargs) -> None:
    """Send the task registered under `name` after commit, through the same outbox: a service
    names its task and need not import the tasks module (which imports the services). Every
    app's tasks are registered in every process (apps.core.modules.ModuleConfig)."""
    transaction.on_commit(partial(_send_by_name, name, *args, **kwargs))


def _send_by_name(name: str, *args, **kwargs) -> None:
    from config.celery import app as celery_app

    send_now(celery_app.tasks[name], *args, **kwargs)


# --- the outbox: a refused publish is an answer, and a job's message is sent again later -------
# Decision (docs/decisions.md): the job row (and the data it works on) stays committed; the job
# waits QUEUED with `enqueued_at` null, and the tick's sweep (apps.core.services.jobs_unsent)
# sends it once the broker is back. The caller gets BROKER_UNAVAILABLE at once, not a hang.


class BrokerUnavailable(Refusal):
    """The broker refused the message: the work is saved and will be sent later."""

    CODE = "BROKER_UNAVAILABLE"

    def __init__(self, task_name: str, job_id: str | None = None) -> None:
        later = f"job {job_id} will start" if job_id else "the work will be sent"
        super().__init__(
            "The background service is unavailable: what this request saved is kept, and "
            f"{later} when it is back.",
            self.CODE,
            jobId=job_id,
        )


def takes_a_job(task) -> bool:
    """Job tasks take the job's id first (`def run_x(self, job_id)`): those have an outbox row."""
    params = [p for p in inspect.signature(task.run).parameters if p != "self"]
    return bool(params) and params[0] == "job_id"


def send_now(task, *args, **kwargs) -> None:
    """Publish now (short timeouts, see the CELERY_ settings); record it on the job's row. A
    refusal raises BrokerUnavailable, a coded GraphQL error, after recording the task's name."""
    from apps.core.models import Job

    job_id = str(args[0]) if args and takes_a_job(task) else None
    try:
        task.apply_async(args=args, kwargs=kwargs)
    except Exception as exc:  # kombu raises OperationalError / ConnectionError / TimeoutError
        log.warning("could not send %s (%s): %s", task.name, job_id or "no job", exc)
        if job_id:
            Job.objects.filter(pk=job_id).update(task_name=task.name)
        raise BrokerUnavailable(task.name, job_id) from exc
    if job_id:
        from django.utils import timezone

        Job.objects.filter(pk=job_id).update(task_name=task.name, enqueued_at=timezone.now())
