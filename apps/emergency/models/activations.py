"""Activations (incidents): a plan put to work, its tasks, roles held, and its timeline."""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q

from apps.core.models import TenantModel, UserRef
from apps.emergency.models.plans import Audience, Channel, Phase, RoleKind, holder_name


class ActivationStatus(models.TextChoices):
    ACTIVE = "active", "Active (responding)"
    STABILISED = "stabilised", "Stabilised"
    CLOSED = "closed", "Closed"


class ActivationSource(models.TextChoices):
    MANUAL = "manual", "Declared by hand"
    SIGNAL = "signal", "From a warning signal, by hand"
    AUTOMATIC = "automatic", "Automatically, from a red signal"


class TaskStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    SKIPPED = "skipped", "Skipped"


class EventKind(models.TextChoices):
    DECLARED = "declared", "Declared"
    LEVEL_CHANGED = "level_changed", "Level changed"
    ROLE_ASSIGNED = "role_assigned", "Role assigned"
    TASK_STARTED = "task_started", "Task started"
    TASK_DONE = "task_done", "Task done"
    TASK_SKIPPED = "task_skipped", "Task skipped"
    TASK_OVERDUE = "task_overdue", "Task overdue"
    COMMUNICATION_SENT = "communication_sent", "Communication sent"
    REGULATOR_REPORTED = "regulator_reported", "Reported to the regulator"
    STABILISED = "stabilised", "Stabilised"
    CLOSED = "closed", "Closed"
    NOTE = "note", "Note"
    CUSTOM = "custom", "Custom event"


class Activation(TenantModel):
    plan = models.ForeignKey("emergency.Plan", on_delete=models.PROTECT, related_name="activations")
    version = models.ForeignKey(
        "emergency.PlanVersion", on_delete=models.PROTECT, related_name="activations"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text="Nature of the event.")
    location = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        max_length=12,
        choices=ActivationStatus.choices,
        default=ActivationStatus.ACTIVE,
        db_index=True,
    )
    source = models.CharField(max_length=10, choices=ActivationSource.choices)
    level = models.ForeignKey("emergency.SeverityLevel", on_delete=models.PROTECT, related_name="+")
    signal = models.ForeignKey(
        "early_warning.WarningSignal",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    detected_at = models.DateTimeField()
    declared_at = models.DateTimeField(db_index=True)
    stabilised_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    declared_by = UserRef(null=True, blank=True)
    amount_involved = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    estimated_loss = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, default="CNY")
    affected_customers = models.PositiveIntegerField(null=True, blank=True)
    risk_ids = ArrayField(models.UUIDField(), default=list, blank=True)
    root_cause = models.TextField(blank=True)
    lessons_learned = models.TextField(blank=True)
    follow_up_actions = models.TextField(blank=True)
    plan_rating = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="How well the plan worked, 1 (badly) to 5 (well)."
    )

    class Meta:
        ordering = ["-declared_at", "-id"]
        constraints = [
            # The idempotence of automatic activation: a scan or tick re-run inserts nothing.
            models.UniqueConstraint(
                fields=["signal"],
                condition=Q(signal__isnull=False),
                name="one_activation_per_signal",
            ),
            models.CheckConstraint(
                condition=Q(plan_rating__isnull=True) | Q(plan_rating__gte=1, plan_rating__lte=5),
                name="activation_rating_1_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.declared_at:%Y-%m-%d})"


class ActivationTask(TenantModel):
    """A plan step copied into an activation: assignee from the role, due at declaration +
    the step's time target."""

    activation = models.ForeignKey(Activation, on_delete=models.CASCADE, related_name="tasks")
    position = models.PositiveSmallIntegerField()
    phase = models.CharField(max_length=12, choices=Phase.choices)
    action = models.CharField(max_length=300)
    responsible_role = models.CharField(max_length=30, choices=RoleKind.choices)
    depends_on = ArrayField(models.PositiveSmallIntegerField(), default=list, blank=True)
    assignee = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assignee_member = UserRef(null=True, blank=True, help_text="A member holding the role.")
    due_at = models.DateTimeField(db_index=True)
    status = models.CharField(
        max_length=12, choices=TaskStatus.choices, default=TaskStatus.PENDING, db_index=True
    )
    skip_reason = models.CharField(max_length=500, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    overdue_noticed_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the overdue notice was sent."
    )

    class Meta:
        ordering = ["activation", "position"]
        verbose_name = "activation task"
        constraints = [
            models.UniqueConstraint(fields=["activation", "position"], name="task_position"),
            models.CheckConstraint(
                condition=Q(assignee__isnull=True) | Q(assignee_member__isnull=True),
                name="task_one_assignee",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.action}"

    @property
    def assigned_to(self):
        """The Person or the member's User who does it."""
        return self.assignee or self.assignee_member


class ActivationRole(TenantModel):
    """A term in a role: a handover ends the previous holder's term (one holder at a time)."""

    activation = models.ForeignKey(Activation, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=30, choices=RoleKind.choices)
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    member = UserRef(null=True, blank=True, help_text="A member without a directory entry.")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["activation", "role", "-started_at"]
        verbose_name = "activation role"
        constraints = [
            models.UniqueConstraint(
                fields=["activation", "role"],
                condition=Q(ended_at__isnull=True),
                name="one_holder_per_role",
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=True) ^ Q(member__isnull=True),
                name="activation_role_one_holder",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {holder_name(self.holder)}"

    @property
    def holder(self):
        """The Person or the member's User who holds (held) it."""
        return self.person or self.member


class TimelineEvent(TenantModel):
    """Append-only: written by the services, never changed or deleted."""

    activation = models.ForeignKey(Activation, on_delete=models.CASCADE, related_name="timeline")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    at = models.DateTimeField(db_index=True)
    actor = UserRef(null=True, blank=True)
    text = models.CharField(max_length=1000, blank=True)
    level = models.ForeignKey(
        "emergency.SeverityLevel", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    task = models.ForeignKey(
        ActivationTask, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    member = UserRef(null=True, blank=True, help_text="The member (role assigned).")
    pinned = models.BooleanField(default=False)

    class Meta:
        ordering = ["activation", "at", "created_at"]
        verbose_name = "timeline event"
        indexes = [models.Index(fields=["activation", "at"], name="timeline_by_time")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.at:%Y-%m-%d %H:%M}"

    @property
    def holder(self):
        """The Person or the member's User who took the role (role assigned), else None."""
        return self.person or self.member


class Communication(TenantModel):
    """Who was told what, when."""

    activation = models.ForeignKey(
        Activation, on_delete=models.CASCADE, related_name="communications"
    )
    audience = models.CharField(max_length=12, choices=Audience.choices)
    channel = models.CharField(max_length=20, choices=Channel.choices)
    summary = models.CharField(max_length=1000)
    sent_at = models.DateTimeField()
    sent_by = UserRef(null=True, blank=True)

    class Meta:
        ordering = ["activation", "sent_at"]

    def __str__(self) -> str:
        return f"To {self.get_audience_display()} at {self.sent_at:%Y-%m-%d %H:%M}"


class RegulatorReport(TenantModel):
    """A report owed to the regulator: due at declaration + the level's hours."""

    activation = models.ForeignKey(
        Activation, on_delete=models.CASCADE, related_name="regulator_reports"
    )
    level = models.ForeignKey("emergency.SeverityLevel", on_delete=models.PROTECT, related_name="+")
    due_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    reference = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["activation", "due_at"]
        constraints = [
            models.UniqueConstraint(fields=["activation", "level"], name="report_once_per_level")
        ]

    def __str__(self) -> str:
        return f"Regulator report due {self.due_at:%Y-%m-%d %H:%M}"

    def outcome(self, now) -> str:
        """met / missed / pending, on the clock `now`."""
        if self.submitted_at is not None:
            return "met" if self.submitted_at <= self.due_at else "missed"
        return "missed" if now > self.due_at else "pending"
