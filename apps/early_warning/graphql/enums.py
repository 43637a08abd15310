"""The closed sets of early warning: sources, directions, severities, rule kinds, statuses."""

from enum import Enum

import strawberry

from apps.core.graphql.errors import choices_enum
from apps.early_warning import models as m

DataSourceEnum = choices_enum(m.DataSource, "DataSource", "Where an indicator's data comes from.")
DirectionEnum = choices_enum(m.Direction, "Direction", "Which way an indicator gets worse.")
ThresholdModeEnum = choices_enum(
    m.ThresholdMode, "ThresholdMode", "How an indicator's thresholds are set."
)
SeverityEnum = choices_enum(m.Severity, "Severity", "How bad a signal is.")
RuleKindEnum = choices_enum(
    m.RuleKind,
    "RuleKind",
    "What a rule looks for; its parameters are in RuleParams / RuleParamsInput.",
    descriptions={
        m.RuleKind.THRESHOLD: "The value crosses the thresholds in force. No parameters.",
        m.RuleKind.SUSTAINED: "The thresholds are crossed `periods` times in a row.",
        m.RuleKind.RATE_OF_CHANGE: "The value moved by `amberPct`/`redPct` % within "
        "`windowMinutes`.",
        m.RuleKind.ZSCORE: "The value is `amberZ`/`redZ` standard deviations from the mean of "
        "the last `window` points.",
        m.RuleKind.EWMA: "The value leaves an exponentially weighted band (`alpha`, `amberK`, "
        "`redK`, after `warmup` points).",
        m.RuleKind.MISSING_DATA: "No data for longer than the indicator's staleAfterMinutes. "
        "No parameters.",
    },
)
SignalStatusEnum = choices_enum(
    m.SignalStatus,
    "SignalStatus",
    "Where a signal is in its life: OPEN → ACKNOWLEDGED ⇄ ESCALATED → RESOLVED, or DISMISSED.",
)


@strawberry.enum(name="IndicatorStatus", description="How an indicator stands, from its data.")
class IndicatorStatus(Enum):
    GREEN = strawberry.enum_value("green", description="Within its thresholds, no live signal.")
    AMBER = strawberry.enum_value("amber", description="Past amber, or a live amber signal.")
    RED = strawberry.enum_value("red", description="Past red, or a live red signal.")
    STALE = strawberry.enum_value("stale", description="No data for longer than its limit.")
    UNKNOWN = strawberry.enum_value("unknown", description="No data yet.")
