"""The broker is down: every mutation that sends background work answers at once with the code
BROKER_UNAVAILABLE (never a masked "Unexpected error" after a ~20 s hang), the job it made stays
QUEUED as an outbox row (`enqueued_at` null), and the tick's sweep sends it once the broker is
back, where a real worker runs it.

The requests commit (the commit hook is what sends the message), so the data they make is
removed afterwards.
"""

import socket
import time
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test import override_settings
from django_tenants.utils import schema_context
from strawberry.relay import to_base64

from apps.accounts.models import User
from apps.core.models import Job
from apps.early_warning.models import Indicator
from apps.early_warning.services import indicators
from apps.notifications import services as notifications
from apps.notifications.models import Webhook
from apps.risks.models import RiskCategory
from apps.tenants.models import Tenant
from config.celery import app
from tests.conftest import HOST_A, Api, token_for
from tests.kit.worker import start_worker, stop_worker

pytestmark = pytest.mark.worker
DEAD_BROKER = "redis://127.0.0.1:8281/0"  # a port of this run's range where nothing listens
ANSWER_WITHIN = 6.0  # seconds: two 2 s connection attempts at most, not ~19 s
SCHEMA = "tenant_a"


def test_the_tenant_exists(world):  # makes the test database (see tests/core/test_worker.py)
    assert world.a.schema_name == SCHEMA


def _point_celery_at(broker: str, backend: str) -> None:
    """The test process's Celery app sends to `broker` from now on (pools rebuilt)."""
    app.conf.broker_url = broker
    app.conf.result_backend = backend
    app._pool = None
    app.amqp._producer_pool = None
    app._local.__dict__.pop("backend", None)


@pytest.fixture
def broker_down():
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", 8281)) != 0, "something listens on 8281"
    saved = (app.conf.broker_url, app.conf.result_backend)
    _point_celery_at(DEAD_BROKER, DEAD_BROKER)
    try:
        yield
    finally:
        _point_celery_at(*saved)


@pytest.fixture
def committed(django_db_setup, django_db_blocker):
    """An analyst's API on tenant A with autocommit, an indicator and a webhook; all removed."""
    with django_db_blocker.unblock():
        tenant = Tenant.objects.get(schema_name=SCHEMA)
        api = Api(HOST_A, token_for(User.objects.get(email="analyst@a.test"), tenant))
        admin = Api(HOST_A, token_for(User.objects.get(email="admin@a.test"), tenant))
        with schema_context(SCHEMA):
            credit = RiskCategory.objects.get(code="credit").pk
            indicator = indicators.indicator_save(
                code="broker_down_kri", name="Broker down", category_id=credit, amber=3, red=5
            )
            hook = notifications.webhook_create(
                name="broker-down", url="http://127.0.0.1:8282/hook", event_types=[]
            )
        connection.set_schema_to_public()
        before = datetime.now(UTC)
        yield api, indicator, hook, admin
        with schema_context(SCHEMA):
            Job.objects.filter(created_at__gte=before).delete()
            Webhook.objects.filter(pk=hook.pk).delete()
            Indicator.objects.filter(pk=indicator.pk).delete()
        connection.set_schema_to_public()


def _mutations(indicator, hook) -> dict[str, tuple[str, dict]]:
    at = datetime.now(UTC).replace(microsecond=0).isoformat()
    return {
        "diagnosticsRun": ("mutation { diagnosticsRun { job { id } errors { code } } }", {}),
        "scanRun": ("mutation { scanRun(input: {}) { job { id } errors { code } } }", {}),
        "observationsIngest": (
            """mutation($p: [ObservationInput!]!) {
                observationsIngest(input: {points: $p}) { count errors { code } } }""",
            {"p": [{"indicator": indicator.code, "observedAt": at, "value": 1.5}]},
        ),
        "webhookTest": (
            "mutation($id: ID!) { webhookTest(input: {id: $id}) { errors { code } } }",
            {"id": to_base64("Webhook", hook.pk)},
        ),
    }


@pytest.mark.parametrize("mutation", ["diagnosticsRun", "scanRun", "observationsIngest"])
def test_a_job_the_broker_refused_is_answered_coded_and_sent_by_the_sweep_later(
    mutation, committed, broker_down
):
    api, indicator, hook, _ = committed
    query, variables = _mutations(indicator, hook)[mutation]
    started = time.monotonic()
    body = api(query, variables)
    took = time.monotonic() - started

    assert took < ANSWER_WITHIN, f"{mutation} took {took:.1f} s with the broker down"
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "BROKER_UNAVAILABLE", error
    assert "will start when it is back" in error["message"]
    job_id = error["extensions"]["jobId"]
    with schema_context(SCHEMA):
        job = Job.objects.get(pk=job_id)
        assert (job.status, job.enqueued_at, job.attempts) == ("queued", None, 0)
        assert job.task_name  # the sweep knows what to send

    # The broker is back: the tick's sweep sends the job, and a real worker runs it.
    _restore_and_sweep(job_id)


def _restore_and_sweep(job_id: str) -> None:
    from django.conf import settings

    from apps.core.tasks import fail_stale_jobs

    _point_celery_at(settings.CELERY_BROKER_URL, settings.CELERY_RESULT_BACKEND)
    worker = start_worker()
    try:
        with schema_context(SCHEMA), override_settings(FENGKONG_JOB_UNSENT_AFTER_SECONDS=0):
            assert fail_stale_jobs()["sent"] >= 1
            deadline = time.monotonic() + 60
            while Job.objects.get(pk=job_id).status in ("queued", "running"):
                assert time.monotonic() < deadline, "the re-sent job never ran"
                time.sleep(0.2)
            job = Job.objects.get(pk=job_id)
            assert job.status == "succeeded" and job.enqueued_at is not None, job.error
            assert job.attempts == 1
    finally:
        stop_worker(worker)
        connection.set_schema_to_public()


def test_a_webhook_ping_the_broker_refused_is_answered_coded(committed, broker_down):
    _, indicator, hook, admin = committed
    query, variables = _mutations(indicator, hook)["webhookTest"]
    started = time.monotonic()
    body = admin(query, variables)
    assert time.monotonic() - started < ANSWER_WITHIN
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "BROKER_UNAVAILABLE", error
    # The delivery is kept pending: the stalled-deliveries sweep sends it later.
    with schema_context(SCHEMA):
        assert hook.deliveries.filter(status="pending").count() == 1


def test_a_stuck_queued_full_scan_does_not_switch_the_tick_off(committed):
    from apps.early_warning.module import JOB_SCAN
    from apps.early_warning.tasks import scans_if_due

    with schema_context(SCHEMA):
        stuck = Job.objects.create(kind=JOB_SCAN, input={"indicator_ids": None, "every": False})
        Job.objects.filter(pk=stuck.pk).update(created_at=datetime.now(UTC) - timedelta(hours=7))
        Indicator.objects.filter(code="broker_down_kri").update(last_scanned_at=None)
        with override_settings(CELERY_TASK_ALWAYS_EAGER=False):
            outcome = scans_if_due()
        assert outcome["started"], "the stale queued scan still blocks the tick"
    connection.set_schema_to_public()
