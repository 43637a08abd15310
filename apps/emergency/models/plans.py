"""Plans and their versions. Everything a plan says lives on a version; an approved version is
immutable (edits start a new draft), and at most one version of a plan is approved (in force)."""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q

from apps.core.models import TenantModel, UserRef


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    APPROVED = "approved", "Approved (in force)"
    RETIRED = "retired", "Retired"


class Phase(models.TextChoices):
    WARNING = "warning", "Warning"
    RESPONSE = "response", "Emergency response"
    CRISIS = "crisis", "Crisis management"
    POST_EVENT = "post_event", "Post-event evaluation"


class RoleKind(models.TextChoices):
    COMMANDER = "commander", "Commander"
    DEPUTY = "deputy", "Deputy commander"
    COMMUNICATIONS_LEAD = "communications_lead", "Communications lead"
    REGULATOR_LIAISON = "regulator_liaison", "Regulator liaison"
    TECHNICAL_LEAD = "technical_lead", "Technical lead"
    LEGAL_COUNSEL = "legal_counsel", "Legal counsel"
    COORDINATOR = "coordinator", "Coordinator"


class TriggerKind(models.TextChoices):
    INDICATOR = "indicator", "An indicator reaches a severity"
    CATEGORY = "category", "Any indicator of a risk category reaches a severity"
    RULE = "rule", "A rule reaches a severity"
    MANUAL = "manual", "Declared by hand"


class ResourceKind(models.TextChoices):
    FUNDING = "funding", "Emergency funding source"
    RESERVE = "reserve", "Reserve"
    SYSTEM = "system", "System"
    SUPPLIER = "supplier", "Supplier"
    CONTACT = "contact", "Contact"


class Audience(models.TextChoices):
    STAFF = "staff", "Staff"
    CUSTOMERS = "customers", "Customers"
    REGULATORS = "regulators", "Regulators"
    PARTNERS = "partners", "Partners"
    PRESS = "press", "Press"


class Channel(models.TextChoices):
    EMAIL = "email", "E-mail"
    PHONE = "phone", "Phone"
    SMS = "sms", "SMS"
    APP = "app", "App notice"
    WEBSITE = "website", "Website"
    PRESS_RELEASE = "press_release", "Press release"
    REGULATOR_PORTAL = "regulator_portal", "Regulator portal"
    MEETING = "meeting", "Meeting"


def holder_name(holder) -> str:
    """A holder's name for people: a Person's, or a member's name (else e-mail)."""
    if holder is None:
        return ""
    return getattr(holder, "full_name", "") or getattr(holder, "email", "")


class Plan(TenantModel):
    """An emergency plan (应急预案); its content is on its versions."""

    code = models.SlugField(max_length=60, unique=True, help_text="Permanent identifier.")
    name = models.CharField(max_length=200)
    scenario = models.ForeignKey(
        "emergency.Scenario", on_delete=models.PROTECT, related_name="plans"
    )
    # The owner, like a role's holder: a member, or a person of the directory (at most one).
    owner = UserRef(null=True, blank=True, help_text="The member who keeps the plan current.")
    owner_person = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Or the person of the directory who keeps it current.",
    )
    risk_category_ids = ArrayField(models.UUIDField(), default=list, blank=True)
    risk_ids = ArrayField(models.UUIDField(), default=list, blank=True)
    review_cycle_months = models.PositiveSmallIntegerField(default=12)
    drill_cadence_months = models.PositiveSmallIntegerField(
        default=12, help_text="A drill is scheduled this many months after the last one."
    )
    review_due_on = models.DateField(
        null=True, blank=True, editable=False, help_text="Approval date + review cycle."
    )
    review_reminded_for = models.DateField(
        null=True, blank=True, editable=False, help_text="The due date last reminded of."
    )
    template = models.BooleanField(default=False, editable=False, help_text="Seeded template.")

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(review_cycle_months__gte=1), name="plan_cycle_min_1"
            ),
            models.CheckConstraint(
                condition=Q(drill_cadence_months__gte=1), name="plan_drill_min_1"
            ),
            models.CheckConstraint(
                condition=Q(owner__isnull=True) | Q(owner_person__isnull=True),
                name="plan_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def owned_by(self):
        """The member's User or the Person who keeps it current."""
        return self.owner_person or self.owner


class PlanVersion(TenantModel):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(
        max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT, db_index=True
    )
    objectives = models.TextField(blank=True)
    success_criteria = ArrayField(models.CharField(max_length=300), default=list, blank=True)
    evaluation_template = models.TextField(blank=True, help_text="Post-incident evaluation.")
    author = UserRef(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = UserRef(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "-number"]
        verbose_name = "plan version"
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_number"),
            models.UniqueConstraint(
                fields=["plan"], condition=Q(status="approved"), name="one_approved_version"
            ),
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(status__in=["draft", "in_review"]),
                name="one_open_draft",
            ),
        ]

    def __str__(self) -> str:
        plan = self.plan.code if self.plan_id else "?"
        return f"{plan} v{self.number} ({self.get_status_display()})"


class PlanRole(TenantModel):
    """Who fills a role of the plan's organisation, and their backup."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=30, choices=RoleKind.choices)
    # The holder and the backup: a person of the directory or a member (exactly one holder,
    # at most one backup; a member with a directory entry is held as that person).
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    member = UserRef(null=True, blank=True, help_text="A member without a directory entry.")
    backup = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    backup_member = UserRef(null=True, blank=True)

    class Meta:
        ordering = ["version", "role"]
        constraints = [
            models.UniqueConstraint(fields=["version", "role"], name="plan_role_once"),
            models.CheckConstraint(
                condition=Q(person__isnull=True) ^ Q(member__isnull=True),
                name="plan_role_one_holder",
            ),
            models.CheckConstraint(
                condition=Q(backup__isnull=True) | Q(backup_member__isnull=True),
                name="plan_role_one_backup",
            ),
        ]

    def __str__(self) -> str:
        return self.get_role_display()

    @property
    def holder(self):
        """The Person or the member's User who fills it."""
        return self.person or self.member

    @property
    def backup_holder(self):
        return self.backup or self.backup_member


class PlanStep(TenantModel):
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(help_text="1, 2, 3… in order.")
    phase = models.CharField(max_length=12, choices=Phase.choices)
    action = models.CharField(max_length=300)
    responsible_role = models.CharField(max_length=30, choices=RoleKind.choices)
    time_target_minutes = models.PositiveIntegerField(help_text="Minutes after activation.")
    depends_on = ArrayField(
        models.PositiveSmallIntegerField(),
        default=list,
        blank=True,
        help_text="Positions of earlier steps that must be done first.",
    )

    class Meta:
        ordering = ["version", "position"]
        verbose_name = "plan step"
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="plan_step_position")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.action}"


class PlanTrigger(TenantModel):
    """When a warning signal suggests (or, if automatic and red, activates) the plan."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="triggers")
    kind = models.CharField(max_length=10, choices=TriggerKind.choices)
    indicator = models.ForeignKey(
        "early_warning.Indicator", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    category = models.ForeignKey(
        "risks.RiskCategory", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rule = models.ForeignKey(
        "early_warning.Rule", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    severity = models.CharField(max_length=5, default="red", help_text="amber or red: at least.")
    level = models.ForeignKey("emergency.SeverityLevel", on_delete=models.PROTECT, related_name="+")
    automatic = models.BooleanField(default=False, help_text="A red signal activates the plan.")
    description = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["version", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="indicator") & Q(indicator__isnull=False))
                | (Q(kind="category") & Q(category__isnull=False))
                | (Q(kind="rule") & Q(rule__isnull=False))
                | Q(kind="manual"),
                name="trigger_names_its_source",
            )
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class LevelStrategy(TenantModel):
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="strategies")
    level = models.ForeignKey("emergency.SeverityLevel", on_delete=models.PROTECT, related_name="+")
    strategy = models.TextField()

    class Meta:
        ordering = ["version", "level__rank"]
        verbose_name_plural = "level strategies"
        constraints = [
            models.UniqueConstraint(fields=["version", "level"], name="strategy_once_per_level")
        ]

    def __str__(self) -> str:
        return f"Strategy at {self.level}"


class PlanResource(TenantModel):
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="resources")
    kind = models.CharField(max_length=10, choices=ResourceKind.choices)
    name = models.CharField(max_length=200)
    amount = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, default="CNY")
    detail = models.CharField(max_length=500, blank=True, help_text="Contact, system, terms.")

    class Meta:
        ordering = ["version", "kind", "name"]

    def __str__(self) -> str:
        return self.name


class CommunicationRule(TenantModel):
    """Who is told, how, with which template, within how many minutes of declaration."""

    version = models.ForeignKey(
        PlanVersion, on_delete=models.CASCADE, related_name="communications"
    )
    audience = models.CharField(max_length=12, choices=Audience.choices)
    channel = models.CharField(max_length=20, choices=Channel.choices)
    template = models.TextField(blank=True)
    deadline_minutes = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["version", "audience"]

    def __str__(self) -> str:
        return f"{self.get_audience_display()} by {self.get_channel_display()}"
