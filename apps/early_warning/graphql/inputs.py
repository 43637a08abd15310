"""The arguments of the early-warning lists: filters and sort keys."""

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING

import strawberry
from strawberry import relay

from apps.core.graphql.ordering import OrderKey, order_input
from apps.early_warning.graphql.types import IndicatorStatus, SeverityEnum, SignalStatusEnum


@strawberry.enum(name="SeriesAggregate", description="How the points of a bucket are combined.")
class SeriesAggregate(Enum):
    AVG = strawberry.enum_value("avg", description="The mean.")
    MIN = strawberry.enum_value("min", description="The smallest.")
    MAX = strawberry.enum_value("max", description="The largest.")
    SUM = strawberry.enum_value("sum", description="The total.")
    LAST = strawberry.enum_value("last", description="The newest.")
    COUNT = strawberry.enum_value("count", description="How many points.")


@strawberry.input(name="WarningSignalFilter", description="Signals matching all the conditions.")
class WarningSignalFilterInput:
    statuses: list[SignalStatusEnum] | None = strawberry.field(
        default=None, description="Any of these statuses."
    )
    severities: list[SeverityEnum] | None = strawberry.field(
        default=None, description="Any of these severities."
    )
    indicator: relay.GlobalID | None = strawberry.field(default=None, description="An Indicator.")
    category: relay.GlobalID | None = strawberry.field(
        default=None, description="A RiskCategory; includes sub-categories."
    )
    assignee: relay.GlobalID | None = strawberry.field(
        default=None, description='A User: the signals assigned to them ("my work": me.user.id).'
    )
    unassigned: bool | None = strawberry.field(
        default=None, description="True: only signals nobody is assigned; false: only assigned."
    )
    triggered_from: datetime | None = strawberry.field(
        default=None, description="Last triggered at or after this time."
    )
    triggered_to: datetime | None = strawberry.field(
        default=None, description="First triggered before this time."
    )


@strawberry.enum(name="WarningSignalOrderField", description="What signals are sorted by.")
class WarningSignalOrderField(Enum):
    LAST_TRIGGERED = strawberry.enum_value(
        "last_triggered_at", description="When a breach was last seen."
    )
    FIRST_TRIGGERED = strawberry.enum_value("first_triggered_at", description="When raised.")
    SEVERITY = strawberry.enum_value("severity", description="Amber before red (ascending).")
    STATUS = strawberry.enum_value("status", description="By status code, alphabetically.")


if TYPE_CHECKING:  # built at run time by order_input
    WarningSignalOrder = OrderKey
else:
    WarningSignalOrder = order_input(
        "WarningSignalOrder",
        WarningSignalOrderField,
        description="One sort key of the signal list.",
    )


@strawberry.input(name="IndicatorFilter", description="Indicators matching all the conditions.")
class IndicatorFilterInput:
    search: str | None = strawberry.field(default=None, description="Part of the name or the code.")
    code: str | None = strawberry.field(default=None, description="Exactly this code.")
    statuses: list[IndicatorStatus] | None = strawberry.field(
        default=None, description="Any of these statuses (computed now, as `status` is)."
    )
    category: relay.GlobalID | None = strawberry.field(
        default=None, description="A RiskCategory; includes sub-categories."
    )
    risk: relay.GlobalID | None = strawberry.field(
        default=None, description="A Risk: the indicators linked to it."
    )
    active: bool | None = strawberry.field(
        default=None, description="True: only switched on; false: only switched off."
    )
    archived: bool = strawberry.field(
        default=False, description="True: only archived ones (they are left out otherwise)."
    )


@strawberry.enum(name="IndicatorOrderField", description="What indicators are sorted by.")
class IndicatorOrderField(Enum):
    CODE = strawberry.enum_value("code", description="The code.")
    NAME = strawberry.enum_value("name", description="The name.")
    CREATED = strawberry.enum_value("created_at", description="When it was added.")
    LAST_SCANNED = strawberry.enum_value("last_scanned_at", description="The latest scan.")
    LATEST_AT = strawberry.enum_value("latest_at", description="Its newest observation's time.")


if TYPE_CHECKING:  # built at run time by order_input
    IndicatorOrder = OrderKey
else:
    IndicatorOrder = order_input(
        "IndicatorOrder", IndicatorOrderField, description="One sort key of the indicator list."
    )
