import smtplib

from celery import shared_task

from apps.core.background import TRANSIENT_ERRORS, TenantOnlyTask
from apps.notifications import services


@shared_task(
    name="notifications.deliver",
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
