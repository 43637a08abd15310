"""Risk appetite per category, and quantitative limits with utilisation."""

from decimal import Decimal

from django.db import models

from apps.core.models import TenantModel
from apps.risks.levels import RiskLevel


class RiskAppetite(TenantModel):
    """The highest acceptable level for risks of a category (and of its sub-categories)."""

    category = models.OneToOneField(
        "risks.RiskCategory", on_delete=models.CASCADE, related_name="appetite"
    )
    max_level = models.CharField(max_length=10, choices=RiskLevel.choices)
    statement = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.category.code} ≤ {self.max_level}"


class RiskLimit(TenantModel):
    name = models.CharField(max_length=200)
    category = models.ForeignKey(
        "risks.RiskCategory", null=True, blank=True, on_delete=models.PROTECT, related_name="limits"
    )
    risk = models.ForeignKey(
        "risks.Risk", null=True, blank=True, on_delete=models.CASCADE, related_name="limits"
    )
    unit = models.CharField(max_length=30, default="CNY")
    cap = models.DecimalField(max_digits=20, decimal_places=4)
    current_value = models.DecimalField(max_digits=20, decimal_places=4, default=Decimal(0))
    warning_ratio = models.DecimalField(
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.8"),
        help_text="Utilisation from which the limit is near breach.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(cap__gt=0), name="risk_limit_cap_positive")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def utilisation(self) -> Decimal:
        return (self.current_value / self.cap).quantize(Decimal("0.0001"))

    @property
    def breached(self) -> bool:
        return self.current_value > self.cap
