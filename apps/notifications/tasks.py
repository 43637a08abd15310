import smtplib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import redis
from celery import shared_task
from django.conf import settings

from apps.core.background import TRANSIENT_ERRORS, TenantOnlyTask
from apps.core.schemas import tenant_connection
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
        deliver_webhook.apply_async(args=[_text(next_id)])
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
    return f"fengkong:{tenant_connection().schema_name}:webhooks:{name}"


def _text(member: Any) -> str:
    """A set member as redis-py returns it (bytes; its stubs also allow str and sets)."""
    return member.decode() if isinstance(member, bytes) else str(member)


@contextmanager
def tenant_slot() -> Iterator[bool]:
    client, key = _redis(), _key("in-flight")
    with client.pipeline() as pipe:
        pipe.incr(key)
        pipe.expire(key, 300)
        in_flight, _ = pipe.execute()
    try:
        yield in_flight <= settings.FENGKONG_WEBHOOK_TENANT_IN_FLIGHT
    finally:
        client.decr(key)


def redeliver_stalled_webhooks() -> dict:
    """Tick handler: send again the deliveries whose retry message was lost, and those deferred
    because the tenant had its share of the delivery workers busy."""
    stalled = services.webhook_deliveries_stalled()
    popped: Any = _redis().spop(_key("deferred"), 500) or []  # a list of bytes with a count
    deferred = [_text(d) for d in popped]
    for delivery_id in dict.fromkeys([*stalled, *deferred]):
        deliver_webhook.apply_async(args=[delivery_id])
    return {"requeued": len(stalled), **({"deferred": len(deferred)} if deferred else {})}
