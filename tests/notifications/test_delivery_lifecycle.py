"""Delivery outcomes move through the shared lifecycle (issue 8), with the tables written out."""

import pytest
from django.core.exceptions import ValidationError

from apps.core.lifecycle import transition
from apps.notifications import services
from apps.notifications.models import Notification, WebhookDelivery
from apps.notifications.services.delivery import (
    NOTIFICATION_LIFECYCLE,
    WEBHOOK_DELIVERY_LIFECYCLE,
)


def test_the_tables():
    assert NOTIFICATION_LIFECYCLE.table == {
        "pending": {"sent", "failed"},
        "failed": {"sent", "failed"},
        "sent": set(),
    }
    assert WEBHOOK_DELIVERY_LIFECYCLE.table == {
        "pending": {"succeeded", "failed"},
        "succeeded": set(),
        "failed": set(),
    }


def test_an_email_is_sent_once_and_a_late_failure_leaves_it_sent(in_a):
    user = in_a.user("a", "analyst")
    (notification,) = services.notify(
        recipients=[user], event="risks.review_overdue", subject="Due", body="Review", dedup_key="k"
    )
    sent = services.deliver_email(notification_id=notification.pk)
    assert (sent.status, sent.attempts, sent.error) == ("sent", 1, "")
    services.mark_failed(notification_id=notification.pk, error="SMTPException: late")
    row = Notification.objects.get(pk=notification.pk)
    assert (row.status, row.error) == ("sent", "")


def test_a_failed_email_records_the_error(in_a):
    user = in_a.user("a", "viewer")
    (notification,) = services.notify(
        recipients=[user], event="risks.review_overdue", subject="Due", body="Review", dedup_key="f"
    )
    services.mark_failed(notification_id=notification.pk, error="SMTPException: refused")
    row = Notification.objects.get(pk=notification.pk)
    assert (row.status, row.error) == ("failed", "SMTPException: refused")


def test_a_settled_webhook_delivery_cannot_move_again(in_a):
    webhook = services.webhook_create(name="Ops", url="https://hooks.example.com/x")
    delivery = services.webhook_test(webhook_id=webhook.pk)
    delivery.refresh_from_db()
    transition(delivery, "failed", changes={"last_error": "gone"})
    with pytest.raises(ValidationError) as refused:
        transition(delivery, "succeeded")
    assert refused.value.error_list[0].code == "invalid_transition"
    assert WebhookDelivery.objects.get(pk=delivery.pk).status == "failed"
