"""A service sends its task by name (no import of the tasks module), after commit, and the message
carries the tenant's schema as one sent from the task object does."""

import base64
import json

import redis
from django.conf import settings
from django_tenants.utils import schema_context

from apps.core.transactions import enqueue_task_on_commit


def _queued() -> list[dict]:
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    messages = [json.loads(raw) for raw in broker.lrange(queue, 0, -1)]
    broker.delete(queue)  # the next test (a worker's) starts on an empty queue
    return messages


def test_a_task_sent_by_name_carries_the_schema_and_waits_for_commit(
    world, django_capture_on_commit_callbacks
):
    _queued()
    with schema_context(world.a.schema_name):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            enqueue_task_on_commit("early_warning.run_scan", "job-1")
        assert _queued() == []  # nothing before the commit
        for callback in callbacks:
            callback()
    (message,) = _queued()
    assert message["headers"]["task"] == "early_warning.run_scan"
    assert message["headers"]["_schema_name"] == world.a.schema_name
    assert json.loads(base64.b64decode(message["body"]))[0] == ["job-1"]
