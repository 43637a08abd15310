"""How runs write to the register (a tenant's mapping of figures to the matrix's levels), and
runs scheduled from the tenant tick."""

from django.contrib.postgres.fields import ArrayField
from django.db import models

from apps.assessments.models.results import FigureCode
from apps.assessments.models.runs import AssessmentRun, RunKind
from apps.core.models import TenantModel


class RatingKind(models.TextChoices):
    INHERENT = "inherent", "Inherent"
    RESIDUAL = "residual", "Residual"


class RegisterMapping(TenantModel):
    """For one kind of run: which figure rates likelihood and which impact on the active matrix
    (through the tenant's bands, or the matrix's own numeric bounds when no bands are given),
    and which figure is recorded as the assessment's expected loss. Bands are floats (exact for
    any threshold a risk officer writes, and what the audit log can store as JSON)."""

    run_kind = models.CharField(max_length=24, choices=RunKind.choices, unique=True)
    rating_kind = models.CharField(
        max_length=10, choices=RatingKind.choices, default=RatingKind.RESIDUAL
    )
    likelihood_figure = models.CharField(max_length=30, choices=FigureCode.choices)
    likelihood_segment = models.CharField(max_length=120, blank=True)
    likelihood_bands = ArrayField(
        models.FloatField(),
        default=list,
        blank=True,
        help_text="Thresholds of levels 2, 3, …: rising (higher is worse) or falling (lower "
        "is worse); empty: the matrix's likelihood bounds (an annual probability).",
    )
    impact_figure = models.CharField(max_length=30, choices=FigureCode.choices)
    impact_segment = models.CharField(max_length=120, blank=True)
    impact_bands = ArrayField(
        models.FloatField(),
        default=list,
        blank=True,
        help_text="As likelihood_bands; empty: the matrix's impact bounds (money).",
    )
    loss_figure = models.CharField(max_length=30, choices=FigureCode.choices, blank=True)
    loss_segment = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["run_kind"]

    def __str__(self) -> str:
        return f"Register mapping of {self.get_run_kind_display()}"


class Cadence(models.TextChoices):
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly (ISO week)"
    MONTHLY = "monthly", "Monthly"


class RunSchedule(TenantModel):
    """Repeat a run once per period on the latest ready version of each of its inputs' datasets
    (same kind, parameters, scorecard, risks and limits; a new seed each time)."""

    name = models.CharField(max_length=120, unique=True)
    template = models.ForeignKey(AssessmentRun, on_delete=models.PROTECT, related_name="+")
    cadence = models.CharField(max_length=10, choices=Cadence.choices)
    active = models.BooleanField(default=True)
    last_period = models.CharField(max_length=10, blank=True, help_text="e.g. 2026-12-01.")
    last_error = models.TextField(blank=True, max_length=4000)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
