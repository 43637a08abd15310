"""Risks, their append-only assessments, and their reviews."""

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models

from apps.core.models import TenantModel, UserRef
from apps.risks.levels import RiskLevel


class RiskStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open"
    IN_TREATMENT = "in_treatment", "In treatment"
    ACCEPTED = "accepted", "Accepted"
    CLOSED = "closed", "Closed"


class RiskSource(models.TextChoices):
    PROCESS = "process", "Internal process"
    PEOPLE = "people", "People"
    SYSTEM = "system", "System"
    EXTERNAL = "external", "External event"
    THIRD_PARTY = "third_party", "Third party"


class TreatmentStrategy(models.TextChoices):
    AVOID = "avoid", "Avoid"
    MITIGATE = "mitigate", "Reduce / mitigate"
    TRANSFER = "transfer", "Transfer (insurance, guarantees)"
    ACCEPT = "accept", "Accept"
    DIVERSIFY = "diversify", "Diversify"
    HEDGE = "hedge", "Hedge"
    LIMIT = "limit", "Limit"


class AssessmentKind(models.TextChoices):
    INHERENT = "inherent", "Inherent"
    RESIDUAL = "residual", "Residual"


class AssessmentMethod(models.TextChoices):
    EXPERT = "expert", "Expert judgement"
    HISTORICAL = "historical", "Historical data"
    SCENARIO = "scenario", "Scenario analysis"
    STRESS = "stress", "Stress test"
    MODEL = "model", "Quantitative model"
    MATRIX_MIGRATION = "matrix_migration", "Carried over to a new matrix"


REFERENCE_PREFIX = "R-"


class Risk(TenantModel):
    # What risk officers call a risk in meetings and minutes ("R-0042"): numbered in creation
    # order by risk_create. Null only for rows written around the services (bulk loads).
    number = models.PositiveIntegerField(
        null=True, blank=True, unique=True, editable=False, help_text="Its reference is R-<number>."
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    category = models.ForeignKey(
        "risks.RiskCategory", on_delete=models.PROTECT, related_name="risks"
    )
    business_line = models.CharField(max_length=120, blank=True)
    causes = models.TextField(blank=True)
    consequences = models.TextField(blank=True)
    source = models.CharField(max_length=20, choices=RiskSource.choices, default=RiskSource.PROCESS)
    owner = models.ForeignKey(  # a person of the directory; most owners never log in
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The person accountable (the directory's).",
    )
    department = models.CharField(max_length=120, blank=True)
    org_department = models.ForeignKey(  # the directory's department; `department` is legacy text
        "people.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="risks",
        verbose_name="department (directory)",
    )
    status = models.CharField(
        max_length=20, choices=RiskStatus.choices, default=RiskStatus.DRAFT, db_index=True
    )
    treatment_strategy = models.CharField(
        max_length=20, choices=TreatmentStrategy.choices, blank=True
    )
    related_risks = models.ManyToManyField("self", blank=True, symmetrical=True)
    tags = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    next_review_at = models.DateField(null=True, blank=True, db_index=True)
    last_reviewed_at = models.DateTimeField(null=True, blank=True)
    # The latest inherent and residual ratings, copied from the assessments so the register can be
    # filtered, sorted and drawn as a heatmap without reading history.
    inherent_likelihood = models.PositiveSmallIntegerField(null=True, blank=True)
    inherent_impact = models.PositiveSmallIntegerField(null=True, blank=True)
    inherent_score = models.PositiveSmallIntegerField(null=True, blank=True)
    inherent_level = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    residual_likelihood = models.PositiveSmallIntegerField(null=True, blank=True)
    residual_impact = models.PositiveSmallIntegerField(null=True, blank=True)
    residual_score = models.PositiveSmallIntegerField(null=True, blank=True)
    residual_level = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    current_level = models.CharField(
        max_length=10,
        choices=RiskLevel.choices,
        blank=True,
        db_index=True,
        help_text="Residual when assessed, else inherent.",
    )
    above_appetite = models.BooleanField(default=False, db_index=True)
    residual_proposal = models.JSONField(
        null=True,
        blank=True,
        help_text="The residual rating the controls now justify, waiting for a risk manager to "
        "apply it.",
    )
    review_flag = models.CharField(
        max_length=200,
        blank=True,
        help_text="Why the risk wants an early review (e.g. a red indicator).",
    )
    archived_at = models.DateTimeField(
        null=True,
        blank=True,
        db_index=True,
        help_text="Set when archived: out of the register's lists and reports, kept for history.",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [GinIndex(fields=["tags"], name="risk_tags_gin")]

    def __str__(self) -> str:
        return self.title

    @property
    def reference(self) -> str:
        return f"{REFERENCE_PREFIX}{self.number:04d}" if self.number is not None else ""


class RiskAssessment(TenantModel):
    """One rating of a risk at a point in time. Never updated, never deleted: history."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="assessments")
    kind = models.CharField(max_length=10, choices=AssessmentKind.choices)
    method = models.CharField(
        max_length=20, choices=AssessmentMethod.choices, default=AssessmentMethod.EXPERT
    )
    matrix = models.ForeignKey("risks.RiskMatrix", on_delete=models.PROTECT, related_name="+")
    likelihood = models.PositiveSmallIntegerField()
    impact = models.PositiveSmallIntegerField()
    score = models.PositiveSmallIntegerField()
    level = models.CharField(max_length=10, choices=RiskLevel.choices)
    expected_loss = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, default="CNY")
    rationale = models.TextField(blank=True)
    assessor = UserRef(null=True, blank=True)
    assessed_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-assessed_at", "-created_at"]
        indexes = [models.Index(fields=["risk", "kind", "-assessed_at"], name="assessment_latest")]

    def __str__(self) -> str:
        title = self.risk.title if self.risk_id else "?"
        return (
            f"{self.get_kind_display()} rating of {title}: "
            f"L{self.likelihood}×I{self.impact} = {self.level}"
        )


class RiskReview(TenantModel):
    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="reviews")
    reviewer = UserRef(null=True, blank=True)
    reviewed_at = models.DateTimeField()
    notes = models.TextField(blank=True)
    level_at_review = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    next_review_at = models.DateField()

    class Meta:
        ordering = ["-reviewed_at"]

    def __str__(self) -> str:
        title = self.risk.title if self.risk_id else "?"
        return f"Review of {title} on {self.reviewed_at:%Y-%m-%d}"
