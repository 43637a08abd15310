"""Key risk indicators, their observations and rules, and the warning signals scans raise."""

from django.contrib.postgres.fields import ArrayField
from django.db import models

from apps.core.models import TenantModel, UserRef


class DataSource(models.TextChoices):
    MARKET = "market", "Market data"
    USER_BEHAVIOUR = "user_behaviour", "User behaviour"
    TRANSACTIONS = "transactions", "Transactions"
    FUND_FLOWS = "fund_flows", "Fund flows"
    CREDIT = "credit", "Credit and repayment"
    POLICY = "policy", "Policy and regulation"
    TECH_OPS = "tech_ops", "Technology operations"
    REPUTATION = "reputation", "Reputation"
    ASSESSMENT = "assessment", "Quantitative assessment"
    OTHER = "other", "Other"


class Direction(models.TextChoices):
    HIGHER_IS_WORSE = "higher_is_worse", "Higher is worse"
    LOWER_IS_WORSE = "lower_is_worse", "Lower is worse"


class ThresholdMode(models.TextChoices):
    STATIC = "static", "Static"
    MEAN_SIGMA = "mean_sigma", "Dynamic: rolling mean ± k·σ"
    PERCENTILE = "percentile", "Dynamic: rolling percentile"


class Severity(models.TextChoices):
    AMBER = "amber", "Amber"
    RED = "red", "Red"


class Indicator(TenantModel):
    """A key risk indicator (KRI). Static thresholds, or dynamic ones recalibrated by each scan."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    category = models.ForeignKey(
        "risks.RiskCategory", on_delete=models.PROTECT, related_name="indicators"
    )
    risks = models.ManyToManyField("risks.Risk", blank=True, related_name="indicators")
    data_source = models.CharField(
        max_length=20, choices=DataSource.choices, default=DataSource.OTHER
    )
    unit = models.CharField(max_length=30, blank=True)
    direction = models.CharField(
        max_length=20, choices=Direction.choices, default=Direction.HIGHER_IS_WORSE
    )
    frequency_minutes = models.PositiveIntegerField(
        default=1440,
        help_text="How often data is expected, and how often the indicator is scanned.",
    )
    stale_after_minutes = models.PositiveIntegerField(
        null=True, blank=True, help_text="No data for longer than this is itself a signal."
    )
    responsible_ids = ArrayField(
        models.IntegerField(),
        default=list,
        blank=True,
        help_text="Users (members) told about its signals.",
    )
    threshold_mode = models.CharField(
        max_length=12, choices=ThresholdMode.choices, default=ThresholdMode.STATIC
    )
    amber = models.FloatField(null=True, blank=True, help_text="Static amber threshold.")
    red = models.FloatField(null=True, blank=True, help_text="Static red threshold.")
    dynamic_window = models.PositiveIntegerField(
        default=30, help_text="How many recent points dynamic thresholds are computed from."
    )
    dynamic_amber = models.FloatField(
        default=2.0,
        help_text="Dynamic amber: standard deviations from the mean, or a percentile (0–100).",
    )
    dynamic_red = models.FloatField(
        default=3.0,
        help_text="Dynamic red: standard deviations from the mean, or a percentile (0–100).",
    )
    calibrated_amber = models.FloatField(null=True, blank=True)
    calibrated_red = models.FloatField(null=True, blank=True)
    calibrated_at = models.DateTimeField(null=True, blank=True)
    resolve_after_green = models.PositiveSmallIntegerField(
        default=3, help_text="Green periods in a row that resolve an open signal."
    )
    is_active = models.BooleanField(default=True)
    archived_at = models.DateTimeField(
        null=True, blank=True, help_text="Archived: inactive, and out of the lists by default."
    )
    # No index: every scan rewrites this column of every indicator it scans, and an index on it
    # made each of those updates rewrite every index of the row (no HOT update); the due-check
    # (selectors.due_indicators) compares it with an expression, which no index serves.
    last_scanned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def thresholds(self) -> tuple[float | None, float | None]:
        if self.threshold_mode == ThresholdMode.STATIC:
            return self.amber, self.red
        return self.calibrated_amber, self.calibrated_red


class Observation(models.Model):
    """One value of an indicator at a time, for a combination of dimensions.

    Values are float64: indicators are measurements (ratios, counts, latencies), analysed with
    numpy; money that must be exact lives in the register as Decimal. Unique per
    (indicator, time, dimensions): re-sending a point replaces it.
    """

    id = models.BigAutoField(primary_key=True)
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="observations")
    observed_at = models.DateTimeField()
    value = models.FloatField()
    dimensions = models.JSONField(default=dict, blank=True)
    dimensions_key = models.CharField(
        max_length=300,
        default="",
        blank=True,
        help_text="The dimensions as one text (k=v;k=v, sorted): which series this point is in.",
    )
    received_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["indicator_id", "dimensions_key", "observed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "dimensions_key", "observed_at"],
                name="one_observation_per_point",
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} at {self.observed_at:%Y-%m-%d %H:%M} = {self.value:.4g}"


class ObservationSeries(models.Model):
    """Every (indicator, dimensions) series and the time of its newest observation, kept by
    ingestion (the only writer of observations). A scan lists series here and reads each one's
    newest points from the months after a bound derived from that time, so the monthly
    partitions of older history are never touched (apps/early_warning/partitions.py)."""

    id = models.BigAutoField(primary_key=True)
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="observation_series"
    )
    dimensions_key = models.CharField(max_length=300, default="", blank=True)
    last_observed_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "observation series"
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "dimensions_key"], name="one_series_per_dimensions"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} [{self.dimensions_key}]"


class RuleKind(models.TextChoices):
    THRESHOLD = "threshold", "Threshold breach"
    SUSTAINED = "sustained", "Sustained breach"
    RATE_OF_CHANGE = "rate_of_change", "Rate of change"
    ZSCORE = "zscore", "Statistical anomaly (z-score)"
    EWMA = "ewma", "Statistical anomaly (EWMA)"
    MISSING_DATA = "missing_data", "Missing data"


class Rule(TenantModel):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(max_length=20, choices=RuleKind.choices)
    params = models.JSONField(default=dict, blank=True)
    is_active = models.BooleanField(default=True)
    archived_at = models.DateTimeField(
        null=True, blank=True, help_text="Archived: inactive, kept for its signals' history."
    )

    class Meta:
        ordering = ["indicator_id", "kind", "created_at"]

    def __str__(self) -> str:
        if self.indicator_id is None:
            return self.get_kind_display()
        return f"{self.get_kind_display()} on {self.indicator.name}"


class SignalStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    ESCALATED = "escalated", "Escalated"
    RESOLVED = "resolved", "Resolved"
    DISMISSED = "dismissed", "Dismissed (false positive)"


LIVE_STATUSES = [SignalStatus.OPEN, SignalStatus.ACKNOWLEDGED, SignalStatus.ESCALATED]
CLOSED_STATUSES = [SignalStatus.RESOLVED, SignalStatus.DISMISSED]


class WarningSignal(TenantModel):
    """One live signal per (indicator, rule, dimensions): repeats update it."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="signals")
    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="signals")
    dimensions_key = models.CharField(max_length=300, default="", blank=True)
    severity = models.CharField(max_length=5, choices=Severity.choices)
    status = models.CharField(
        max_length=12, choices=SignalStatus.choices, default=SignalStatus.OPEN
    )
    observed_value = models.FloatField(null=True, blank=True)
    threshold = models.FloatField(null=True, blank=True)
    detail = models.CharField(max_length=300, blank=True)
    first_triggered_at = models.DateTimeField()
    last_triggered_at = models.DateTimeField(db_index=True)
    last_severity_change_at = models.DateTimeField(
        help_text="When it was raised or last changed severity (red escalation counts from here)."
    )
    last_observed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Time of the newest observation counted (scanning the same data again changes "
        "nothing).",
    )
    occurrences = models.PositiveIntegerField(default=1, help_text="Breaching observations seen.")
    green_streak = models.PositiveSmallIntegerField(default=0)
    assignee = UserRef(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(
        blank=True, help_text="The latest comment (kept for old clients; the thread is comments)."
    )

    class Meta:
        ordering = ["-last_triggered_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "rule", "dimensions_key"],
                condition=models.Q(status__in=["open", "acknowledged", "escalated"]),
                name="one_live_signal_per_series",
            )
        ]
        indexes = [
            # What the newest closed signal of a series covered (scans read it per chunk).
            models.Index(
                "indicator",
                "rule",
                "dimensions_key",
                models.F("last_observed_at").desc(nulls_last=True),
                condition=models.Q(status__in=["resolved", "dismissed"]),
                name="closed_signal_coverage",
            ),
            # Filters by status (lists, escalation). A plain index: `db_index=True` on a
            # CharField also made a `varchar_pattern_ops` twin for LIKE, which nothing runs and
            # every raised signal paid for.
            models.Index(fields=["status"], name="signal_status"),
        ]

    def __str__(self) -> str:
        where = f" [{self.dimensions_key}]" if self.dimensions_key else ""
        # A scan names the indicator it holds as values (no read per signal for the audit trail).
        name = getattr(self, "indicator_name", None) or (
            self.indicator.name if self.indicator_id else "?"
        )
        # Labels by dict lookup (a scan names hundreds of signals for the audit trail; Django's
        # get_FOO_display builds the choices mapping on every call).
        status = _STATUS_LABELS.get(self.status, self.status)
        severity = _SEVERITY_LABELS.get(self.severity, self.severity)
        return f"{severity} signal on {name}{where} ({status})"


_STATUS_LABELS = {value: str(label) for value, label in SignalStatus.choices}
_SEVERITY_LABELS = {value: str(label) for value, label in Severity.choices}


class SignalComment(TenantModel):
    """One entry of a signal's thread, append-only: a comment, or a status change (from → to)
    with the comment given for it. Nothing edits or deletes an entry."""

    signal = models.ForeignKey(WarningSignal, on_delete=models.CASCADE, related_name="comments")
    author = UserRef(null=True, blank=True, help_text="Empty: written by a scan.")
    body = models.TextField(blank=True)
    from_status = models.CharField(max_length=12, choices=SignalStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=SignalStatus.choices, blank=True)
    at = models.DateTimeField(help_text="When it happened (a scan's changes: the scan's clock).")

    class Meta:
        ordering = ["signal_id", "at", "created_at"]
        indexes = [models.Index("signal", "at", name="signal_thread")]

    def __str__(self) -> str:
        if self.to_status:
            return f"{self.from_status} → {self.to_status}"
        return self.body[:60]


class WarningSettings(TenantModel):
    """The tenant's early-warning rules (one row)."""

    escalate_red_after_minutes = models.PositiveIntegerField(
        default=60, help_text="An unacknowledged red signal escalates after this long."
    )
    retention_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Observations older than this many whole months are dropped (by month, "
        "daily); empty: kept for ever.",
    )
    partitions_checked_on = models.DateField(
        null=True, blank=True, editable=False, help_text="The day the tick last kept partitions."
    )
    # A constant, unique: the one row exists once, even when two first reads race to create it.
    singleton = models.BooleanField(default=True, editable=False, unique=True)

    class Meta:
        verbose_name_plural = "warning settings"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(singleton=True), name="warning_settings_one_row"
            )
        ]

    def __str__(self) -> str:
        return "Warning settings"
