from django.db import models


class RiskLevel(models.TextChoices):
    """The closed set of risk levels every matrix maps its cells to."""

    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    CRITICAL = "critical", "Critical"

    @classmethod
    def rank(cls, level: str) -> int:
        return list(cls.values).index(level)
