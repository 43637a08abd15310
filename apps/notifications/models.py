"""Messages to people (e-mail) and to systems (webhooks), delivered in the background.

A `Notification` is one e-mail to one person; a `WebhookDelivery` is one signed POST of one
event to one tenant endpoint. Both are rows so that every attempt and its outcome can be seen.
"""

from django.contrib.postgres.fields import ArrayField
from django.db import models

from apps.core.models import TenantModel, UserRef


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class Notification(TenantModel):
    recipient = UserRef()
    event = models.CharField(max_length=60, db_index=True, help_text="e.g. risks.review_overdue")
    subject = models.CharField(max_length=200)
    body = models.TextField()
    dedup_key = models.CharField(max_length=200, help_text="The same key is never sent twice.")
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedup_key"], name="notification_once_per_recipient"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} (to {self.recipient.email if self.recipient_id else '?'})"


class Webhook(TenantModel):
    """A tenant's endpoint for events: every matching event is POSTed there, signed."""

    name = models.CharField(max_length=100)
    url = models.URLField("URL", max_length=500, help_text="https:// (http:// outside production).")
    # Stored as-is, not hashed: unlike a password it is needed in clear to sign every payload
    # (HMAC). It is shown once, when created or rotated, and never exposed by the API or admin.
    secret = models.CharField(max_length=100)
    event_types = ArrayField(
        models.CharField(max_length=60),
        default=list,
        blank=True,
        help_text="The events sent to this webhook; none ticked means every event.",
    )
    is_active = models.BooleanField(default=True)
    created_by = UserRef(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["name"], name="webhook_name_unique")]

    def __str__(self) -> str:
        return self.name

    def wants(self, event: str) -> bool:
        return not self.event_types or event in self.event_types


class WebhookDeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class WebhookDelivery(TenantModel):
    """One event for one webhook, and the outcome of its latest attempt."""

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=60, db_index=True)
    payload = models.JSONField(help_text="The JSON body sent (the same on every attempt).")
    dedup_key = models.CharField(
        max_length=200,
        blank=True,
        default="",
        help_text="When set, the same key is delivered to a webhook once (a job that runs twice).",
    )
    status = models.CharField(
        max_length=10,
        choices=WebhookDeliveryStatus.choices,
        default=WebhookDeliveryStatus.PENDING,
        db_index=True,
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "webhook deliveries"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["webhook", "-created_at"], name="webhook_delivery_recent"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["webhook", "dedup_key"],
                condition=~models.Q(dedup_key=""),
                name="webhook_delivery_once_per_key",
            )
        ]

    def __str__(self) -> str:
        name = self.webhook.name if self.webhook_id else "?"
        return f"{self.event} → {name} ({self.get_status_display()})"
