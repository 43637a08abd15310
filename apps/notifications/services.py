"""The one way any module tells people something. E-mail now; webhooks join in the next module.

`notify` is idempotent: a (recipient, dedup_key) pair is stored once, so a job that runs twice
never sends twice. Delivery happens after commit, in a retried task.
"""

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from apps.core.transactions import enqueue_on_commit
from apps.notifications.models import DeliveryStatus, Notification


def notify(
    *, recipients: Iterable, event: str, subject: str, body: str, dedup_key: str
) -> list[Notification]:
    created = []
    for user in {u.pk: u for u in recipients if u is not None and u.is_active}.values():
        notification, is_new = Notification.objects.get_or_create(
            recipient=user,
            dedup_key=dedup_key[:200],
            defaults={"event": event, "subject": subject[:200], "body": body},
        )
        if is_new:
            from apps.notifications.tasks import deliver

            enqueue_on_commit(deliver, str(notification.pk))
            created.append(notification)
    return created


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
    notification.status, notification.sent_at, notification.error = (
        DeliveryStatus.SENT,
        timezone.now(),
        "",
    )
    notification.save(update_fields=["status", "sent_at", "attempts", "error", "updated_at"])
    return notification


def mark_failed(*, notification_id, error: str) -> None:
    Notification.objects.filter(pk=notification_id).exclude(status=DeliveryStatus.SENT).update(
        status=DeliveryStatus.FAILED, error=error[:2000], updated_at=timezone.now()
    )
