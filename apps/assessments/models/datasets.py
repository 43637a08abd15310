"""Datasets (versioned columnar tables), scorecard versions, runs and their typed results.

A dataset version's rows are stored as one `.npy` blob per column in PostgreSQL (bytea), in the
tenant's own schema: isolated as every other row, written in the version's transaction (all or
nothing), backed up with the rest (docs/decisions.md, "Assessments").
"""

from django.contrib.postgres.fields import ArrayField
from django.db import models

from apps.core.models import Job, TenantModel, UserRef


class DatasetKind(models.TextChoices):
    LOAN_BOOK = "loan_book", "Loan book / applications"
    POSITIONS = "positions", "Positions"
    RETURNS = "returns", "Return history"
    CASH_FLOWS = "cash_flows", "Cash flows"
    SCENARIOS = "scenarios", "Stress scenarios"
    LOAN_PERFORMANCE = "loan_performance", "Loan performance history (monthly)"


class VersionStatus(models.TextChoices):
    PARSING = "parsing", "Parsing"
    READY = "ready", "Ready"
    REJECTED = "rejected", "Rejected"


class Dataset(TenantModel):
    name = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=DatasetKind.choices)
    description = models.TextField(blank=True, max_length=2000)
    latest_number = models.PositiveIntegerField(default=0, help_text="The last version's number.")
    created_by = UserRef(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


class DatasetVersion(TenantModel):
    dataset = models.ForeignKey(Dataset, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(
        max_length=10, choices=VersionStatus.choices, default=VersionStatus.PARSING
    )
    row_count = models.PositiveIntegerField(default=0)
    columns = ArrayField(models.CharField(max_length=60), default=list, blank=True)
    file_format = models.CharField(max_length=8)
    job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = UserRef(null=True, blank=True)

    class Meta:
        ordering = ["dataset__name", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "number"], name="dataset_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.dataset.name} v{self.number}"


class DatasetColumn(models.Model):
    """One column of a version: a NumPy array in .npy format (no pickles: allow_pickle=False)."""

    id = models.BigAutoField(primary_key=True)
    version = models.ForeignKey(DatasetVersion, on_delete=models.CASCADE, related_name="data")
    name = models.CharField(max_length=60)
    data = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "name"], name="dataset_column_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} of {self.version_id}"
