"""Messages to people, one row per recipient and event, delivered in the background."""

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
        return f"{self.event} → {self.recipient_id}"
