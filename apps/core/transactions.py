"""Background work is sent only once the data it reads is committed."""

from functools import partial

from django.db import transaction

from config.celery import app as celery_app


def enqueue_on_commit(task, *args, **kwargs) -> None:
    # The schema is read when the message is sent: still the tenant's, inside the request.
    transaction.on_commit(partial(task.apply_async, args=args, kwargs=kwargs))


def enqueue_task_on_commit(name: str, *args, **kwargs) -> None:
    """Send the task registered under `name` after commit: a service names its task and need not
    import the tasks module (which imports the services). tenant-schemas-celery's
    `CeleryApp.send_task` puts the current schema in the message headers, as `apply_async` does."""
    transaction.on_commit(partial(celery_app.send_task, name, args=args, kwargs=kwargs))
