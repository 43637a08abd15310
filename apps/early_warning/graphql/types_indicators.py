"""Indicators (KRIs), their rules and their series, as the catalogue and charts read them."""

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
from apps.core.graphql.ordering import (
    order_input,
    ordered_connection,
)
from apps.core.graphql.pagination import BoundedConnection
from apps.early_warning import models as m
from apps.early_warning import selectors
from apps.early_warning.graphql.enums import (
    DataSourceEnum,
    DirectionEnum,
    IndicatorStatus,
    RuleKindEnum,
    ThresholdModeEnum,
)
from apps.risks.graphql.types import RiskCategoryType, RiskType


@strawberry.enum(name="RuleOrderField", description="What rules are sorted by.")
class RuleOrderField(Enum):
    KIND = strawberry.enum_value("kind", description="By kind code.")
    CREATED = strawberry.enum_value("created_at", description="When it was added.")


RuleOrder = order_input("RuleOrder", RuleOrderField, description="One sort key of rules.")


@strawberry.enum(name="LinkedRiskOrderField", description="What an indicator's risks sort by.")
class LinkedRiskOrderField(Enum):
    TITLE = strawberry.enum_value("title", description="The risk's title.")
    CREATED = strawberry.enum_value("created_at", description="When the risk was recorded.")


LinkedRiskOrder = order_input(
    "LinkedRiskOrder", LinkedRiskOrderField, description="One sort key of linked risks."
)


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


@strawberry.type(
    name="RuleParams",
    description="A rule's parameters, typed: those of its kind are set, the others null.",
)
class RuleParamsType:
    periods: int | None = strawberry.field(default=None, description="SUSTAINED: periods.")
    window_minutes: int | None = strawberry.field(
        default=None, description="RATE_OF_CHANGE: look-back in minutes."
    )
    amber_pct: float | None = strawberry.field(default=None, description="RATE_OF_CHANGE: %.")
    red_pct: float | None = strawberry.field(default=None, description="RATE_OF_CHANGE: %.")
    window: int | None = strawberry.field(default=None, description="ZSCORE: points.")
    amber_z: float | None = strawberry.field(default=None, description="ZSCORE: amber z.")
    red_z: float | None = strawberry.field(default=None, description="ZSCORE: red z.")
    alpha: float | None = strawberry.field(default=None, description="EWMA: smoothing.")
    amber_k: float | None = strawberry.field(default=None, description="EWMA: amber σ.")
    red_k: float | None = strawberry.field(default=None, description="EWMA: red σ.")
    warmup: int | None = strawberry.field(default=None, description="EWMA: warm-up points.")


@strawberry_django.type(
    m.Rule, name="Rule", description="A test an indicator's series are put to by each scan."
)
class RuleType(TenantNode):
    min_role = Role.VIEWER

    indicator: "IndicatorType" = strawberry_django.field(description="The indicator it tests.")
    kind: RuleKindEnum = strawberry_django.field(description="What it looks for.")
    params: JSON = strawberry_django.field(
        description="Its parameters as stored.",
        deprecation_reason="Read `parameters` (typed).",
    )
    is_active: bool = strawberry_django.field(description="False: scans skip it.")
    archived_at: datetime | None = strawberry_django.field(
        description="When it was archived; null: not archived."
    )

    @strawberry_django.field(only=["params"], description="Its parameters, typed.")
    def parameters(self, root: m.Rule) -> RuleParamsType:
        known = RuleParamsType.__annotations__
        return RuleParamsType(**{k: v for k, v in (root.params or {}).items() if k in known})


@strawberry.type(
    name="IndicatorSeries",
    description="One series of an indicator: the points of one combination of dimensions.",
)
class IndicatorSeriesType:
    dimensions_key: str = strawberry.field(
        description="The series' key, what `indicatorSeries(dimensions:)` takes: the dimensions "
        "as `k=v` pairs joined by `;`, keys sorted (`channel=app;region=east`); empty for "
        "points sent without dimensions."
    )
    dimensions: JSON = strawberry.field(
        description='The same as an object of strings, e.g. {"channel": "app"}.'
    )


@strawberry_django.type(m.Indicator, name="Indicator", description="A key risk indicator (KRI).")
class IndicatorType(TenantNode):
    min_role = Role.VIEWER

    code: str = strawberry_django.field(
        description="Unique slug, e.g. npl_ratio; what observations name."
    )
    name: str = strawberry_django.field(description="For people.")
    description: str = strawberry_django.field(description="Free text.")
    category: RiskCategoryType = strawberry_django.field(
        description="The risk category it measures."
    )
    data_source: DataSourceEnum = strawberry_django.field(description="Where the data comes from.")
    unit: str = strawberry_django.field(description="e.g. %.")
    direction: DirectionEnum = strawberry_django.field(description="Which way is bad.")
    frequency_minutes: int
    stale_after_minutes: int | None
    threshold_mode: ThresholdModeEnum = strawberry_django.field(
        description="Static, or dynamic (recalibrated by each scan)."
    )
    amber: float | None
    red: float | None
    dynamic_window: int
    dynamic_amber: float
    dynamic_red: float
    calibrated_amber: float | None = strawberry_django.field(
        description="Dynamic amber from the latest calibration."
    )
    calibrated_red: float | None = strawberry_django.field(
        description="Dynamic red from the latest calibration."
    )
    calibrated_at: datetime | None = strawberry_django.field(
        description="When the dynamic thresholds were last computed."
    )
    resolve_after_green: int
    is_active: bool = strawberry_django.field(description="False: scans skip it.")
    archived_at: datetime | None = strawberry_django.field(
        description="When it was archived; null: not archived."
    )
    last_scanned_at: datetime | None = strawberry_django.field(
        description="When a scan last looked at it."
    )
    rules: BoundedConnection[RuleType] = ordered_connection(
        RuleOrder,
        default=("kind", "created_at"),
        default_text="by kind, then oldest first",
        description="Its rules (archived ones included: see archivedAt).",
    )
    risks: BoundedConnection[RiskType] = ordered_connection(
        LinkedRiskOrder,
        default=("-created_at",),
        default_text="newest first",
        description="The risks it informs (their review is flagged on a red signal).",
    )

    @strawberry_django.field(
        only=["id"],
        description=f"Its series (at most {selectors.MAX_SERIES_LISTED}, by dimensionsKey), "
        "to pick `indicatorSeries(dimensions:)` from. One indexed read per indicator: ask for it "
        "on one indicator, not on a long list.",
    )
    def series(self, root: m.Indicator) -> list[IndicatorSeriesType]:
        return [
            IndicatorSeriesType(dimensions_key=key, dimensions=JSON(selectors.dimensions_of(key)))
            for key in selectors.series_keys(root.pk)
        ]

    @strawberry_django.field(description="Thresholds in force: static, or the latest calibration.")
    def thresholds_in_force(self, root: m.Indicator) -> list[float | None]:
        return list(root.thresholds())

    @strawberry_django.field(
        annotate=_status_hints,
        only=selectors.STATUS_FIELDS,
        description="The worse of the latest value against the thresholds in force and the live "
        "signals; STALE when data is older than its limit, UNKNOWN without data.",
    )
    def status(self, root: m.Indicator) -> IndicatorStatus:
        return IndicatorStatus(selectors.status_of(root, timezone.now()))

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
    def responsible(self, root: m.Indicator, info: Info) -> list[UserType]:
        return [
            User(pk=p["id"], email=p["email"], full_name=p["full_name"])  # type: ignore[misc]
            for p in _people(root, info)
        ]

    @strawberry_django.field(
        annotate=_people_hints,
        only=["responsible_ids"],
        description="Global ids of the same users (what `responsible` takes as input).",
    )
    def responsible_ids(self, root: m.Indicator, info: Info) -> list[relay.GlobalID]:
        return [relay.GlobalID("User", str(p["id"])) for p in _people(root, info)]
