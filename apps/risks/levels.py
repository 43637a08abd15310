from apps.core.choices import RankedChoices


class RiskLevel(RankedChoices):
    """The closed set of risk levels every matrix maps its cells to, lowest first."""

    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    CRITICAL = "critical", "Critical"
