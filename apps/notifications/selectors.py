from django.db.models import QuerySet

from apps.notifications.models import Webhook, WebhookDelivery


def webhooks() -> QuerySet[Webhook]:
    return Webhook.objects.order_by("name", "id")


def webhook_deliveries(*, webhook_id=None, status: str | None = None) -> QuerySet[WebhookDelivery]:
    """Newest first; `webhook_id` narrows to one webhook's, `status` to one status."""
    rows = WebhookDelivery.objects.order_by("-created_at", "-id")
    if webhook_id is not None:
        rows = rows.filter(webhook_id=webhook_id)
    if status is not None:
        rows = rows.filter(status=status)
    return rows
