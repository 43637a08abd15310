"""The early-warning GraphQL types, by topic (this module re-exports them for importers):
enums.py (closed sets), types_indicators.py (indicators, rules, series), types_signals.py
(signals, their threads), types_settings.py (settings, chart points)."""

from apps.early_warning.graphql.enums import (
    DataSourceEnum,
    DirectionEnum,
    IndicatorStatus,
    RuleKindEnum,
    SeverityEnum,
    SignalStatusEnum,
    ThresholdModeEnum,
)
from apps.early_warning.graphql.types_indicators import (
    IndicatorSeriesType,
    IndicatorType,
    LinkedRiskOrder,
    RuleOrder,
    RuleParamsType,
    RuleType,
)
from apps.early_warning.graphql.types_settings import SeriesPointType, WarningSettingsType
from apps.early_warning.graphql.types_signals import (
    SignalCommentOrder,
    SignalCommentType,
    WarningSignalType,
)

__all__ = [
    "DataSourceEnum",
    "DirectionEnum",
    "IndicatorSeriesType",
    "IndicatorStatus",
    "IndicatorType",
    "LinkedRiskOrder",
    "RuleKindEnum",
    "RuleOrder",
    "RuleParamsType",
    "RuleType",
    "SeriesPointType",
    "SeverityEnum",
    "SignalCommentOrder",
    "SignalCommentType",
    "SignalStatusEnum",
    "ThresholdModeEnum",
    "WarningSettingsType",
    "WarningSignalType",
]
