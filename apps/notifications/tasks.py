import smtplib

from celery import shared_task

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
    attempt = services.webhook_deliver(delivery_id=delivery_id)
    if attempt is None:
        return "gone"  # the webhook was deleted with its deliveries
    if attempt.retry_in is not None:
        raise self.retry(countdown=attempt.retry_in)
    return attempt.delivery.status


def redeliver_stalled_webhooks() -> dict:
    """Tick handler: send again the deliveries whose retry message was lost."""
    stalled = services.webhook_deliveries_stalled()
    for delivery_id in stalled:
        deliver_webhook.apply_async(args=[delivery_id])
    return {"requeued": len(stalled)}
