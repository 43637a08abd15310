import smtplib
from collections.abc import Iterator
from contextlib import contextmanager

import redis
from celery import shared_task
from django.conf import settings
from django.db import connection

from apps.core.background import TRANSIENT_ERRORS, TenantOnlyTask
from apps.notifications import services


@shared_task(
    name=services.DELIVER_TASK,
    base=TenantOnlyTask,
    bind=True,
    autoretry_for=(*TRANSIENT_ERRORS, smtplib.SMTPException, OSError),
)
def deliver(self, notification_id: str) -> str:
    try:
        return services.deliver_email(notification_id=notification_id).status
    except Exception as exc:
        if self.request.retries >= self.max_retries:
            services.mark_failed(
                notification_id=notification_id, error=f"{type(exc).__name__}: {exc}"
            )
        raise


@shared_task(
    name=services.DELIVER_WEBHOOK_TASK,
    base=TenantOnlyTask,
    bind=True,
    # Attempts are counted on the delivery row (services.MAX_ATTEMPTS decides when to give up);
    # Celery's own limit only bounds retries of transient database errors on top of those.
    max_retries=services.MAX_ATTEMPTS * 2,
)
def deliver_webhook(self, delivery_id: str) -> str:
    with tenant_slot() as admitted:
        if not admitted:
            # This tenant has its share of the delivery workers busy: the delivery stays pending
            # and waits in the tenant's deferred set, so other tenants' deliveries pass meanwhile.
            _redis().sadd(_key("deferred"), delivery_id)
            return "deferred"
        attempt = services.webhook_deliver(delivery_id=delivery_id)
    # The slot is free again: the tenant's next deferred delivery goes to the end of the queue
    # (the tick's sweep also sends what is left there).
    if next_id := _redis().spop(_key("deferred")):
        deliver_webhook.apply_async(args=[next_id.decode()])
    if attempt is None:
        return "gone"  # the webhook was deleted with its deliveries
    if attempt.retry_in is not None:
        raise self.retry(countdown=attempt.retry_in)
    return attempt.delivery.status


# --- per-tenant fairness: at most FENGKONG_WEBHOOK_TENANT_IN_FLIGHT deliveries running at once ---
# A counter in Redis per tenant schema (it expires, so a killed worker's slot comes back); the
# deliveries beyond it wait in a set, sent one per freed slot and by the tick's sweep.


def _redis() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=5)


def _key(name: str) -> str:
    return f"fengkong:{connection.schema_name}:webhooks:{name}"


@contextmanager
def tenant_slot() -> Iterator[bool]:
    client, key = _redis(), _key("in-flight")
    with client.pipeline() as pipe:
        in_flight, _ = pipe.incr(key).expire(key, 300).execute()
    try:
        yield in_flight <= settings.FENGKONG_WEBHOOK_TENANT_IN_FLIGHT
    finally:
        client.decr(key)


def redeliver_stalled_webhooks() -> dict:
    """Tick handler: send again the deliveries whose retry message was lost, and those deferred
    because the tenant had its share of the delivery workers busy."""
    stalled = services.webhook_deliveries_stalled()
    deferred = [d.decode() for d in _redis().spop(_key("deferred"), 500) or []]
    for delivery_id in dict.fromkeys([*stalled, *deferred]):
        deliver_webhook.apply_async(args=[delivery_id])
    return {"requeued": len(stalled), **({"deferred": len(deferred)} if deferred else {})}
