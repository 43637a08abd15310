"""Runs: their kinds, statuses, inputs and the scorecard versions they fit."""

from django.contrib.postgres.fields import ArrayField
from django.db import models

from apps.assessments.models.datasets import DatasetVersion
from apps.core.models import Job, TenantModel, UserRef


class RunKind(models.TextChoices):
    SCORECARD_DEVELOPMENT = "scorecard_development", "Credit scorecard development"
    CREDIT_SCORING = "credit_scoring", "Credit scoring and expected loss"
    MARKET_VAR = "market_var", "Market VaR / ES with backtesting"
    LIQUIDITY = "liquidity", "Liquidity ladder and coverage"
    STRESS_TEST = "stress_test", "Stress test"
    CREDIT_PORTFOLIO = "credit_portfolio", "Loan book concentration and vintage quality"


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


class Scorecard(TenantModel):
    """A fitted scorecard version: bin edges, WoE, coefficients and points, the grade cut-offs
    and PDs, and the development score distribution (PSI compares against these edges)."""

    name = models.CharField(max_length=120)
    version = models.PositiveIntegerField()
    run = models.OneToOneField(
        "AssessmentRun", on_delete=models.PROTECT, related_name="scorecard_fitted"
    )
    specification = models.JSONField(help_text="Features, bins, points, grades (model/1).")

    class Meta:
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="scorecard_name_version")
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class AssessmentRun(TenantModel):
    kind = models.CharField(max_length=24, choices=RunKind.choices)
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    model_version = models.CharField(max_length=40, help_text="Algorithm version of the kind.")
    seed = models.BigIntegerField()
    parameters = models.JSONField(default=dict, blank=True, help_text="As checked, defaults in.")
    loan_book = models.ForeignKey(
        DatasetVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    positions = models.ForeignKey(
        DatasetVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    returns = models.ForeignKey(
        DatasetVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cash_flows = models.ForeignKey(
        DatasetVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    scenarios = models.ForeignKey(
        DatasetVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    loan_performance = models.ForeignKey(
        DatasetVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    scorecard = models.ForeignKey(
        Scorecard, null=True, blank=True, on_delete=models.PROTECT, related_name="scoring_runs"
    )
    risk_ids = ArrayField(models.UUIDField(), default=list, blank=True, help_text="Linked risks.")
    limit_bindings = models.JSONField(
        default=list,
        blank=True,
        help_text='Register limits this run sets: [{"limit": id, "figure": code, "segment": ""}].',
    )
    register_note = models.TextField(blank=True, help_text="What the run wrote to the register.")
    schedule = models.ForeignKey(
        "assessments.RunSchedule",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="runs",
    )
    period = models.CharField(max_length=10, blank=True, help_text="A scheduled run's period.")
    error = models.TextField(blank=True, max_length=4000)
    restarts = models.PositiveSmallIntegerField(
        default=0, help_text="Times a new job took the run over after its worker was lost."
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_by = UserRef(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [  # a schedule runs once per period, whatever the ticks do
            models.UniqueConstraint(
                fields=["schedule", "period"],
                condition=models.Q(schedule__isnull=False),
                name="scheduled_run_once_per_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"
