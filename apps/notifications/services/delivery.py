"""Delivery: one attempt of an e-mail or a webhook call, and its outcome.

Both outcomes are status machines moved through apps.core.lifecycle (issue 8): a notification
is pending, then sent or failed (a failed one may still be sent by a redelivered task, or fail
again with a newer error); a webhook delivery is pending until it succeeds or fails for good.
"""

from dataclasses import dataclass
from datetime import timedelta
from http.client import HTTPException

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.core.lifecycle import Lifecycle, transition
from apps.notifications import events, webhooks
from apps.notifications.errors import NotificationErrorCode as Code
from apps.notifications.models import (
    DeliveryStatus,
    Notification,
    WebhookDelivery,
    WebhookDeliveryStatus,
)

MAX_ATTEMPTS = 6
BACKOFF_MAX_SECONDS = 600

NOTIFICATION_LIFECYCLE = Lifecycle(
    model=Notification,
    statuses=DeliveryStatus,
    table={
        DeliveryStatus.PENDING: {DeliveryStatus.SENT, DeliveryStatus.FAILED},
        DeliveryStatus.FAILED: {DeliveryStatus.SENT, DeliveryStatus.FAILED},
        DeliveryStatus.SENT: set(),
    },
    refusal_code=Code.INVALID_TRANSITION,
    field=None,  # the system moves it; no input names a status
    noun="notification",
)
WEBHOOK_DELIVERY_LIFECYCLE = Lifecycle(
    model=WebhookDelivery,
    statuses=WebhookDeliveryStatus,
    table={
        WebhookDeliveryStatus.PENDING: {
            WebhookDeliveryStatus.SUCCEEDED,
            WebhookDeliveryStatus.FAILED,
        },
        WebhookDeliveryStatus.SUCCEEDED: set(),
        WebhookDeliveryStatus.FAILED: set(),
    },
    refusal_code=Code.INVALID_TRANSITION,
    field=None,
    noun="webhook delivery",
)


@transaction.atomic
def deliver_email(*, notification_id) -> Notification:
    notification = (
        Notification.objects.select_for_update().select_related("recipient").get(pk=notification_id)
    )
    if notification.status == DeliveryStatus.SENT:
        return notification  # a redelivered task: already done
    notification.attempts += 1
    send_mail(
        subject=notification.subject,
        message=notification.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[notification.recipient.email],
        fail_silently=False,
    )
    transition(
        notification,
        DeliveryStatus.SENT,
        changes={"sent_at": timezone.now(), "attempts": notification.attempts, "error": ""},
    )
    return notification


@transaction.atomic
def mark_failed(*, notification_id, error: str) -> None:
    """The last attempt failed: record why (a notification sent meanwhile stays sent)."""
    notification = Notification.objects.select_for_update().filter(pk=notification_id).first()
    if notification is None or notification.status == DeliveryStatus.SENT:
        return
    transition(notification, DeliveryStatus.FAILED, changes={"error": error[:2000]})


# --- Webhooks: delivery --------------------------------------------------------------------


@dataclass(frozen=True)
class DeliveryAttempt:
    delivery: WebhookDelivery
    retry_in: int | None  # seconds until the next attempt; None when the delivery is settled


def backoff_seconds(attempts: int) -> int:
    return min(2**attempts, BACKOFF_MAX_SECONDS)


@transaction.atomic
def webhook_deliver(*, delivery_id) -> DeliveryAttempt | None:
    """Make one attempt of a pending delivery and record its outcome; None if the row is gone.

    The row stays locked during the POST, so a redelivered task waits and then finds the
    delivery settled: a succeeded delivery is never sent again. (A crash after the receiver
    answered but before the commit does resend: receivers de-duplicate on the delivery id.)
    """
    delivery = (
        WebhookDelivery.objects.select_for_update(of=("self",))
        .select_related("webhook")
        .filter(pk=delivery_id)
        .first()
    )
    if delivery is None:
        return None
    if delivery.status != WebhookDeliveryStatus.PENDING:
        return DeliveryAttempt(delivery, None)
    webhook = delivery.webhook
    now = timezone.now()
    if not webhook.is_active and delivery.event != events.PING:
        return _settle(delivery, WebhookDeliveryStatus.FAILED, error="The webhook is disabled.")

    delivery.attempts += 1
    body = webhooks.encode_body(delivery.payload)
    headers = webhooks.headers_for(
        secret=webhook.secret, event=delivery.event, delivery_id=str(delivery.pk), body=body
    )
    try:
        response = webhooks.post(webhook.url, body, headers)
    except webhooks.DeliveryRefused as refused:
        return _settle(delivery, WebhookDeliveryStatus.FAILED, error=f"Refused: {refused}")
    except (OSError, HTTPException) as exc:
        delivery.last_status_code = None
        error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    else:
        delivery.last_status_code = response.status
        if response.ok:
            delivery.delivered_at = now
            return _settle(delivery, WebhookDeliveryStatus.SUCCEEDED, error="")
        error = f"HTTP {response.status}"
        if 300 <= response.status < 400:
            error += f": redirects are not followed (to {response.location or '?'})"
        elif response.excerpt.strip():
            error += f": {response.excerpt.strip()}"

    if delivery.attempts >= MAX_ATTEMPTS:
        return _settle(delivery, WebhookDeliveryStatus.FAILED, error=error)
    retry_in = backoff_seconds(delivery.attempts)
    delivery.last_error = error[:2000]
    delivery.next_attempt_at = now + timedelta(seconds=retry_in)
    delivery.save()
    return DeliveryAttempt(delivery, retry_in)


def _settle(delivery: WebhookDelivery, status: str, *, error: str) -> DeliveryAttempt:
    # save_all: the attempt's own fields (attempts, last_status_code, delivered_at) go too.
    changes = {"last_error": error[:2000], "next_attempt_at": None}
    transition(delivery, status, changes=changes, save_all=True)
    return DeliveryAttempt(delivery, None)


def webhook_deliveries_stalled(*, older_than: timedelta = timedelta(minutes=15)) -> list[str]:
    """Pending deliveries whose attempt is long overdue (a lost message): ids to send again.

    A second task for a delivery is harmless: attempts are serialised by the row lock.
    """
    cutoff = timezone.now() - older_than
    return [
        str(pk)
        for pk in WebhookDelivery.objects.filter(status=WebhookDeliveryStatus.PENDING)
        .filter(
            Q(next_attempt_at__lt=cutoff) | Q(next_attempt_at__isnull=True, created_at__lt=cutoff)
        )
        .values_list("pk", flat=True)[:500]
    ]
