from auditlog.registry import auditlog

from apps.early_warning.models import Indicator, Rule, WarningSettings, WarningSignal

auditlog.register(
    Indicator,
    exclude_fields=[
        "updated_at",
        "last_scanned_at",
        "calibrated_amber",
        "calibrated_red",
        "calibrated_at",
    ],
    m2m_fields={"risks"},
)
auditlog.register(Rule, exclude_fields=["updated_at"])
auditlog.register(WarningSettings, exclude_fields=["updated_at", "partitions_checked_on"])
# Signals: their status changes are audited; scan bookkeeping (streaks, counts) is not.
auditlog.register(WarningSignal, include_fields=["status", "assignee", "comment", "severity"])
