"""Controls (linked to many risks) and treatment actions (owned, due, tracked)."""

from django.db import models

from apps.core.models import TenantModel


class ControlType(models.TextChoices):
    PREVENTIVE = "preventive", "Preventive"
    DETECTIVE = "detective", "Detective"
    CORRECTIVE = "corrective", "Corrective"


class ControlKind(models.TextChoices):
    AUTHORISATION = "authorisation", "Authorisation"
    SUPERVISION = "supervision", "Supervision"
    AUDIT = "audit", "Audit"
    REPORTING = "reporting", "Reporting"
    TECHNICAL = "technical", "Technical"


class ControlEffectiveness(models.TextChoices):
    NOT_ASSESSED = "not_assessed", "Not assessed"
    INEFFECTIVE = "ineffective", "Ineffective"
    PARTIALLY_EFFECTIVE = "partially_effective", "Partially effective"
    EFFECTIVE = "effective", "Effective"


class Control(TenantModel):
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    control_type = models.CharField(max_length=12, choices=ControlType.choices)
    kind = models.CharField(max_length=15, choices=ControlKind.choices)
    owner = models.ForeignKey(  # a person of the directory
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The person who owns it (the directory's).",
    )
    frequency = models.CharField(max_length=60, blank=True, help_text="e.g. daily, per transaction")
    last_tested_at = models.DateField(null=True, blank=True)
    effectiveness = models.CharField(
        max_length=20,
        choices=ControlEffectiveness.choices,
        default=ControlEffectiveness.NOT_ASSESSED,
    )
    effectiveness_changed_at = models.DateTimeField(null=True, blank=True)
    risks = models.ManyToManyField("risks.Risk", blank=True, related_name="controls")
    archived_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Set when archived: out of the lists and residual proposals, kept for history.",
    )

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class ActionStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class TreatmentAction(TenantModel):
    risk = models.ForeignKey("risks.Risk", on_delete=models.CASCADE, related_name="actions")
    control = models.ForeignKey(
        Control, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(  # a person of the directory
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The person who does it (the directory's).",
    )
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "created_at"]

    def __str__(self) -> str:
        return self.title
