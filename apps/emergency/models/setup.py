"""What a tenant configures once: scenarios (extensible) and severity levels (default I–IV)."""

from django.db import models
from django.db.models import Q

from apps.core.models import TenantModel


class Scenario(TenantModel):
    """A kind of emergency (liquidity run, system outage…). Seeded; tenants add their own."""

    code = models.SlugField(max_length=60, unique=True, help_text="Permanent identifier.")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    builtin = models.BooleanField(default=False, editable=False, help_text="Seeded, not added.")

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class SeverityLevel(TenantModel):
    """A response level. Rank 1 is the most severe (I); the tenant may rename or add levels."""

    code = models.CharField(max_length=10, unique=True, help_text="e.g. I, II, III, IV.")
    name = models.CharField(max_length=100)
    rank = models.PositiveSmallIntegerField(unique=True, help_text="1 = most severe.")
    regulator_report_hours = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="A report to the regulator is due this many hours after declaration; "
        "empty: none at this level.",
    )

    class Meta:
        ordering = ["rank"]
        constraints = [models.CheckConstraint(condition=Q(rank__gte=1), name="level_rank_min_1")]

    def __str__(self) -> str:
        return f"Level {self.code} — {self.name}"
