"""Background work is sent only once the data it reads is committed."""

from functools import partial

from django.db import transaction


def enqueue_on_commit(task, *args, **kwargs) -> None:
    # The schema is read when the message is sent: still the tenant's, inside the request.
    transaction.on_commit(partial(task.apply_async, args=args, kwargs=kwargs))
