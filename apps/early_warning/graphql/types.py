from datetime import datetime
from enum import Enum

import strawberry
import strawberry_django
from django.utils import timezone
from strawberry import relay
from strawberry.scalars import JSON
from strawberry.types import Info

from apps.accounts.graphql.types import UserType
from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.core.graphql.nodes import TenantNode
from apps.core.graphql.pagination import BoundedConnection
from apps.early_warning import models as m
from apps.early_warning import selectors
from apps.risks.graphql.types import RiskCategoryType, RiskType

DataSourceEnum = strawberry.enum(m.DataSource, name="DataSource")
DirectionEnum = strawberry.enum(m.Direction, name="Direction")
ThresholdModeEnum = strawberry.enum(m.ThresholdMode, name="ThresholdMode")
SeverityEnum = strawberry.enum(m.Severity, name="Severity")
RuleKindEnum = strawberry.enum(m.RuleKind, name="RuleKind")
SignalStatusEnum = strawberry.enum(m.SignalStatus, name="SignalStatus")


@strawberry.enum(name="IndicatorStatus", description="How an indicator stands, from its data.")
class IndicatorStatus(Enum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    STALE = strawberry.enum_value("stale", description="No data for longer than its limit.")
    UNKNOWN = strawberry.enum_value("unknown", description="No data yet.")


# Annotations the optimizer adds to whatever reads these fields (a list, or a nested indicator).
_status_hints = selectors.status_annotations()
_people_hints = {
    "responsible_people": lambda info: selectors.responsible_people(info.context.request.tenant.pk)
}


def _people(indicator: m.Indicator, info) -> list[dict]:
    people = getattr(indicator, "responsible_people", None)
    if people is None:  # read on its own (a mutation's payload): one query
        people = selectors.responsible_people_of(indicator, info.context.request.tenant.pk)
    order = {uid: n for n, uid in enumerate(indicator.responsible_ids)}
    return sorted(people, key=lambda p: order.get(p["id"], len(order)))  # as they were given


@strawberry_django.type(m.Rule, name="Rule")
class RuleType(TenantNode):
    min_role = Role.VIEWER

    kind: RuleKindEnum
    params: JSON
    is_active: bool


@strawberry_django.type(m.Indicator, name="Indicator", description="A key risk indicator (KRI).")
class IndicatorType(TenantNode):
    min_role = Role.VIEWER

    code: str
    name: str
    description: str
    category: RiskCategoryType
    data_source: DataSourceEnum
    unit: str
    direction: DirectionEnum
    frequency_minutes: int
    stale_after_minutes: int | None
    threshold_mode: ThresholdModeEnum
    amber: float | None
    red: float | None
    dynamic_window: int
    dynamic_amber: float
    dynamic_red: float
    calibrated_amber: float | None
    calibrated_red: float | None
    calibrated_at: datetime | None
    resolve_after_green: int
    is_active: bool
    last_scanned_at: datetime | None
    rules: BoundedConnection[RuleType] = strawberry_django.connection()
    risks: BoundedConnection[RiskType] = strawberry_django.connection()

    @strawberry_django.field(description="Thresholds in force: static, or the latest calibration.")
    def thresholds_in_force(self) -> list[float | None]:
        return list(self.thresholds())

    @strawberry_django.field(
        annotate=_status_hints,
        only=selectors.STATUS_FIELDS,
        description="The worse of the latest value against the thresholds in force and the live "
        "signals; STALE when data is older than its limit, UNKNOWN without data.",
    )
    def status(self) -> IndicatorStatus:
        return IndicatorStatus(selectors.status_of(self, timezone.now()))

    @strawberry_django.field(annotate=_status_hints, description="The newest observed value.")
    def latest_value(self) -> float | None:
        return getattr(self, "latest_value", None)

    @strawberry_django.field(annotate=_status_hints, description="When it was observed.")
    def latest_at(self) -> datetime | None:
        return getattr(self, "latest_at", None)

    @strawberry_django.field(
        annotate=_people_hints,
        only=["responsible_ids"],
        description="Members told about its signals (people who left the tenant are not).",
    )
    def responsible(self, info: Info) -> list[UserType]:
        return [
            User(pk=p["id"], email=p["email"], full_name=p["full_name"])  # type: ignore[misc]
            for p in _people(self, info)
        ]

    @strawberry_django.field(
        annotate=_people_hints,
        only=["responsible_ids"],
        description="Global ids of the same users (what `responsible` takes as input).",
    )
    def responsible_ids(self, info: Info) -> list[relay.GlobalID]:
        return [relay.GlobalID("User", str(p["id"])) for p in _people(self, info)]


@strawberry_django.type(m.WarningSignal, name="WarningSignal")
class WarningSignalType(TenantNode):
    min_role = Role.VIEWER

    indicator: IndicatorType
    rule: RuleType
    dimensions_key: str
    severity: SeverityEnum
    status: SignalStatusEnum
    observed_value: float | None
    threshold: float | None
    detail: str
    first_triggered_at: datetime
    last_triggered_at: datetime
    occurrences: int
    green_streak: int
    assignee: UserType | None
    acknowledged_at: datetime | None
    escalated_at: datetime | None
    resolved_at: datetime | None
    comment: str
    # Owned by the emergency module (matching and cost live there); mounted here.
    from apps.emergency.graphql.suggestions import suggested_plans_field as suggested_plans


@strawberry.type(name="SeriesPoint")
class SeriesPointType:
    at: datetime
    value: float


@strawberry_django.type(m.WarningSettings, name="WarningSettings")
class WarningSettingsType:
    escalate_red_after_minutes: int
