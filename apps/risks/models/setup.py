"""What a tenant configures once: its category tree, its matrices, its register settings."""

from django.db import models

from apps.core.models import TenantModel
from apps.risks.levels import RiskLevel


class RiskCategory(TenantModel):
    """A node of the taxonomy. `code` is a stable identifier; `path` makes subtree queries cheap."""

    code = models.SlugField(max_length=60, unique=True)
    name_en = models.CharField(max_length=120)
    name_zh = models.CharField(max_length=120, blank=True)
    description = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(
        max_length=500,
        db_index=True,
        editable=False,
        help_text="Codes from the root, joined by '/'.",
    )
    seeded = models.BooleanField(default=False, help_text="One of the ten codes every tenant has.")

    class Meta:
        ordering = ["path"]
        verbose_name_plural = "risk categories"

    def __str__(self) -> str:
        return f"{self.name_en} ({self.code})"


class RiskMatrix(TenantModel):
    """One version of a likelihood × impact matrix. Immutable once it has rated anything."""

    name = models.CharField(max_length=120)
    version = models.PositiveIntegerField()
    definition = models.JSONField(
        help_text="The likelihood and impact scales, the grid of levels and its colours."
    )
    is_active = models.BooleanField(default=False)
    activated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["version"], name="risk_matrix_version_unique"),
            models.UniqueConstraint(
                fields=["is_active"],
                condition=models.Q(is_active=True),
                name="one_active_risk_matrix",
            ),
        ]
        verbose_name_plural = "risk matrices"

    def __str__(self) -> str:
        return f"{self.name} v{self.version}{' (active)' if self.is_active else ''}"

    @property
    def size(self) -> tuple[int, int]:
        return len(self.definition["likelihood"]), len(self.definition["impact"])


def default_review_cadence() -> dict[str, int]:
    return {RiskLevel.CRITICAL: 30, RiskLevel.HIGH: 90, RiskLevel.MEDIUM: 180, RiskLevel.LOW: 365}


def default_residual_rule() -> dict:
    # How many levels an effective control takes off: preventive controls lower likelihood,
    # detective and corrective ones lower impact. Only the best control of each kind counts.
    return {"effective": 2, "partially_effective": 1, "ineffective": 0, "not_assessed": 0}


class RegisterSettings(TenantModel):
    """The tenant's register rules (one row): review cadence per level, residual proposal rule."""

    review_cadence_days = models.JSONField(
        default=default_review_cadence,
        help_text='Days from one review to the next, for each level, e.g. {"high": 90, …}.',
    )
    residual_steps = models.JSONField(
        default=default_residual_rule,
        help_text="How many steps a control of each effectiveness takes off the residual rating "
        '(preventive: likelihood, detective and corrective: impact), e.g. {"effective": 2, …}.',
    )
    acceptance_max_days = models.PositiveIntegerField(
        default=365, help_text="Longest validity an acceptance may be given."
    )
    daily_run_on = models.DateField(
        null=True, blank=True, help_text="Day of the last daily register run (set when it starts)."
    )
    # A constant, unique: the one row exists once, even when two first reads race to create it.
    singleton = models.BooleanField(default=True, editable=False, unique=True)

    class Meta:
        verbose_name_plural = "register settings"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(singleton=True), name="register_settings_one_row"
            )
        ]

    def __str__(self) -> str:
        return "Register settings"
