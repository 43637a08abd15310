"""One tenant flooding webhook deliveries delays neither another tenant's interactive job nor
its webhooks: each kind of work has its queue and worker (as docker/compose.yaml runs them),
and a tenant has at most FENGKONG_WEBHOOK_TENANT_IN_FLIGHT deliveries running at once.

Real processes: an interactive worker and a 4-process delivery worker on this run's queues, a
slow HTTP receiver (0.5 s an answer), 350 deliveries of tenant A. The checks are about order,
not time (a loaded machine slows everything alike): B's job and B's webhook are done while A's
flood is still far from half delivered. The waits below are only liveness bounds.
"""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import redis
from django.conf import settings
from django.db import connection, transaction
from django_tenants.utils import schema_context

from apps.core import services as jobs
from apps.core.models import Job
from apps.core.module import JOB_DIAGNOSTICS
from apps.core.tasks import run_diagnostics
from apps.notifications import services as notifications
from apps.notifications.events import EVENT_TYPES
from apps.notifications.models import Webhook
from tests.kit.worker import start_worker, stop_worker

pytestmark = pytest.mark.worker
FLOOD = 350
ANSWER_SECONDS = 0.5
# Liveness bounds only (a broken queue set-up never gets there): A's flood takes 350 x 0.5 s
# over the tenant's in-flight cap, minutes, so "before half of it" is the real check.
LIVENESS_SECONDS = 120


def test_the_tenants_exist(world):  # makes the test database (see tests/core/test_worker.py)
    assert (world.a.schema_name, world.b.schema_name) == ("tenant_a", "tenant_b")


@pytest.fixture
def slow_receiver():
    """Answers every POST 200 after ANSWER_SECONDS; records which path was hit when."""
    hits: list[tuple[str, float]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            time.sleep(ANSWER_SECONDS)
            hits.append((self.path, time.monotonic()))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


@pytest.fixture
def hooks(django_db_blocker, slow_receiver):
    base, hits = slow_receiver
    made = {}
    with django_db_blocker.unblock():
        for schema_name in ("tenant_a", "tenant_b"):
            with schema_context(schema_name):
                made[schema_name] = notifications.webhook_create(
                    name=f"flood-{schema_name}", url=f"{base}/{schema_name}", event_types=[]
                )
        connection.set_schema_to_public()
        yield hits
        for schema_name, hook in made.items():
            with schema_context(schema_name):
                Webhook.objects.filter(pk=hook.pk).delete()
                Job.objects.filter(kind=JOB_DIAGNOSTICS, result={}).delete()
        connection.set_schema_to_public()
    client = redis.Redis.from_url(settings.REDIS_URL)
    for key in client.scan_iter("fengkong:tenant_*:webhooks:*"):
        client.delete(key)


def _wait(predicate, seconds=LIVENESS_SECONDS) -> float | None:
    """Seconds until `predicate()` held, or None."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if predicate():
            return time.monotonic() - started
        time.sleep(0.05)
    return None


def _diagnostics_in_b() -> bool:
    with schema_context("tenant_b"):
        with transaction.atomic():
            job = jobs.job_create(kind=JOB_DIAGNOSTICS)
            # as the mutation does
            from apps.core.transactions import enqueue_on_commit

            enqueue_on_commit(run_diagnostics, str(job.pk))
        done = _wait(lambda: Job.objects.get(pk=job.pk).status == "succeeded")
        Job.objects.filter(pk=job.pk).delete()
    return done is not None


def test_a_webhook_flood_delays_no_other_tenant(hooks, django_db_blocker):
    queues = settings.FENGKONG_QUEUES
    event = next(iter(EVENT_TYPES))
    with django_db_blocker.unblock():
        workers = [
            start_worker(queues=[queues["default"], queues["interactive"]]),
            start_worker(queues=[queues["deliveries"]], concurrency=4, purge=False),
        ]
        try:
            assert _diagnostics_in_b(), "the interactive worker is not up"
            with schema_context("tenant_a"), transaction.atomic():
                made = notifications.publish_many(
                    event=event, items=[({"n": n}, f"flood-{n}") for n in range(FLOOD)]
                )
            assert made == FLOOD
            flooding = _wait(lambda: sum(p == "/tenant_a" for p, _ in hooks) >= 4)
            assert flooding is not None, "the delivery worker never started on the flood"

            assert _diagnostics_in_b(), "B's job never finished"
            delivered_to_a = sum(p == "/tenant_a" for p, _ in hooks)
            assert delivered_to_a < FLOOD / 2, f"B's job waited for {delivered_to_a} of A's"

            with schema_context("tenant_b"), transaction.atomic():
                notifications.publish(event=event, payload={"mine": True})
            connection.set_schema_to_public()
            arrived = _wait(lambda: any(p == "/tenant_b" for p, _ in hooks), LIVENESS_SECONDS)
            assert arrived is not None, "B's webhook never arrived"
            # B's delivery came while most of A's flood was still queued: it did not queue behind.
            before_b = next(i for i, (p, _) in enumerate(hooks) if p == "/tenant_b")
            assert before_b < FLOOD / 2, f"B's webhook came after {before_b} of A's deliveries"
        finally:
            for worker in workers:
                stop_worker(worker)
    connection.set_schema_to_public()
