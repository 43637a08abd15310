"""Drills (演练): scheduled from a plan's cadence, results and findings."""

from django.contrib.postgres.fields import ArrayField
from django.db import models

from apps.core.models import TenantModel, UserRef


class DrillKind(models.TextChoices):
    TABLETOP = "tabletop", "Tabletop"
    FUNCTIONAL = "functional", "Functional"
    FULL_SCALE = "full_scale", "Full-scale"
    COMPLIANCE_SIMULATION = "compliance_simulation", "Compliance simulation"


class DrillStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    DONE = "done", "Done (result recorded)"
    MISSED = "missed", "Missed (date passed, no result)"
    CANCELLED = "cancelled", "Cancelled"


class DrillResult(models.TextChoices):
    PASS = "pass", "Pass"
    PARTIAL = "partial", "Partial"
    FAIL = "fail", "Fail"


class FindingSeverity(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class FindingStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    CLOSED = "closed", "Closed"


class Drill(TenantModel):
    plan = models.ForeignKey("emergency.Plan", on_delete=models.PROTECT, related_name="drills")
    version = models.ForeignKey(
        "emergency.PlanVersion", on_delete=models.PROTECT, related_name="drills"
    )
    kind = models.CharField(max_length=25, choices=DrillKind.choices)
    scenario = models.CharField(max_length=500, blank=True)
    scheduled_on = models.DateField(db_index=True)
    status = models.CharField(
        max_length=12, choices=DrillStatus.choices, default=DrillStatus.SCHEDULED, db_index=True
    )
    success_criteria = ArrayField(
        models.CharField(max_length=300),
        default=list,
        blank=True,
        help_text="Copied from the plan version when scheduled.",
    )
    participants = models.ManyToManyField("people.Person", blank=True, related_name="+")
    held_on = models.DateField(null=True, blank=True)
    result = models.CharField(max_length=8, choices=DrillResult.choices, blank=True)
    summary = models.TextField(blank=True)
    recorded_by = UserRef(null=True, blank=True)

    class Meta:
        ordering = ["-scheduled_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "scheduled_on"], name="drill_once_per_day")
        ]

    def __str__(self) -> str:
        plan = self.plan.code if self.plan_id else "?"
        return f"{self.get_kind_display()} drill of {plan} on {self.scheduled_on}"


class DrillFinding(TenantModel):
    """A weakness a drill showed; against a control, it lowers the control's effectiveness."""

    drill = models.ForeignKey(Drill, on_delete=models.CASCADE, related_name="findings")
    title = models.CharField(max_length=300)
    severity = models.CharField(max_length=8, choices=FindingSeverity.choices)
    owner = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=FindingStatus.choices, default=FindingStatus.OPEN, db_index=True
    )
    control = models.ForeignKey(
        "risks.Control", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["drill", "created_at"]
        verbose_name = "drill finding"

    def __str__(self) -> str:
        return self.title
