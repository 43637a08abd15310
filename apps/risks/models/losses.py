"""Loss events: what an incident cost, recorded on the risks it realised (the register's
history shows the incident). Written by other modules through services/losses.py."""

from django.db import models

from apps.core.models import TenantModel, UserRef


class RiskLossEvent(TenantModel):
    risk = models.ForeignKey("risks.Risk", on_delete=models.CASCADE, related_name="loss_events")
    occurred_at = models.DateTimeField()
    amount = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, default="CNY")
    description = models.TextField(blank=True)
    source = models.CharField(max_length=60, help_text="Who recorded it, e.g. emergency.")
    reference = models.CharField(
        max_length=100, help_text="The source's id of the event (one loss event per risk each)."
    )
    recorded_by = UserRef(null=True, blank=True)

    class Meta:
        ordering = ["-occurred_at"]
        verbose_name = "loss event"
        constraints = [
            models.UniqueConstraint(
                fields=["risk", "source", "reference"], name="loss_event_once_per_source"
            )
        ]

    def __str__(self) -> str:
        title = self.risk.title if self.risk_id else "?"
        return f"Loss event on {title} ({self.occurred_at:%Y-%m-%d})"
