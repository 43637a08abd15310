"""Risk acceptance: requested, decided by someone else, bound to the state that was approved."""

from django.db import models

from apps.core.models import TenantModel, UserRef


class AcceptanceStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    VOIDED = "voided", "Voided by a material change"
    EXPIRED = "expired", "Expired"


class RiskAcceptance(TenantModel):
    risk = models.ForeignKey("risks.Risk", on_delete=models.CASCADE, related_name="acceptances")
    status = models.CharField(
        max_length=10,
        choices=AcceptanceStatus.choices,
        default=AcceptanceStatus.REQUESTED,
        db_index=True,
    )
    justification = models.TextField()
    requested_by = UserRef(null=True, blank=True)
    requested_expires_at = models.DateField(help_text="Until when acceptance is asked for.")
    decided_by = UserRef(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(blank=True)
    expires_at = models.DateField(null=True, blank=True)
    snapshot = models.JSONField(
        default=dict, blank=True, help_text="The risk and its latest assessments as approved."
    )
    voided_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["risk"],
                condition=models.Q(status__in=["requested", "approved"]),
                name="one_live_acceptance_per_risk",
            ),
        ]

    def __str__(self) -> str:
        title = self.risk.title if self.risk_id else "?"
        return f"Acceptance of {title} ({self.get_status_display()})"
