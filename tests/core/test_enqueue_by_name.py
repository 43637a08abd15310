"""A service sends its task by name (no import of the tasks module), after commit, and the message
carries the tenant's schema as one sent from the task object does."""

import base64
import json
import uuid

import redis
from django.conf import settings
from django_tenants.utils import schema_context

from apps.core.transactions import enqueue_task_on_commit
from tests.kit.worker import all_queues

JOB_ID = str(uuid.uuid4())  # no such job: sending records nothing on a row


def _queued() -> list[dict]:
    """Every message waiting on this run's queues (tasks are routed to queues by kind)."""
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    messages = []
    for queue in all_queues():
        messages += [json.loads(raw) for raw in broker.lrange(queue, 0, -1)]
        broker.delete(queue)  # the next test (a worker's) starts on an empty queue
    return messages


def test_a_task_sent_by_name_carries_the_schema_and_waits_for_commit(
    world, django_capture_on_commit_callbacks
):
    _queued()
    with schema_context(world.a.schema_name):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            enqueue_task_on_commit("early_warning.run_scan", JOB_ID)
        assert _queued() == []  # nothing before the commit
        for callback in callbacks:
            callback()
    (message,) = _queued()
    assert message["headers"]["task"] == "early_warning.run_scan"
    assert message["headers"]["_schema_name"] == world.a.schema_name
    assert json.loads(base64.b64decode(message["body"]))[0] == [JOB_ID]


def test_every_name_a_service_sends_is_a_registered_task():
    from apps.core.services import DIAGNOSTICS_TASK
    from apps.early_warning.services.jobs import RUN_SCAN
    from apps.notifications.services import DELIVER_TASK, DELIVER_WEBHOOK_TASK
    from apps.risks.services.daily import DAILY_TASK
    from apps.risks.services.transfer_submit import IMPORT_TASK
    from config.celery import app

    app.loader.import_default_modules()  # what a worker loads: every app's tasks.py
    sent = {DIAGNOSTICS_TASK, RUN_SCAN, DELIVER_TASK, DELIVER_WEBHOOK_TASK, DAILY_TASK, IMPORT_TASK}
    assert sent == {
        "core.run_diagnostics",
        "early_warning.run_scan",
        "notifications.deliver",
        "notifications.deliver_webhook",
        "risks.daily_register",
        "risks.import_file",
    }
    assert sent <= set(app.tasks)


def test_the_daily_claim_sends_its_job_once_by_name(world, django_capture_on_commit_callbacks):
    from apps.risks.services.daily import daily_run_claim

    _queued()
    with schema_context(world.a.schema_name), django_capture_on_commit_callbacks(execute=True):
        job = daily_run_claim()
        assert daily_run_claim() is None  # claimed already today
    (message,) = _queued()
    assert message["headers"]["task"] == "risks.daily_register"
    assert message["headers"]["_schema_name"] == world.a.schema_name
    assert json.loads(base64.b64decode(message["body"]))[0] == [str(job.pk)]
