"""The risk reserve fund (风险准备金): a target, a balance that moves only through approved
movements (maker-checker), and its adequacy against a run's stressed losses."""

from django.db import models

from apps.assessments.models.runs import AssessmentRun
from apps.core.models import TenantModel, UserRef


class ReserveFund(TenantModel):
    """One reserve in one currency. `balance` is the sum of its approved movements (written
    only by the approval, under the fund's row lock)."""

    name = models.CharField(max_length=120, unique=True)
    currency = models.CharField(max_length=3, help_text="ISO 4217 code, e.g. CNY.")
    target = models.DecimalField(
        max_digits=18, decimal_places=2, help_text="The balance the reserve should hold."
    )
    balance = models.DecimalField(max_digits=18, decimal_places=2, default=0, editable=False)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(balance__gte=0), name="reserve_balance_not_negative"
            ),
            models.CheckConstraint(condition=models.Q(target__gte=0), name="reserve_target_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.currency})"


class MovementKind(models.TextChoices):
    CONTRIBUTION = "contribution", "Contribution (adds to the balance)"
    DRAWDOWN = "drawdown", "Drawdown (covers a loss)"
    RELEASE = "release", "Release (excess given back)"


INFLOWS = {MovementKind.CONTRIBUTION}  # the other kinds take money out


class MovementStatus(models.TextChoices):
    PENDING = "pending", "Pending approval"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class ReserveMovement(TenantModel):
    """A proposed change of the balance: a maker proposes, a risk manager or admin other than
    the maker approves (the balance moves then) or rejects it."""

    fund = models.ForeignKey(ReserveFund, on_delete=models.PROTECT, related_name="movements")
    kind = models.CharField(max_length=12, choices=MovementKind.choices)
    amount = models.DecimalField(
        max_digits=18, decimal_places=2, help_text="Positive, in the fund's currency."
    )
    reason = models.TextField(max_length=2000)
    status = models.CharField(
        max_length=10, choices=MovementStatus.choices, default=MovementStatus.PENDING
    )
    made_by = UserRef(null=True, blank=True)
    decided_by = UserRef(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(blank=True, max_length=2000)
    balance_after = models.DecimalField(
        max_digits=18, decimal_places=2, null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="reserve_amount_gt_0")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display().split(' (')[0]} {self.amount} {self.fund.currency}"


class ReserveAdequacy(TenantModel):
    """The fund's balance against the stressed loss of one run, at one moment: coverage =
    balance ÷ stressed loss (null when the loss is 0), shortfall = max(0, loss − balance)."""

    fund = models.ForeignKey(ReserveFund, on_delete=models.PROTECT, related_name="adequacies")
    run = models.ForeignKey(AssessmentRun, on_delete=models.PROTECT, related_name="+")
    scenario = models.CharField(max_length=120, blank=True, help_text="Stress scenario used.")
    stressed_loss = models.DecimalField(max_digits=18, decimal_places=2)
    balance = models.DecimalField(max_digits=18, decimal_places=2)
    target = models.DecimalField(max_digits=18, decimal_places=2)
    coverage_ratio = models.DecimalField(max_digits=18, decimal_places=6, null=True, blank=True)
    shortfall = models.DecimalField(max_digits=18, decimal_places=2)
    assessed_at = models.DateTimeField()
    assessed_by = UserRef(null=True, blank=True)

    class Meta:
        ordering = ["-assessed_at", "-id"]
        verbose_name_plural = "reserve adequacies"

    def __str__(self) -> str:
        return f"{self.fund.name} at {self.assessed_at:%Y-%m-%d %H:%M}"
