"""A published event reaches a real receiver through a real Celery worker, retried on failure.

The worker is another process with its own connection: the data is committed (outside the
per-test transaction) and removed afterwards.
"""

import json
import time

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django_tenants.utils import schema_context

from apps.notifications import services
from apps.notifications.models import Webhook, WebhookDelivery, WebhookDeliveryStatus
from apps.notifications.webhooks import verify_signature
from tests.kit.worker import wait_for

pytestmark = pytest.mark.worker


@pytest.fixture
def committed_hook(django_db_blocker, receiver):
    with django_db_blocker.unblock():
        with schema_context("tenant_a"):
            hook = services.webhook_create(
                name=f"worker-{time.monotonic_ns()}", url=receiver.url, event_types=[]
            )
        yield hook
        with schema_context("tenant_a"):
            Webhook.objects.filter(pk=hook.pk).delete()
            LogEntry.objects.filter(object_pk=str(hook.pk)).delete()
        connection.set_schema_to_public()


def _settled(delivery_id) -> WebhookDelivery | None:
    def delivery():
        with schema_context("tenant_a"):
            return WebhookDelivery.objects.get(pk=delivery_id)

    if wait_for(lambda: delivery().status != WebhookDeliveryStatus.PENDING, every=0.2):
        return delivery()
    return None


def test_the_worker_delivers_after_a_failed_attempt(worker, committed_hook, receiver):
    receiver.answer(502)
    with schema_context("tenant_a"):
        # Autocommit: the task is sent at once, carrying tenant_a's schema.
        (delivery,) = services.publish(event="warnings.signal_raised", payload={"signal": "s1"})
    connection.set_schema_to_public()

    settled = _settled(delivery.pk)
    assert settled is not None, "the worker did not settle the delivery"
    assert settled.status == WebhookDeliveryStatus.SUCCEEDED
    assert settled.attempts == 2 and settled.last_status_code == 200

    first, second = receiver.requests
    assert (
        int(second.headers["X-Fengkong-Timestamp"]) - int(first.headers["X-Fengkong-Timestamp"])
        >= 1
    )  # the retry waited its backoff (2 s, on whole-second timestamps)
    for request in (first, second):
        assert request.headers["X-Fengkong-Delivery"] == str(delivery.pk)
        assert verify_signature(
            committed_hook.secret,
            request.headers["X-Fengkong-Timestamp"],
            request.body,
            request.headers["X-Fengkong-Signature"],
        )
    assert json.loads(second.body)["data"] == {"signal": "s1"}
