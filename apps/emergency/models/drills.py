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
    criteria_met = ArrayField(
        models.BooleanField(),
        default=list,
        blank=True,
        help_text="Per success criterion, in order: met or not (empty until recorded).",
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
    action = models.OneToOneField(
        "risks.TreatmentAction",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The treatment action it became on a linked risk.",
    )

    class Meta:
        ordering = ["drill", "created_at"]
        verbose_name = "drill finding"

    def __str__(self) -> str:
        return self.title


class DrillStepTiming(TenantModel):
    """How long a step of the plan took in the drill, in minutes from the drill's start (the
    same clock as the step's target: minutes from activation). Target copied when recorded."""

    drill = models.ForeignKey(Drill, on_delete=models.CASCADE, related_name="step_timings")
    position = models.PositiveSmallIntegerField(help_text="The plan step's position.")
    action = models.CharField(max_length=300)
    target_minutes = models.PositiveIntegerField()
    started_minutes = models.PositiveIntegerField(null=True, blank=True)
    finished_minutes = models.PositiveIntegerField(
        null=True, blank=True, help_text="Null: the step was not finished in the drill."
    )

    class Meta:
        ordering = ["drill", "position"]
        verbose_name = "drill step timing"
        constraints = [
            models.UniqueConstraint(fields=["drill", "position"], name="drill_step_once")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.action}"

    @property
    def late(self) -> bool:
        """Finished after its target, or not finished at all."""
        return self.finished_minutes is None or self.finished_minutes > self.target_minutes
